-- A synthetic city for the dashboard benchmark: one ward of 10 km × 11 km in
-- Quảng Ngãi with a 200 m street grid, 100,000 cable routes (70% overhead)
-- of four operators, 5,000 duct banks (half with a free pipe) and the 108
-- streets of the grid as undergrounding areas. Deterministic (setseed).
select setseed(0.42);
set local jit = off;

insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, boundary)
select '99999', 'ward', 'Phường Thử nghiệm (tổng hợp)', 'phường', id, '2000-01-01',
       ST_Multi(ST_MakeEnvelope(108.85, 15.15, 108.95, 15.25, 4326))
from admin_unit where gso_code = '51' and level = 'province';

create temporary table grid as
select 'h' as dir, i, ST_MakeLine(ST_MakePoint(108.85, 15.15 + i * 0.0018), ST_MakePoint(108.95, 15.15 + i * 0.0018)) as geom
from generate_series(1, 54) i
union all
select 'v', i, ST_MakeLine(ST_MakePoint(108.85 + i * 0.00186, 15.15), ST_MakePoint(108.85 + i * 0.00186, 15.25))
from generate_series(1, 53) i;

insert into street (name, class, geom)
select case dir when 'h' then 'Đường ngang ' else 'Đường dọc ' end || i, 'local', ST_SetSRID(geom, 4326) from grid;

-- Cable routes: a piece of a grid street, 200 m to 1.5 km long, a few metres off its centre line.
create temporary table synthetic_cable as
select n,
       (array['VNPT', 'VIETTEL', 'MOBIFONE', 'FPT'])[1 + n % 4] as operator,
       case when random() < 0.7 then 'overhead' else 'underground' end as placement,
       g.dir, g.i, random() as start, 0.002 + random() * 0.012 as len, (random() - 0.5) * 0.0001 as offset_deg
from generate_series(1, 100000) n
join grid g on g.dir = case when n % 2 = 0 then 'h' else 'v' end and g.i = 1 + (n / 2) % case when n % 2 = 0 then 54 else 53 end;

with inserted as (
    insert into asset (kind, code, owner_id, status, geom)
    select 'cable', 'SYN-C' || c.n, o.id, 'operational',
           case c.dir
               when 'h' then ST_SetSRID(ST_MakeLine(ST_MakePoint(108.85 + c.start * 0.085, 15.15 + c.i * 0.0018 + c.offset_deg),
                                                    ST_MakePoint(108.85 + c.start * 0.085 + c.len, 15.15 + c.i * 0.0018 + c.offset_deg)), 4326)
               else ST_SetSRID(ST_MakeLine(ST_MakePoint(108.85 + c.i * 0.00186 + c.offset_deg, 15.15 + c.start * 0.085),
                                           ST_MakePoint(108.85 + c.i * 0.00186 + c.offset_deg, 15.15 + c.start * 0.085 + c.len)), 4326)
           end
    from synthetic_cable c join operator o on o.code = c.operator
    returning id, code
)
insert into cable (asset_id, placement, medium, role, core_count)
select i.id, c.placement, 'fibre', 'subscriber', 24
from inserted i join synthetic_cable c on 'SYN-C' || c.n = i.code;

-- Duct banks: 5,000 pieces of grid streets, 4 pipes each, half with a free pipe.
with inserted as (
    insert into asset (kind, code, owner_id, status, geom)
    select 'duct', 'SYN-D' || n, (select id from operator where code = (array['VNPT', 'VIETTEL'])[1 + n % 2]), 'operational',
           ST_SetSRID(ST_MakeLine(ST_MakePoint(108.85 + (n % 40) * 0.002, 15.15 + (1 + n % 54) * 0.0018),
                                  ST_MakePoint(108.85 + (n % 40) * 0.002 + 0.0015, 15.15 + (1 + n % 54) * 0.0018)), 4326)
    from generate_series(1, 5000) n
    returning id, code
)
insert into duct (asset_id, layers, pipe_count)
select id, 2, 4 from inserted;

insert into duct_pipe (duct_id, pipe_no, layer, state, occupant_id)
select d.asset_id, p, 1 + (p - 1) / 2,
       case when p = 4 and a.id % 2 = 0 then 'free' else 'occupied' end,
       case when p = 4 and a.id % 2 = 0 then null else a.owner_id end
from duct d join asset a on a.id = d.asset_id and a.code like 'SYN-D%'
cross join generate_series(1, 4) p;

-- Every grid street must go underground by 2030.
insert into undergrounding_area (name, geom, target_year, source_doc)
select name, geom, 2030, 'Kế hoạch ngầm hóa (tổng hợp cho đo hiệu năng)'
from street where name like 'Đường ngang %' or name like 'Đường dọc %';

analyze;
