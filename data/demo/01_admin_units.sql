-- Demo data 1/5: provinces and wards (admin_unit).
--
-- REAL: names, GSO codes, the 2025 province mergers, the VN-2000 TM-3 central
-- meridians. SYNTHETIC: every boundary (see data/README.md). Wards must exist
-- before any asset: the asset trigger ward_for() looks the ward up by geometry.

-- A deterministic pseudo-random number in [0, 1) from a text key (no random()).
create or replace function pg_temp.demo_u(key text) returns double precision
language sql immutable as $$
    select ('x' || substr(md5(key), 1, 6))::bit(24)::int / 16777216.0
$$;

-- Provinces. Boundaries are left empty: we have no real ones and do not invent them.
insert into admin_unit (gso_code, level, name, unit_type, valid_from, valid_to, tm3_meridian)
values
    -- Re-established 1/7/1989 when Nghĩa Bình was split; since 1/7/2025 it also
    -- covers former Kon Tum (Resolution 202/2025/QH15), kept here as the same unit.
    ('51', 'province', 'Quảng Ngãi', 'tỉnh',      '1989-07-01', null,         108.0),
    -- Re-established 12/8/1991 (Gia Lai – Kon Tum split); merged into Quảng Ngãi.
    ('62', 'province', 'Kon Tum',    'tỉnh',      '1991-08-12', '2025-06-30', 107.5),
    -- Start date: the city's administration of 13/5/1955 (not verified; plausible).
    -- Since 1/7/2025 it also covers former Hải Dương (Resolution 202/2025/QH15).
    ('31', 'province', 'Hải Phòng',  'thành phố', '1955-05-13', null,         105.75),
    -- Re-established 1/1/1997 (Hải Hưng split); merged into Hải Phòng.
    ('30', 'province', 'Hải Dương',  'tỉnh',      '1997-01-01', '2025-06-30', 105.5),
    -- Start date unknown to us: the schema's default placeholder.
    ('38', 'province', 'Thanh Hóa',  'tỉnh',      '1900-01-01', null,         105.0);

