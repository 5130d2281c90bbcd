-- The national benchmark data set: a synthetic registry the size of Vietnam's.
--
-- At scale 1: 34 provinces, the ~3,300 wards of wards.tsv, 10,000,000 poles,
-- 100,000 towers, 2,000,000 cable routes, 300,000 duct banks with 600,000
-- manholes at their ends (and their pipes), 200,000 street cabinets,
-- tenancies on two towers in five and one pole in ten, and the documents of
-- one `create` entry in the change history per asset (chain.py chains them). Assets are spread over the
-- wards by the wards' population share (wards.py), so city centres are dense and
-- the countryside sparse, with a floor so that no ward is empty.
--
-- Run by run.sh with psql: `psql -v scale=0.01 -f load.sql` loads 1 % of it.
-- Deterministic: setseed, no clock except the history's timestamps.
-- Everything it creates has a code starting with N- (assets) or a ward code
-- from wards.tsv, so it is easy to tell from real data.

\set ON_ERROR_STOP on
\if :{?scale}
\else
\set scale 1
\endif
\timing on
select setseed(0.2026);
-- Bulk load: the per-row triggers (ward lookup, history chain, change notices)
-- are skipped; ward ids and the chain are written here directly.
set session_replication_role = replica;
set jit = off;
set maintenance_work_mem = '1GB';

create temporary table ward_spec (
    province_code text, ward_code text, x0 float8, y0 float8, size float8, mass float8);
\copy ward_spec from 'bench/national/wards.tsv'

create temporary table province_spec (code text primary key, name text, meridian float8);
insert into province_spec values
 ('01','Hà Nội',105.0),('04','Cao Bằng',105.75),('08','Tuyên Quang',106.0),('11','Điện Biên',103.0),
 ('12','Lai Châu',103.0),('14','Sơn La',104.0),('15','Lào Cai',104.75),('19','Thái Nguyên',106.5),
 ('20','Lạng Sơn',107.25),('22','Quảng Ninh',107.75),('24','Bắc Ninh',105.5),('25','Phú Thọ',104.75),
 ('31','Hải Phòng',105.75),('33','Hưng Yên',105.5),('37','Ninh Bình',105.0),('38','Thanh Hóa',105.0),
 ('40','Nghệ An',104.75),('42','Hà Tĩnh',105.5),('44','Quảng Trị',106.25),('46','Huế',107.0),
 ('48','Đà Nẵng',107.75),('51','Quảng Ngãi',108.0),('52','Gia Lai',108.25),('56','Khánh Hòa',108.25),
 ('66','Đắk Lắk',108.5),('68','Lâm Đồng',107.75),('75','Đồng Nai',107.75),('79','Hồ Chí Minh',105.75),
 ('80','Tây Ninh',105.5),('82','Đồng Tháp',105.75),('86','Vĩnh Long',105.5),('91','An Giang',104.5),
 ('92','Cần Thơ',105.0),('96','Cà Mau',104.5);

-- Operators (the demo's, where they exist).
insert into operator (code, legal_name, short_name, sector)
select * from (values
    ('VNPT', 'Tập đoàn Bưu chính Viễn thông Việt Nam', 'VNPT', 'telecom'),
    ('VIETTEL', 'Tập đoàn Công nghiệp - Viễn thông Quân đội', 'Viettel', 'telecom'),
    ('MOBIFONE', 'Tổng công ty Viễn thông MobiFone', 'MobiFone', 'telecom'),
    ('FPT', 'Công ty Cổ phần Viễn thông FPT', 'FPT Telecom', 'telecom'),
    ('EVN', 'Tập đoàn Điện lực Việt Nam', 'EVN', 'power')) v(code, legal_name, short_name, sector)
where not exists (select 1 from operator o where o.code = v.code);
create temporary table owners as
select array_agg(id order by code) filter (where sector = 'telecom') as telecom,
       min(id) filter (where code = 'EVN') as power
from operator where code in ('VNPT', 'VIETTEL', 'MOBIFONE', 'FPT', 'EVN');

-- Provinces and wards.
insert into admin_unit (gso_code, level, name, unit_type, valid_from, tm3_meridian, boundary)
select p.code, 'province', p.name, case when p.code in ('01','31','46','48','79','92') then 'thanh_pho' else 'tinh' end,
       date '2025-07-01', p.meridian,
       (select ST_Multi(ST_Union(ST_MakeEnvelope(w.x0, w.y0, w.x0 + w.size, w.y0 + w.size, 4326)))
        from ward_spec w where w.province_code = p.code)
from province_spec p
where not exists (select 1 from admin_unit u where u.gso_code = p.code and u.level = 'province');

insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, boundary)
select w.ward_code, 'ward',
       case when w.size <= 0.05 then 'Phường ' else 'Xã ' end || p.name || ' ' || right(w.ward_code, 3),
       case when w.size <= 0.05 then 'phuong' else 'xa' end,
       u.id, date '2025-07-01',
       ST_Multi(ST_MakeEnvelope(w.x0, w.y0, w.x0 + w.size, w.y0 + w.size, 4326))
