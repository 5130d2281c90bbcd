-- Demo data 1/7: provinces, districts, communes and wards before and after
-- the 2025 reorganisation, and the neighbourhood units of Chánh Lộ (admin_unit).
--
-- REAL: names, GSO codes, the 2025 province mergers (Resolution 202/2025/QH15)
-- and commune-level mergers (Resolutions 1677, 1669 and 1686/NQ-UBTVQH15 of
-- 16/6/2025, in force 1/7/2025), the new GSO codes (Cục Thống kê, Công văn số
-- 1027/CTK-CSCL ngày 25/6/2025), the VN-2000 TM-3 central meridians.
-- SYNTHETIC or APPROXIMATE: every boundary, and the tổ dân phố of Chánh Lộ
-- (see data/README.md). Wards must exist before any asset: the asset trigger
-- ward_for() places each asset in the ward valid today that covers it, so the
-- demo's assets now lie in the wards of 1/7/2025 (Cẩm Thành, Nghĩa Lộ,
-- Trương Quang Trọng, Quang Trung, Thủy Nguyên).

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

-- Districts of the seed areas: the tier that ended on 30/6/2025, when the
-- two-tier local government began. valid_from is the schema's default
-- (1900-01-01, which the screens show as "not known") where the founding date
-- was not checked.
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, valid_to, established_by, ended_by, note)
select d.code, 'district', d.name, d.unit_type, p.id, d.valid_from::date, '2025-06-30', d.established_by,
       'Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội và Luật Tổ chức chính quyền địa phương số 72/2025/QH15: không tổ chức cấp huyện từ 01/7/2025',
       d.note
from (values
    ('522', 'Quảng Ngãi',  'thành phố', '51', '1900-01-01', null::text, 'Chưa kiểm chứng ngày thành lập (để trống: 01/01/1900).'),
    ('531', 'Minh Long',   'huyện',     '51', '1900-01-01', null, 'Chưa kiểm chứng ngày thành lập (để trống: 01/01/1900).'),
    (null,  'Bỉm Sơn',     'thị xã',    '38', '1900-01-01', null, 'Mã GSO và ngày thành lập chưa kiểm chứng.'),
    (null,  'Thủy Nguyên', 'thành phố', '31', '2025-01-01', 'Nghị quyết số 1232/NQ-UBTVQH15 ngày 24/10/2024 của Ủy ban Thường vụ Quốc hội',
     'Thành phố thuộc thành phố Hải Phòng từ 01/01/2025 (trước đó là huyện Thủy Nguyên). Mã GSO chưa kiểm chứng.')
) as d (code, name, unit_type, province, valid_from, established_by, note)
join admin_unit p on p.gso_code = d.province and p.level = 'province';

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

-- Wards of Quảng Ngãi city until 30/6/2025: real names and GSO codes (the GSO
-- list in force until then), synthetic boundaries (the blocks above).
-- valid_from is the schema's default (1900-01-01: not known), not a date.
with ward (gso_code, name, cells) as (values
    ('21010', 'Lê Hồng Phong',     array['2,2']),
    ('21013', 'Trần Phú',          array['3,2']),
    ('21016', 'Quảng Phú',         array['0,0', '0,1', '0,2']),
    ('21019', 'Nghĩa Chánh',       array['1,0', '2,0']),
    ('21022', 'Trần Hưng Đạo',     array['1,1']),
    ('21025', 'Nguyễn Nghiêm',     array['1,2']),
    ('21028', 'Nghĩa Lộ',          array['3,0', '3,1']),
    ('21031', 'Chánh Lộ',          array['2,1']))
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, valid_to, ended_by,
                        boundary, boundary_quality, boundary_source)
select w.gso_code, 'ward', w.name, 'phường',
       (select id from admin_unit where gso_code = '522' and level = 'district'),
       '1900-01-01', '2025-06-30',
       'Nghị quyết số 1677/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Quảng Ngãi năm 2025',
       ST_SetSRID(ST_Multi(ST_Union(c.geom)), 4326), 'synthetic',
       'Ô lưới tổng hợp quanh trung tâm thành phố (không phải ranh giới thật)'
from ward w
join demo_cell c on (c.i || ',' || c.j) = any (w.cells)
group by w.gso_code, w.name
order by w.gso_code;