-- Quảng Ngãi city: a synthetic tiling of blocks of about 2.15 km x 2.0 km
-- (0.020 deg of longitude x 0.018 deg of latitude) around the real centre of the
-- city (provincial People's Committee at about 108.792 E, 15.1206 N).
--
--   lat 15.139 +-------------+-------------+-------------+-------------+
--              |             | Nguyễn      | Lê Hồng     | Trần Phú    |
--              |  Quảng Phú  | Nghiêm      | Phong       |             |
--   lat 15.121 |             +-------------+-------------+-------------+
--              |             | Trần Hưng   | CHÁNH LỘ    |             |
--              |             | Đạo         |             |  Nghĩa Lộ   |
--   lat 15.103 |             +-------------+-------------+             |
--              |             |        Nghĩa Chánh        |             |
--   lat 15.085 +-------------+-------------+-------------+-------------+
--           108.756       108.776       108.796       108.816       108.836
--
-- Trương Quang Trọng lies north of the Trà Khúc river (a gap of 300-700 m is
-- left for the river). The grid corners and the middle of every edge are moved
-- by a few hundred metres so the map does not look like graph paper; neighbours
-- share the very same moved points, so the blocks tile without gaps or overlaps.
create temp table demo_vertex as
select i, j,
       108.756 + 0.020 * i + (pg_temp.demo_u('vx' || i || ',' || j) - 0.5) * 0.0024 as x,
       15.085 + 0.018 * j + (pg_temp.demo_u('vy' || i || ',' || j) - 0.5) * 0.0020 as y
from generate_series(0, 4) i, generate_series(0, 3) j;

-- The point bent out of the middle of each edge: horizontal edges (i,j)-(i+1,j)
-- move north-south, vertical edges (i,j)-(i,j+1) move east-west.
create temp table demo_edge_mid as
select 'h' as dir, a.i, a.j,
       (a.x + b.x) / 2 as x,
       (a.y + b.y) / 2 + (pg_temp.demo_u('eh' || a.i || ',' || a.j) - 0.5) * 0.0016 as y
from demo_vertex a join demo_vertex b on b.i = a.i + 1 and b.j = a.j
union all
select 'v', a.i, a.j,
       (a.x + b.x) / 2 + (pg_temp.demo_u('ev' || a.i || ',' || a.j) - 0.5) * 0.0016,
       (a.y + b.y) / 2
from demo_vertex a join demo_vertex b on b.i = a.i and b.j = a.j + 1;

-- Cell (i, j) has its south-west corner at vertex (i, j); ring anticlockwise.
create temp table demo_cell as
select c.i, c.j,
       ST_MakePolygon(ST_MakeLine(array[
           ST_MakePoint(v00.x, v00.y), ST_MakePoint(hs.x, hs.y),
           ST_MakePoint(v10.x, v10.y), ST_MakePoint(ve.x, ve.y),
           ST_MakePoint(v11.x, v11.y), ST_MakePoint(hn.x, hn.y),
           ST_MakePoint(v01.x, v01.y), ST_MakePoint(vw.x, vw.y),
           ST_MakePoint(v00.x, v00.y)])) as geom
from (select i, j from generate_series(0, 3) i, generate_series(0, 2) j) c
join demo_vertex v00 on v00.i = c.i and v00.j = c.j
join demo_vertex v10 on v10.i = c.i + 1 and v10.j = c.j
join demo_vertex v11 on v11.i = c.i + 1 and v11.j = c.j + 1
join demo_vertex v01 on v01.i = c.i and v01.j = c.j + 1
join demo_edge_mid hs on hs.dir = 'h' and hs.i = c.i and hs.j = c.j
join demo_edge_mid hn on hn.dir = 'h' and hn.i = c.i and hn.j = c.j + 1
join demo_edge_mid vw on vw.dir = 'v' and vw.i = c.i and vw.j = c.j
join demo_edge_mid ve on ve.dir = 'v' and ve.i = c.i + 1 and ve.j = c.j;

-- Wards of Quảng Ngãi city: real names and GSO codes (list in force until
-- 30/6/2025), synthetic boundaries. valid_from is a placeholder (not verified).
with ward (gso_code, name, cells) as (values
    ('21010', 'Lê Hồng Phong',     array['2,2']),
    ('21013', 'Trần Phú',          array['3,2']),
    ('21016', 'Quảng Phú',         array['0,0', '0,1', '0,2']),
    ('21019', 'Nghĩa Chánh',       array['1,0', '2,0']),
    ('21022', 'Trần Hưng Đạo',     array['1,1']),
    ('21025', 'Nguyễn Nghiêm',     array['1,2']),
    ('21028', 'Nghĩa Lộ',          array['3,0', '3,1']),
    ('21031', 'Chánh Lộ',          array['2,1']))
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, boundary)
select w.gso_code, 'ward', w.name, 'phường',
       (select id from admin_unit where gso_code = '51' and level = 'province'),
       '2000-01-01',
       ST_SetSRID(ST_Multi(ST_Union(c.geom)), 4326)
from ward w
join demo_cell c on (c.i || ',' || c.j) = any (w.cells)
group by w.gso_code, w.name
order by w.gso_code;

-- Trương Quang Trọng, north of the Trà Khúc river: 5.4 km x 1.9 km with a
-- slightly bent river bank.
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, boundary)
values ('21172', 'ward', 'Trương Quang Trọng', 'phường',
        (select id from admin_unit where gso_code = '51' and level = 'province'),
        '2000-01-01',
        ST_GeomFromText('MULTIPOLYGON(((108.766 15.1432, 108.778 15.1418, 108.790 15.1427,
            108.802 15.1441, 108.816 15.1429, 108.8165 15.1520, 108.816 15.1610,
            108.791 15.1618, 108.766 15.1605, 108.7655 15.1520, 108.766 15.1432)))', 4326));

-- Two wards elsewhere, so the registry shows more than one province: about 2 km
-- boxes at their real locations.
-- Phú Sơn, former Bỉm Sơn town, Thanh Hóa (real GSO code 14823).
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, boundary)
values ('14823', 'ward', 'Phú Sơn', 'phường',
        (select id from admin_unit where gso_code = '38' and level = 'province'),
        '2000-01-01',
        ST_Multi(ST_MakeEnvelope(105.8505, 20.0710, 105.8695, 20.0890, 4326)));

-- Thủy Nguyên, Hải Phòng: a ward of the 2025 organisation whose GSO code we do
-- not know, so gso_code is left empty.
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, boundary)
values (null, 'ward', 'Thủy Nguyên', 'phường',
        (select id from admin_unit where gso_code = '31' and level = 'province'),
        '2025-07-01',
        ST_Multi(ST_MakeEnvelope(106.6605, 20.9210, 106.6795, 20.9390, 4326)));

drop table demo_cell;
drop table demo_edge_mid;
drop table demo_vertex;
drop function pg_temp.demo_u(text);