from ward_spec w
join province_spec p on p.code = w.province_code
join admin_unit u on u.gso_code = w.province_code and u.level = 'province'
order by w.ward_code;

-- How many assets of each kind each ward gets: 80 % by population, 20 % evenly,
-- rounded so that the totals come out exact at any scale (a ward gets the
-- difference of the rounded running sums).
create temporary table ward_load as
select ward_id, x0, y0, size, ward_code, kind,
       (round(total * cum) - round(total * (cum - share)))::int as n
from (
    select u.id as ward_id, w.x0, w.y0, w.size, w.ward_code, n.kind, :scale * n.total as total,
           0.8 * w.mass + 0.2 / (select count(*) from ward_spec) as share,
           sum(0.8 * w.mass + 0.2 / (select count(*) from ward_spec)) over (partition by n.kind order by w.ward_code) as cum
    from ward_spec w
    join admin_unit u on u.gso_code = w.ward_code and u.level = 'ward'
    cross join (values ('pole', 10000000), ('tower', 100000), ('cable', 2000000),
                       ('duct', 300000), ('cabinet', 200000)) n(kind, total)) s;
analyze ward_load;

-- Point assets.
insert into asset (kind, code, owner_id, status, capacity, ward_id, geom)
select l.kind,
       'N-' || l.kind || '-' || l.ward_code || '-' || i,
       case when l.kind = 'pole' and i % 2 = 0 then o.power else o.telecom[1 + (i + l.ward_id::int) % 4] end,
       case when i % 97 = 0 then 'decommissioned' when i % 23 = 0 then 'planned' else 'operational' end,
       case l.kind when 'pole' then 6 when 'tower' then 4 else 2 end,
       l.ward_id,
       ST_SetSRID(ST_MakePoint(l.x0 + l.size * random() + 0 * i, l.y0 + l.size * random()), 4326)
from ward_load l, owners o, generate_series(1, l.n) i
where l.kind in ('pole', 'tower', 'cabinet')
order by l.ward_id, l.kind, i;

insert into pole (asset_id, material, height_m, purpose)
select id, (array['concrete', 'concrete', 'steel', 'composite', 'wood'])[1 + id % 5], 7.5 + (id % 5),
       case when owner_id = (select power from owners) then 'power' else 'telecom' end
from asset where kind = 'pole' and code like 'N-%';
insert into tower (asset_id, tower_class, height_m, host_building_height_m, structure, placement, technologies)
select id, c.tower_class, c.height_m, c.host, c.structure, c.placement,
       string_to_array((array['4G', '4G,5G', '2G,4G', '3G,4G,5G'])[1 + id % 4], ',')
from asset a
cross join lateral (select * from (values
    (0, 'A2b', 42.0, null::float8, 'lattice', 'ground'),
    (1, 'A2a', 15.0, 18.0, 'rooftop_pole', 'rooftop'),
    (2, 'A1b', 21.0, null, 'camouflaged', 'ground'),
    (3, 'A1', 2.5, 20.0, 'rooftop_pole', 'rooftop')) v(k, tower_class, height_m, host, structure, placement)
    where v.k = a.id % 4) c
