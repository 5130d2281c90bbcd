-- The staff of a unit formed by a merger take over the plans and duties of
-- the units it replaced (Cẩm Thành's office reports on Chánh Lộ's plan), so
-- access rules look at the units that replaced a unit as well as the units
-- above it.

-- The units that replaced a unit, and those that replaced them.
create function admin_unit_successors(unit bigint) returns setof bigint
language sql stable as $$
    with recursive s (id, depth) as (
        select p.unit_id, 1 from admin_unit_predecessor p where p.predecessor_id = unit
        union
        select p.unit_id, s.depth + 1
        from admin_unit_predecessor p join s on p.predecessor_id = s.id
        where s.depth < 20)
    select distinct id from s
$$;

-- The units whose staff answer for a unit: the unit and every unit above it,
-- and every unit that replaced it with the units above those.
create function admin_unit_responsible(unit bigint) returns setof bigint
language sql stable as $$
    select admin_unit_ancestors(unit)
    union
    select admin_unit_ancestors(s) from admin_unit_successors(unit) s
$$;