-- Trương Quang Trọng, north of the Trà Khúc river: 5.4 km x 1.9 km with a
-- slightly bent river bank. Established on 1/4/2014 from the former Sơn Tịnh
-- town when it joined Quảng Ngãi city (Resolution 123/NQ-CP of 12/12/2013).
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, valid_to, established_by, ended_by,
                        boundary, boundary_quality, boundary_source)
values ('21172', 'ward', 'Trương Quang Trọng', 'phường',
        (select id from admin_unit where gso_code = '522' and level = 'district'),
        '2014-04-01', '2025-06-30',
        'Nghị quyết số 123/NQ-CP ngày 12/12/2013 của Chính phủ (hiệu lực từ 01/4/2014)',
        'Nghị quyết số 1677/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Quảng Ngãi năm 2025',
        ST_GeomFromText('MULTIPOLYGON(((108.766 15.1432, 108.778 15.1418, 108.790 15.1427,
            108.802 15.1441, 108.816 15.1429, 108.8165 15.1520, 108.816 15.1610,
            108.791 15.1618, 108.766 15.1605, 108.7655 15.1520, 108.766 15.1432)))', 4326),
        'synthetic', 'Hình tổng hợp ven bờ bắc sông Trà Khúc (không phải ranh giới thật)');

-- The three communes that joined Trương Quang Trọng on 1/7/2025, around it
-- (west, north, east); APPROXIMATE: rough boxes cut so the four tile without
-- gaps or overlaps. In Quảng Ngãi city since 1/4/2014 (before, Sơn Tịnh district).
create temp table demo_tqt as select boundary as g from admin_unit where gso_code = '21172';
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, valid_to, ended_by,
                        boundary, boundary_quality, boundary_source, note)
select c.code, 'ward', c.name, 'xã',
       (select id from admin_unit where gso_code = '522' and level = 'district'),
       '2014-04-01', '2025-06-30',
       'Nghị quyết số 1677/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Quảng Ngãi năm 2025',
       ST_Multi(c.g), 'approximate', 'Hình chữ nhật gần đúng quanh vị trí thật (không phải ranh giới chính thức)',
       'Thuộc thành phố Quảng Ngãi từ 01/4/2014; trước đó thuộc huyện Sơn Tịnh (không nạp).'
from (
    select '21223' as code, 'Tịnh Ấn Tây' as name,
           ST_Difference(ST_MakeEnvelope(108.734, 15.1418, 108.766, 15.178, 4326), (select g from demo_tqt)) as g
    union all
    select '21202', 'Tịnh Ấn Đông',
           ST_Difference(ST_MakeEnvelope(108.766, 15.150, 108.8165, 15.178, 4326), (select g from demo_tqt))
    union all
    select '21232', 'Tịnh An',
           ST_Difference(ST_Difference(ST_MakeEnvelope(108.816, 15.1418, 108.850, 15.178, 4326), (select g from demo_tqt)),
                         ST_MakeEnvelope(108.766, 15.150, 108.8165, 15.178, 4326))
) c
order by c.code;
drop table demo_tqt;

-- Minh Long district and its five communes until 30/6/2025 (GSO codes of the
-- list in force until then). APPROXIMATE: a 15 km x 14 km box about where the
-- district lies, south-west of Quảng Ngãi city, cut into five.
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, valid_to, ended_by,
                        boundary, boundary_quality, boundary_source)
select c.code, 'ward', c.name, 'xã',
       (select id from admin_unit where gso_code = '531' and level = 'district'),
       '1900-01-01', '2025-06-30',
       'Nghị quyết số 1677/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Quảng Ngãi năm 2025',
       ST_Multi(ST_MakeEnvelope(c.w, c.s, c.e, c.n, 4326)), 'approximate',
       'Hình chữ nhật gần đúng quanh vị trí thật (không phải ranh giới chính thức)'
from (values
    ('21349', 'Long Sơn',  108.63, 14.96, 108.70, 15.01),
    ('21352', 'Long Mai',  108.70, 14.96, 108.77, 15.01),
    ('21355', 'Thanh An',  108.63, 14.88, 108.68, 14.96),
    ('21358', 'Long Môn',  108.72, 14.88, 108.77, 14.96),
    ('21361', 'Long Hiệp', 108.68, 14.88, 108.72, 14.96)
) as c (code, name, w, s, e, n)
order by c.code;