where a.kind = 'tower' and a.code like 'N-%';
insert into cabinet (asset_id, cabinet_type, mounting)
select id, (array['fibre_distribution', 'active_equipment', 'copper_crossconnect'])[1 + id % 3],
       (array['ground', 'pole', 'wall'])[1 + id % 3]
from asset where kind = 'cabinet' and code like 'N-%';

-- Cable routes: 2–4 vertices, 60–600 m, in a random direction from a random
-- point of the ward; overhead in seven cases out of ten.
insert into asset (kind, code, owner_id, status, ward_id, geom)
select 'cable', 'N-cable-' || l.ward_code || '-' || i, o.telecom[1 + (i + l.ward_id::int) % 4],
       case when i % 97 = 0 then 'decommissioned' else 'operational' end, l.ward_id,
       ST_SetSRID(ST_MakeLine(array[
           ST_MakePoint(r.x, r.y),
           ST_MakePoint(r.x + 0.4 * r.len * cos(r.a) / 104000, r.y + 0.4 * r.len * sin(r.a) / 110700),
           ST_MakePoint(r.x + 0.7 * r.len * cos(r.a + 0.3) / 104000, r.y + 0.7 * r.len * sin(r.a + 0.3) / 110700),
           ST_MakePoint(r.x + r.len * cos(r.a + 0.2) / 104000, r.y + r.len * sin(r.a + 0.2) / 110700)]), 4326)
from ward_load l, owners o, generate_series(1, l.n) i,
     lateral (select l.x0 + l.size * random() + 0 * i as x, l.y0 + l.size * random() as y,
                     60 + random() * 540 as len, random() * 2 * pi() as a) r
where l.kind = 'cable'
order by l.ward_id, i;
insert into cable (asset_id, placement, medium, role, core_count)
select id, case when id % 10 < 7 then 'overhead' else 'underground' end,
       case when id % 6 = 0 then 'copper' else 'fibre' end,
       case when id % 8 = 0 then 'trunk' else 'subscriber' end,
       (array[12, 24, 48, 96])[1 + id % 4]
from asset where kind = 'cable' and code like 'N-%';

-- Duct banks of 50–300 m with a manhole at each end.
create temporary table duct_spec as
select l.ward_id, l.ward_code, i, o.telecom[1 + (i + l.ward_id::int) % 4] as owner_id,
       r.x, r.y, r.x + r.len * cos(r.a) / 104000 as x2, r.y + r.len * sin(r.a) / 110700 as y2
from ward_load l, owners o, generate_series(1, l.n) i,
     lateral (select l.x0 + l.size * random() + 0 * i as x, l.y0 + l.size * random() as y,
                     50 + random() * 250 as len, random() * 2 * pi() as a) r
where l.kind = 'duct';
insert into asset (kind, code, owner_id, status, ward_id, geom)
select 'manhole', 'N-manhole-' || d.ward_code || '-' || d.i || end_no, d.owner_id, 'operational', d.ward_id,
       ST_SetSRID(case end_no when 'a' then ST_MakePoint(d.x, d.y) else ST_MakePoint(d.x2, d.y2) end, 4326)
from duct_spec d, (values ('a'), ('b')) e(end_no)
order by d.ward_id, d.i, end_no;
insert into manhole (asset_id, covers, cover_material, depth_m)
select id, 1 + id % 3, (array['concrete', 'cast_iron', 'composite'])[1 + id % 3], 1.2
from asset where kind = 'manhole' and code like 'N-%';
insert into asset (kind, code, owner_id, status, ward_id, geom)
select 'duct', 'N-duct-' || d.ward_code || '-' || d.i, d.owner_id, 'operational', d.ward_id,
       ST_SetSRID(ST_MakeLine(ST_MakePoint(d.x, d.y), ST_MakePoint(d.x2, d.y2)), 4326)
