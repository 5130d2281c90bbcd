-- A large synthetic network over Hà Nội for the tile benchmark: 1,000,000
-- point assets (poles, manholes, cabinets, towers) and 200,000 lines (cable
-- routes and duct banks), denser towards the centre, with tenancies on one
-- asset in ten. Deterministic (setseed), so two runs draw the same city.
-- Everything it creates has a code starting with BENCH-.

\set ON_ERROR_STOP on
select setseed(0.2025);
-- Bulk load: skip per-row triggers (ward lookup, foreign keys, change
-- notices); the benchmark starts its servers after loading anyway.
set session_replication_role = replica;

-- The extent: lon 105.72–105.95, lat 20.93–21.10 (about 24 km × 19 km).
create temporary table extent as
select 105.72::float8 as x0, 0.23::float8 as w, 20.93::float8 as y0, 0.17::float8 as h;

-- A triangular distribution: twice the mean density at the centre.
create function pg_temp.along(origin float8, size float8) returns float8
language sql volatile as $$ select origin + size * (random() + random()) / 2 $$;

create temporary table owner as
select array_agg(id order by code) as ids from operator where code in ('VNPT', 'VIETTEL', 'FPT', 'EVNCPC', 'MOBIFONE');

-- Point assets: 760,000 poles, 150,000 manholes, 70,000 cabinets, 20,000 towers.
create temporary table spec (kind text, n integer);
insert into spec values ('pole', 760000), ('manhole', 150000), ('cabinet', 70000), ('tower', 20000);

insert into asset (kind, code, owner_id, status, capacity, geom)
select s.kind,
       'BENCH-' || s.kind || '-' || i,
       (select ids[1 + (i % array_length(ids, 1))] from owner),
       case when i % 100 = 0 then 'decommissioned' when i % 17 = 0 then 'planned' else 'operational' end,
       case s.kind when 'pole' then 6 when 'tower' then 4 when 'cabinet' then 2 end,
       ST_SetSRID(ST_MakePoint(pg_temp.along(e.x0, e.w), pg_temp.along(e.y0, e.h)), 4326)
from spec s, extent e, generate_series(1, s.n) i;

insert into pole (asset_id, material, height_m, purpose)
select id, (array['concrete', 'steel', 'concrete', 'composite'])[1 + id % 4], 8.5,
       (array['telecom', 'power', 'lighting', 'power'])[1 + id % 4]
from asset where kind = 'pole' and code like 'BENCH-%';
insert into manhole (asset_id, covers) select id, 1 + id % 3 from asset where kind = 'manhole' and code like 'BENCH-%';
insert into cabinet (asset_id, cabinet_type, mounting)
select id, (array['fibre_distribution', 'active_equipment', 'copper_crossconnect'])[1 + id % 3], 'ground'
from asset where kind = 'cabinet' and code like 'BENCH-%';
insert into tower (asset_id, tower_class, height_m, structure, placement)
select id, (array['A2b', 'A1b', 'A2b', 'A1'])[1 + id % 4], 30 + id % 15, 'monopole', 'ground'
from asset where kind = 'tower' and code like 'BENCH-%';

-- Lines: 170,000 cable routes (70% overhead) and 30,000 duct banks, each a
-- start, a bend and an end, 60–600 m long in a random direction.
create temporary table line_spec (kind text, n integer, min_m float8, max_m float8);
insert into line_spec values ('cable', 170000, 60, 600), ('duct', 30000, 50, 300);

insert into asset (kind, code, owner_id, status, geom)
select l.kind,
       'BENCH-' || l.kind || '-' || i,
       (select ids[1 + (i % array_length(ids, 1))] from owner),
       case when i % 100 = 0 then 'decommissioned' else 'operational' end,
       ST_SetSRID(ST_MakeLine(array[
           ST_MakePoint(x, y),
           ST_MakePoint(x + 0.5 * len * cos(a) / 104000, y + 0.5 * len * sin(a) / 110700 + 0.00005),
           ST_MakePoint(x + len * cos(a) / 104000, y + len * sin(a) / 110700)]), 4326)
from line_spec l, extent e, generate_series(1, l.n) i,
     -- (`i` makes the subquery run once per line, not once for all.)
     lateral (select pg_temp.along(e.x0, e.w) + 0 * i as x, pg_temp.along(e.y0, e.h) as y,
                     l.min_m + random() * (l.max_m - l.min_m) as len, random() * 2 * pi() as a) r;

insert into cable (asset_id, placement, medium, role)
select id, case when id % 10 < 7 then 'overhead' else 'underground' end,
       case when id % 5 = 0 then 'copper' else 'fibre' end,
       case when id % 8 = 0 then 'trunk' else 'subscriber' end
from asset where kind = 'cable' and code like 'BENCH-%';
insert into duct (asset_id, layers, pipe_count) select id, 1 + id % 2, 4 from asset where kind = 'duct' and code like 'BENCH-%';

-- One asset in ten is shared with another operator.
insert into tenancy (asset_id, tenant_id, since, capacity_used)
select a.id, (select ids[1 + ((a.owner_id + 1) % array_length(ids, 1))] from owner), date '2023-01-01', 1
from asset a
where a.code like 'BENCH-%' and a.id % 10 = 0
  and (select ids[1 + ((a.owner_id + 1) % array_length(ids, 1))] from owner) <> a.owner_id;

reset session_replication_role;
analyze;
-- The undergrounding figures (migration 0115) are kept by triggers, which
-- were off for this load: compute them once from what was loaded.
select undergrounding_figures_rebuild();