-- Phú Sơn and its neighbours in Bỉm Sơn town (Thanh Hóa) until 30/6/2025.
-- Phú Sơn's GSO code 14823 is real; the neighbours' codes were not checked.
-- APPROXIMATE: 2 km boxes, Phú Sơn's at its real location.
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, valid_to, ended_by,
                        boundary, boundary_quality, boundary_source)
select c.code, 'ward', c.name, c.unit_type,
       (select id from admin_unit where name = 'Bỉm Sơn' and level = 'district'),
       '1900-01-01', '2025-06-30',
       'Nghị quyết số 1686/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Thanh Hóa năm 2025',
       ST_Multi(ST_MakeEnvelope(c.w, c.s, c.e, c.n, 4326)), 'approximate',
       'Hình vuông gần đúng quanh vị trí thật (không phải ranh giới chính thức)'
from (values
    ('14823', 'Phú Sơn',    'phường', 105.8505, 20.0710, 105.8695, 20.0890),
    (null,    'Ngọc Trạo',  'phường', 105.8315, 20.0710, 105.8505, 20.0890),
    (null,    'Bắc Sơn',    'phường', 105.8505, 20.0890, 105.8695, 20.1070),
    (null,    'Quang Trung', 'xã',    105.8315, 20.0530, 105.8695, 20.0710)
) as c (code, name, unit_type, w, s, e, n)
order by c.name collate "C";

-- The wards of Thủy Nguyên city (Hải Phòng) from 1/1/2025 to 30/6/2025 that
-- make up the new Thủy Nguyên ward: Dương Quan and Thủy Đường whole, parts of
-- Hoa Động, An Lư and Thủy Hà. GSO codes not checked. APPROXIMATE boxes.
insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, valid_to, established_by, ended_by,
                        boundary, boundary_quality, boundary_source)
select null, 'ward', c.name, 'phường',
       (select id from admin_unit where name = 'Thủy Nguyên' and level = 'district'),
       '2025-01-01', '2025-06-30',
       'Nghị quyết số 1232/NQ-UBTVQH15 ngày 24/10/2024 của Ủy ban Thường vụ Quốc hội',
       'Nghị quyết số 1669/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã của thành phố Hải Phòng năm 2025',
       ST_Multi(ST_MakeEnvelope(c.w, c.s, c.e, c.n, 4326)), 'approximate',
       'Hình chữ nhật gần đúng quanh vị trí thật (không phải ranh giới chính thức)'
from (values
    ('Thủy Đường', 106.6605, 20.9210, 106.6700, 20.9390),
    ('Dương Quan', 106.6700, 20.9210, 106.6795, 20.9390),
    ('Hoa Động',   106.6415, 20.9030, 106.6700, 20.9210),
    ('An Lư',      106.6700, 20.9030, 106.6985, 20.9210),
    ('Thủy Hà',    106.6795, 20.9210, 106.6985, 20.9390)
) as c (name, w, s, e, n)
order by c.name collate "C";

-- The wards and communes of 1/7/2025 (two-tier local government), with the
-- GSO codes of Cục Thống kê's list (Công văn số 1027/CTK-CSCL ngày 25/6/2025),
-- each the union of what it replaced where it replaced whole units.
create temp table demo_successor (code text, name text, unit_type text, province text, resolution text,
                                  whole text[], part text[], box double precision[]);
insert into demo_successor values
    ('21025', 'Cẩm Thành', 'phường', '51', '1677', array['21019', '21022', '21025', '21031'], array[]::text[], null),
    ('21028', 'Nghĩa Lộ', 'phường', '51', '1677', array['21010', '21013', '21016', '21028'], array[]::text[], null),
    ('21172', 'Trương Quang Trọng', 'phường', '51', '1677', array['21172', '21202', '21223', '21232'], array[]::text[], null),
    ('21361', 'Minh Long', 'xã', '51', '1677', array['21361', '21355', '21358'], array[]::text[], null),
    ('21349', 'Sơn Mai', 'xã', '51', '1677', array['21352', '21349'], array[]::text[], null),
    ('14818', 'Quang Trung', 'phường', '38', '1686', array['Bắc Sơn', 'Ngọc Trạo', '14823', 'Quang Trung'], array[]::text[], null),
    ('11560', 'Thủy Nguyên', 'phường', '31', '1669', array['Dương Quan', 'Thủy Đường'], array['Hoa Động', 'An Lư', 'Thủy Hà'],
     array[106.6605, 20.9210, 106.6795, 20.9390]);