from duct_spec d
order by d.ward_id, d.i;
insert into duct (asset_id, layers, pipe_count, pipe_diameter_mm, cover_depth_mm, surface, from_manhole_id, to_manhole_id)
select a.id, 1 + a.id % 2, (array[4, 6, 8])[1 + a.id % 3], 110, 700, (array['pavement', 'road'])[1 + a.id % 2],
       ma.id, mb.id
from asset a
join asset ma on ma.owner_id = a.owner_id and ma.kind = 'manhole' and ma.code = replace(a.code, 'N-duct-', 'N-manhole-') || 'a'
join asset mb on mb.owner_id = a.owner_id and mb.kind = 'manhole' and mb.code = replace(a.code, 'N-duct-', 'N-manhole-') || 'b'
where a.kind = 'duct' and a.code like 'N-%';
insert into duct_pipe (duct_id, pipe_no, layer, state, occupant_id)
select d.asset_id, p, 1 + (p - 1) % d.layers,
       case when (d.asset_id + p) % 3 = 0 then 'free' when (d.asset_id + p) % 7 = 0 then 'damaged' else 'occupied' end,
       case when (d.asset_id + p) % 3 = 0 or (d.asset_id + p) % 7 = 0 then null
            else (select telecom[1 + (d.asset_id + p)::int % 4] from owners) end
from duct d join asset a on a.id = d.asset_id and a.code like 'N-%'
cross join lateral generate_series(1, d.pipe_count) p;

-- Sharing: two towers in five host one or two other operators, one pole in ten one.
insert into tenancy (asset_id, tenant_id, since, capacity_used, contract_ref, monthly_fee_vnd)
select a.id, o.telecom[1 + (coalesce(array_position(o.telecom, a.owner_id), 0) + k) % 4],
       date '2020-01-01' + (a.id % 1500)::int, 1, 'HĐ-' || a.id || '-' || k,
       case a.kind when 'tower' then 8000000 + (a.id % 7) * 1000000 else 60000 end
from asset a, owners o, generate_series(1, 2) k
where a.code like 'N-%' and a.status <> 'decommissioned'
  and ((a.kind = 'tower' and a.id % 5 < 2 and (k = 1 or a.id % 5 = 0))
       or (a.kind = 'pole' and a.id % 10 = 0 and k = 1))
  and o.telecom[1 + (coalesce(array_position(o.telecom, a.owner_id), 0) + k) % 4] <> a.owner_id;

\echo 'history documents (the chain is computed by chain.py)'
-- The documents are built set-wise in the shape of asset_snapshot (geometry,
-- properties, tenancies); run.sh then streams them through chain.py, which
-- computes chain_seq, prev_hash and hash exactly as the chain trigger would,
-- and copies the entries into asset_history.
drop table if exists national_history_staging;
create unlogged table national_history_staging as
select a.id as asset_id,
       jsonb_build_object(
           'geometry', ST_AsGeoJSON(a.geom, 7)::jsonb,
           'properties', jsonb_build_object(
               'kind', a.kind, 'code', a.code, 'name', a.name, 'operator', op.code, 'status', a.status,
               'capacity', a.capacity, 'ward_code', w.gso_code, 'version', 1),
           'tenancies', coalesce(t.docs, '[]'::jsonb)) as after
from asset a
join operator op on op.id = a.owner_id
left join admin_unit w on w.id = a.ward_id
left join lateral (
    select jsonb_agg(jsonb_build_object('id', t.id, 'tenant', tn.code, 'since', t.since,
                                        'capacity_used', t.capacity_used) order by t.id) as docs
    from tenancy t join operator tn on tn.id = t.tenant_id
    where t.asset_id = a.id) t on true
where a.code like 'N-%'
  and not exists (select 1 from asset_history h where h.asset_id = a.id);

reset session_replication_role;
analyze;
-- The undergrounding figures (migration 0115) are kept by triggers, which
-- were off for this load: compute them once from what was loaded.
select undergrounding_figures_rebuild();
select kind, count(*) from asset where code like 'N-%' group by kind order by kind;
select count(*) as wards from admin_unit where level = 'ward';
select count(*) as tenancies from tenancy;
select count(*) as history_documents from national_history_staging;
