-- Administrative units, complete: province, district (the tier abolished on
-- 1/7/2025), commune/ward, and the neighbourhood units below a ward or
-- commune (tổ dân phố, thôn, khu dân cư, khu phố) that plans count in. A unit
-- that the 2025 reorganisation (or an earlier one) formed from others keeps
-- links to the units it replaced, so its figures can include their history.

alter table admin_unit drop constraint admin_unit_ward_has_province;
alter table admin_unit drop constraint admin_unit_level_check;
alter table admin_unit add constraint admin_unit_level
    check (level in ('province', 'district', 'ward', 'neighbourhood'));
alter table admin_unit add constraint admin_unit_top_is_province
    check ((level = 'province') = (parent_id is null));

alter table admin_unit
    -- The legal act that established the unit and the one that ended it
    -- ("Nghị quyết số 1677/NQ-UBTVQH15 ngày 16/6/2025 ...").
    add column established_by  text check (length(established_by) <= 500),
    add column ended_by        text check (length(ended_by) <= 500),
    -- Where the boundary comes from, and how far it can be trusted.
    add column boundary_quality text check (boundary_quality in ('official', 'surveyed', 'approximate', 'synthetic')),
    add column boundary_source  text check (length(boundary_source) <= 500),
    add column note             text check (length(note) <= 2000),
    add column updated_at       timestamptz not null default now();

create index admin_unit_parent on admin_unit (parent_id);
-- Neighbourhood units have no GSO code; within a parent their names are unique.
create unique index admin_unit_name_in_parent on admin_unit (parent_id, lower(name), valid_from)
    where level = 'neighbourhood';

-- The units a unit replaced: `whole` when the whole of the predecessor went
-- into it, false when only part of it did (the rest went to another unit).
create table admin_unit_predecessor (
    unit_id         bigint not null references admin_unit (id) on delete cascade,
    predecessor_id  bigint not null references admin_unit (id),
    whole           boolean not null default true,
    primary key (unit_id, predecessor_id),
    constraint admin_unit_predecessor_not_itself check (unit_id <> predecessor_id)
);
create index admin_unit_predecessor_of on admin_unit_predecessor (predecessor_id);

-- A parent is one tier up: a district or ward in a province, a ward in a
-- district (before 1/7/2025), a neighbourhood in a ward.
create function admin_unit_check_parent() returns trigger
language plpgsql as $$
declare
    parent_level text;
begin
    if new.parent_id is null then
        return new;
    end if;
    select level into parent_level from admin_unit where id = new.parent_id;
    if not (
        (new.level in ('district', 'ward') and parent_level = 'province')
        or (new.level = 'ward' and parent_level = 'district')
        or (new.level = 'neighbourhood' and parent_level = 'ward')
    ) then
        raise exception 'a % cannot belong to a %', new.level, parent_level
            using errcode = '23514', constraint = 'admin_unit_parent_level';
    end if;
    return new;
end
$$;

create trigger admin_unit_check_parent
    before insert or update of level, parent_id on admin_unit
    for each row execute function admin_unit_check_parent();

-- The unit and, recursively, the units it wholly replaced, with how many
-- steps back each is.
create function admin_unit_lineage(unit bigint) returns table (id bigint, depth integer)
language sql stable as $$
    with recursive l (id, depth) as (
        select unit, 0
        union
        select p.predecessor_id, l.depth + 1
        from admin_unit_predecessor p join l on p.unit_id = l.id
        where p.whole and l.depth < 20)
    select id, min(depth)::integer from l group by id
$$;

-- Every unit below the unit or below a unit of its lineage.
create function admin_unit_descendants(unit bigint) returns setof bigint
language sql stable as $$
    with recursive d (id, depth) as (
        select u.id, 1 from admin_unit u where u.parent_id in (select id from admin_unit_lineage(unit))
        union all
        select u.id, d.depth + 1 from admin_unit u join d on u.parent_id = d.id where d.depth < 8)
    select distinct id from d
$$;

-- The unit and every unit above it.
create function admin_unit_ancestors(unit bigint) returns setof bigint
language sql stable as $$
    with recursive a (id, depth) as (
        select unit, 0
        union all
        select u.parent_id, a.depth + 1 from admin_unit u join a on u.id = a.id
        where u.parent_id is not null and a.depth < 8)
    select id from a
$$;

-- The neighbourhood units of a unit valid on a day (the unit itself when it is one).
create function admin_unit_neighbourhoods(unit bigint, on_day date) returns setof bigint
language sql stable as $$
    select u.id from admin_unit u
    where (u.id = unit or u.id in (select admin_unit_descendants(unit)))
      and u.level = 'neighbourhood'
      and u.valid_from <= on_day and (u.valid_to is null or u.valid_to >= on_day)
$$;

-- The land a unit covers: its boundary, else the union of what it replaced,
-- else the union of its parts.
create function admin_unit_territory(unit bigint) returns geometry
language sql stable as $$
    select coalesce(
        (select boundary from admin_unit where id = unit),
        (select ST_Multi(ST_Union(a.boundary)) from admin_unit a
         where a.id in (select l.id from admin_unit_lineage(unit) l where l.depth > 0)),
        (select ST_Multi(ST_Union(a.boundary)) from admin_unit a where a.parent_id = unit))
$$;

-- Changes to units are recorded like those of other registers (0024), with
-- the boundary summarised (a province's boundary is megabytes).
create function admin_unit_log() returns trigger
language plpgsql as $$
declare
    before_doc jsonb;
    after_doc jsonb;
begin
    if TG_OP <> 'INSERT' then
        before_doc := to_jsonb(old) - 'boundary' || jsonb_build_object('boundary',
            case when old.boundary is null then null else jsonb_build_object(
                'md5', md5(ST_AsBinary(old.boundary)),
                'area_km2', round((ST_Area(old.boundary::geography) / 1e6)::numeric, 3)) end);
    end if;
    if TG_OP <> 'DELETE' then
        after_doc := to_jsonb(new) - 'boundary' || jsonb_build_object('boundary',
            case when new.boundary is null then null else jsonb_build_object(
                'md5', md5(ST_AsBinary(new.boundary)),
                'area_km2', round((ST_Area(new.boundary::geography) / 1e6)::numeric, 3)) end);
    end if;
    if TG_OP = 'UPDATE' and (before_doc - 'updated_at') = (after_doc - 'updated_at') then
        return null;
    end if;
    insert into change_log (entity, entity_key, action, actor, actor_user_id, actor_token_id, before, after)
    values ('admin_unit', coalesce(new.id, old.id)::text, lower(TG_OP),
            coalesce(nullif(current_setting('hatang.actor', true), ''), 'system'),
            nullif(current_setting('hatang.actor_user_id', true), '')::bigint,
            nullif(current_setting('hatang.actor_token_id', true), '')::bigint,
            before_doc, after_doc);
    return null;
end
$$;

create trigger admin_unit_log after insert or update or delete on admin_unit
    for each row execute function admin_unit_log();
create trigger admin_unit_predecessor_log after insert or update or delete on admin_unit_predecessor
    for each row execute function log_change('unit_id', 'predecessor_id');