create temp table demo_old as
select u.id, coalesce(u.gso_code, u.name) as key, u.boundary
from admin_unit u where u.level = 'ward' and u.valid_to = '2025-06-30';

insert into admin_unit (gso_code, level, name, unit_type, parent_id, valid_from, established_by,
                        boundary, boundary_quality, boundary_source)
select s.code, 'ward', s.name, s.unit_type,
       (select id from admin_unit where gso_code = s.province and level = 'province'),
       '2025-07-01',
       format('Nghị quyết số %s/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã của %s năm 2025',
              s.resolution, case s.province when '51' then 'tỉnh Quảng Ngãi' when '38' then 'tỉnh Thanh Hóa' else 'thành phố Hải Phòng' end),
       case when s.box is not null then ST_Multi(ST_MakeEnvelope(s.box[1], s.box[2], s.box[3], s.box[4], 4326))
            else (select ST_Multi(ST_Union(o.boundary)) from demo_old o where o.key = any (s.whole)) end,
       case when s.province = '51' and s.code in ('21025', '21028', '21172') then 'synthetic' else 'approximate' end,
       'Hợp ranh giới (tổng hợp hoặc gần đúng) của các đơn vị được sắp xếp'
from demo_successor s
order by s.code;

insert into admin_unit_predecessor (unit_id, predecessor_id, whole)
select n.id, o.id, o.key = any (s.whole)
from demo_successor s
join admin_unit n on n.gso_code = s.code and n.valid_from = '2025-07-01'
join demo_old o on o.key = any (s.whole || s.part)
order by n.id, o.id;

drop table demo_old;
drop table demo_successor;

-- Chánh Lộ's neighbourhood units: twelve tổ dân phố cutting its block into a
-- 4 x 3 grid. SYNTHETIC: the number, names and boundaries are invented (the
-- real ward's tổ dân phố are not in any source we could check). They stay in
-- force after 1/7/2025, now within Cẩm Thành (their parent remains Chánh Lộ,
-- whose plan they are counted for).
insert into admin_unit (level, name, unit_type, parent_id, valid_from, boundary, boundary_quality, boundary_source)
select 'neighbourhood', 'Tổ dân phố ' || (g.j * 4 + g.i + 1), 'tổ dân phố', w.id, '1900-01-01',
       ST_Multi(ST_CollectionExtract(ST_Intersection(w.boundary,
           ST_MakeEnvelope(b.x0 + (b.x1 - b.x0) * g.i / 4, b.y1 - (b.y1 - b.y0) * (g.j + 1) / 3,
                           b.x0 + (b.x1 - b.x0) * (g.i + 1) / 4, b.y1 - (b.y1 - b.y0) * g.j / 3, 4326)), 3)),
       'synthetic', 'Ô lưới tổng hợp trong phường Chánh Lộ (không phải ranh giới thật)'
from admin_unit w
cross join lateral (select ST_XMin(w.boundary) x0, ST_YMin(w.boundary) y0, ST_XMax(w.boundary) x1, ST_YMax(w.boundary) y1) b
cross join generate_series(0, 3) as gi (i)
cross join lateral (select gi.i, gj.j from generate_series(0, 2) as gj (j)) g
where w.gso_code = '21031' and w.level = 'ward'
  and ST_Area(ST_Intersection(w.boundary,
          ST_MakeEnvelope(b.x0 + (b.x1 - b.x0) * g.i / 4, b.y1 - (b.y1 - b.y0) * (g.j + 1) / 3,
                          b.x0 + (b.x1 - b.x0) * (g.i + 1) / 4, b.y1 - (b.y1 - b.y0) * g.j / 3, 4326))) > 0
order by g.j, g.i;

-- Quảng Ngãi and Hải Phòng continue as the same units, having absorbed Kon Tum
-- and Hải Dương (Resolution 202/2025/QH15): their figures include those
-- provinces' history.
insert into admin_unit_predecessor (unit_id, predecessor_id, whole)
select n.id, o.id, true
from (values ('51', '62'), ('31', '30')) as m (unit, old)
join admin_unit n on n.gso_code = m.unit and n.level = 'province'
join admin_unit o on o.gso_code = m.old and o.level = 'province'
order by n.id;
update admin_unit set ended_by = 'Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh'
where level = 'province' and valid_to = '2025-06-30';

drop table demo_cell;
drop table demo_edge_mid;
drop table demo_vertex;
drop function pg_temp.demo_u(text);
