-- Demo data 4/5: the network. EVERYTHING HERE IS SYNTHETIC (see data/README.md).
--
-- Generated from the streets of 03_streets.sql, deterministically: every
-- "random" choice is a hash of a fixed text key (pg_temp.demo_u), so loading
-- twice gives the same registry. The plan is built in temporary tables in
-- metres (UTM zone 49N, EPSG:32649) first, then written to the registry:
--
--   duct banks   5 streets through Chánh Lộ and a section of Phạm Văn Đồng:
--                manholes every 80-120 m, one duct between each pair, every
--                pipe listed; a pipe leased along a street is occupied for a
--                stretch of manholes by one operator, whose cable runs in it.
--   poles        every ~36 m on one side of the other streets inside a survey
--                area (Chánh Lộ and 450 m around it); inside Chánh Lộ the
--                other side of the street has a line of poles too.
--   cables       overhead cables of 1-3 operators along each line of poles;
--                underground cables in the leased pipes; a few in a trench and
--                a tunnel. Tenancies follow from the cables: an operator whose
--                cable hangs on someone else's pole rents one attachment there.
--   towers       ~50 BTS sites in block interiors, cabinets beside the poles.

-- The generated queries are cheap but their estimates over unanalysed
-- temporary tables are not: with JIT on, compiling them takes several times
-- longer than running them. Off for this transaction only.
set local jit = off;

-- A deterministic pseudo-random number in [0, 1) from a text key.
create or replace function pg_temp.demo_u(key text) returns double precision
language sql immutable as $$
    select ('x' || substr(md5(key), 1, 6))::bit(24)::int / 16777216.0
$$;

-- One of the options, chosen by the key.
create or replace function pg_temp.demo_pick(key text, options anyarray) returns anyelement
language sql immutable as $$
    select options[1 + floor(pg_temp.demo_u(key) * cardinality(options))::int]
$$;

-- A date between two dates, chosen by the key.
create or replace function pg_temp.demo_date(key text, first date, last date) returns date
language sql immutable as $$
    select first + floor(pg_temp.demo_u(key) * (last - first + 1))::int
$$;

-- A point of the street grid of 03_streets.sql (u east, v north, metres from
-- 108.804 E 15.114 N, turned 8 degrees), in UTM 49N.
create or replace function pg_temp.demo_grid(u double precision, v double precision) returns geometry
language sql immutable as $$
    select ST_SetSRID(ST_MakePoint(ST_X(o) + u * cos(radians(8)) - v * sin(radians(8)),
                                   ST_Y(o) + u * sin(radians(8)) + v * cos(radians(8))), 32649)
    from (select ST_Transform(ST_SetSRID(ST_MakePoint(108.804, 15.114), 4326), 32649) as o) origin
$$;

----------------------------------------------------------------------------
-- Reference: operators, wards, streets, the survey area
----------------------------------------------------------------------------

create temp table demo_op as
select id, code,
       case code when 'VNPT' then 'VNPT' when 'VIETTEL' then 'VTL' when 'MOBIFONE' then 'MBF'
                 when 'FPT' then 'FPT' when 'EVNCPC' then 'EVN' when 'QNG-CSDT' then 'CSDT' end as abbr
from operator;

-- The wards the network is laid out in: the demo's eleven wards as they were
-- before 1/7/2025 (the oldest unit of each name; Thủy Nguyên is the ward of
-- 2025). Assets are then placed by ward_for() in the wards valid today.
create temp table demo_ward as
select * from (
    select distinct on (w.name) w.id, w.name,
           case w.name when 'Chánh Lộ' then 'CL' when 'Trần Hưng Đạo' then 'THD' when 'Nguyễn Nghiêm' then 'NN'
                       when 'Lê Hồng Phong' then 'LHP' when 'Trần Phú' then 'TP' when 'Nghĩa Lộ' then 'NL'
                       when 'Nghĩa Chánh' then 'NC' when 'Quảng Phú' then 'QP' when 'Trương Quang Trọng' then 'TQT'
                       when 'Phú Sơn' then 'PS' when 'Thủy Nguyên' then 'TN' end as abbr,
           case p.gso_code when '51' then 'QNI' when '38' then 'THA' when '31' then 'HPG' end as prov,
           w.boundary,
           ST_Transform(w.boundary, 32649) as g
    from admin_unit w
    join admin_unit p on p.level = 'province' and p.id in (select admin_unit_ancestors(w.id))
    where w.level = 'ward'
    order by w.name, w.valid_from
) named
where abbr is not null;

create temp table demo_street as
select id, name, class, ST_Transform(geom, 32649) as g from street;

-- The survey area: Chánh Lộ and a band of 450 m around it.
create temp table demo_area as
select cl.g as chanh_lo,
       ST_Intersection(ST_Buffer(cl.g, 450),
                       (select ST_Union(g) from demo_ward where prov = 'QNI' and abbr <> 'TQT')) as survey
from demo_ward cl
where cl.abbr = 'CL';

----------------------------------------------------------------------------
-- Duct banks, manholes and pipes
----------------------------------------------------------------------------

-- Streets with a duct bank: owner, pipes (layers x per layer), and the stretch
-- (f0..f1 of the street; null = the part inside the survey area). On Phạm Văn
-- Đồng the ducts after uc_from (fraction of the ducts) are still being built.
create temp table demo_duct_street (
    street text, owner text, layers int, pipe_count int, diameter int, surface text,
    cover_mm int, covers int, f0 double precision, f1 double precision, uc_from double precision);
insert into demo_duct_street values
    ('Quang Trung',   'VNPT',    3, 12, 110, 'pavement', 1000, 3, null, null, null),
    ('Hùng Vương',    'VIETTEL', 2,  8, 110, 'pavement',  900, 2, null, null, null),
    ('Phan Bội Châu', 'VNPT',    2,  6, 110, 'pavement',  800, 2, null, null, null),
    ('Lê Thánh Tôn',  'VIETTEL', 1,  4, 110, 'verge',     700, 1, null, null, null),
    ('Chu Văn An',    'FPT',     1,  2,  90, 'pavement',  600, 1, null, null, null),
    ('Phạm Văn Đồng', 'VNPT',    2,  4, 114, 'road',     1100, 2, 0.30, 0.75, 0.6);

-- The duct route: 3 m to the left of the street's centre line.
create temp table demo_duct_line as
select ds.*, ST_OffsetCurve(part.g, 3) as g
from demo_duct_street ds
join demo_street s on s.name = ds.street
cross join demo_area a
cross join lateral (
    select case when ds.f0 is not null then ST_LineSubstring(s.g, ds.f0, ds.f1)
                else (select d.geom from ST_Dump(ST_Intersection(s.g, a.survey)) d
                      where GeometryType(d.geom) = 'LINESTRING'
                      order by ST_Length(d.geom) desc limit 1) end as g
) part;

-- Manholes 0..n about every 100 m (80-120 m), ducts 1..n between them.
create temp table demo_manhole as
select dl.street, k, n.n_ducts,
       ST_LineInterpolatePoint(dl.g, least(greatest(ff.f, 0), 1)) as g,
       case when dl.uc_from is not null and k > ceil(dl.uc_from * n.n_ducts) then 'under_construction'
            else 'operational' end as status
from demo_duct_line dl
cross join lateral (select greatest(round(ST_Length(dl.g) / 100)::int, 1) as n_ducts) n
cross join lateral generate_series(0, n.n_ducts) k
cross join lateral (
    select case when k in (0, n.n_ducts) then k::double precision / n.n_ducts
                else (k * ST_Length(dl.g) / n.n_ducts
                      + (pg_temp.demo_u(dl.street || '/mh/' || k) - 0.5) * 20) / ST_Length(dl.g) end as f
) ff;

create temp table demo_duct as
select a.street, b.k, a.n_ducts,
       ST_SetPoint(ST_SetPoint(sub.g, 0, a.g), ST_NPoints(sub.g) - 1, b.g) as g,
       case when dl.uc_from is not null and b.k > ceil(dl.uc_from * a.n_ducts) then 'under_construction'
            else 'operational' end as status
from demo_manhole a
join demo_manhole b on b.street = a.street and b.k = a.k + 1
join demo_duct_line dl on dl.street = a.street
cross join lateral (
    select ST_LineSubstring(dl.g, ST_LineLocatePoint(dl.g, a.g), ST_LineLocatePoint(dl.g, b.g)) as g
) sub;

-- Pipe leases: pipe p of a street's bank is held by one operator (the owner,
-- another operator, or nobody) over a stretch of ducts a..b.
create temp table demo_lease as
with pipe as (
    select ds.street, ds.owner, p, ds.pipe_count,
           (select count(*) from demo_duct d where d.street = ds.street and d.status = 'operational')::int as n_op,
           pg_temp.demo_u(ds.street || '/pipe/' || p || '/who') as who
    from demo_duct_street ds
    cross join lateral generate_series(1, ds.pipe_count) p
)
select street, owner, p as pipe_no,
       case when who < 0.40 then owner
            else pg_temp.demo_pick(street || '/pipe/' || p || '/other',
                                   array(select code from (values ('VNPT'), ('VIETTEL'), ('MOBIFONE'), ('FPT')) t(code)
                                         where code <> pipe.owner order by code)) end as occupant,
       1 + floor(pg_temp.demo_u(street || '/pipe/' || p || '/a') * 0.3 * n_op)::int as a,
       n_op - floor(pg_temp.demo_u(street || '/pipe/' || p || '/b') * 0.3 * n_op)::int as b,
       case when pg_temp.demo_u(street || '/pipe/' || p || '/state') < 0.35 then 'partly_occupied'
            else 'occupied' end as state
from pipe
where who < 0.87;

create temp table demo_pipe as
select d.street, d.k, p as pipe_no,
       1 + (p - 1) / (ds.pipe_count / ds.layers) as layer,
       coalesce(l.state, case when d.status = 'operational'
                                   and pg_temp.demo_u(d.street || '/' || d.k || '/' || p || '/dmg') < 0.05
                              then 'damaged' else 'free' end) as state,
       l.occupant
from demo_duct d
join demo_duct_street ds on ds.street = d.street
cross join lateral generate_series(1, ds.pipe_count) p
left join demo_lease l on l.street = d.street and l.pipe_no = p and d.k between l.a and l.b;

----------------------------------------------------------------------------
-- Trench and tunnel
----------------------------------------------------------------------------

create temp table demo_trench as
select t.*, ST_LineSubstring(ST_OffsetCurve(s.g, t.offset_m), t.f0, t.f1) as g
from (values
    ('trench', 'Lê Khiết',     'VNPT',   'trench', 0.8, 1.2, 4,  0.10, 0.55, 2.5,
     'Hào kỹ thuật Lê Khiết', 'Hào cáp xây gạch, nắp đan bê tông'),
    ('tunnel', 'Hai Bà Trưng', 'EVNCPC', 'tunnel', 2.0, 2.5, 12, 0.40, 0.58, 2.0,
     'Tuy nen kỹ thuật Hai Bà Trưng', 'Tuy nen ngầm hóa lưới điện và cáp viễn thông, xây năm 2022')
) t(key, street, owner, trench_type, width_m, depth_m, capacity, f0, f1, offset_m, name, note)
join demo_street s on s.name = t.street;

----------------------------------------------------------------------------
-- Pole lines and poles
----------------------------------------------------------------------------

-- A line of poles: one side of a street inside the survey area ('R', 6 m to
-- the right), plus the other side inside Chánh Lộ ('L', 6 m to the left:
-- street lights on the main and secondary streets, telecom operators' own
-- poles and some power poles on the others). Streets with a duct bank have no
-- poles. Two short lines of telecom poles stand in Phú Sơn and Thủy Nguyên.
create temp table demo_pole_line as
with part as (
    select s.id as street_id, s.name as street, s.class, 'R' as side, coalesce(d.path[1], 1) as part_no, d.geom
    from demo_street s
    cross join demo_area a
    cross join lateral ST_Dump(ST_Intersection(s.g, a.survey)) d
    where s.name not in (select street from demo_duct_street)
    union all
    select s.id, s.name, s.class, 'L', coalesce(d.path[1], 1), d.geom
    from demo_street s
    cross join demo_area a
    cross join lateral ST_Dump(ST_Intersection(s.g, a.chanh_lo)) d
    where s.name not in (select street from demo_duct_street)
)
select row_number() over (order by street_id, side desc, part_no)::int as line_id,
       street, class, side, null::text as fixed_owner,
       case side when 'L' then ST_OffsetCurve(geom, 6)
                 else ST_Reverse(ST_OffsetCurve(ST_Reverse(geom), 6)) end as g
from part
where GeometryType(geom) = 'LINESTRING' and ST_Length(geom) > 150;

insert into demo_pole_line
select 1000 + n, null, 'local', 'R', owner, ST_Transform(ST_SetSRID(ST_MakeLine(ST_MakePoint(x0, y0), ST_MakePoint(x1, y1)), 4326), 32649)
from (values
    (1, 'VNPT',    105.8575, 20.0790, 105.8607, 20.0797),
    (2, 'VIETTEL', 106.6660, 20.9285, 106.6693, 20.9292)
) t(n, owner, x0, y0, x1, y1);

-- Poles every 36 m (give or take 3 m). Ownership comes in runs of 8-20 poles:
-- mostly the power company, some street lights, some poles of telecom
-- operators (most of those on the far side of the local streets of Chánh Lộ).
create temp table demo_pole as
with spot as (
    select l.line_id, l.street, l.class, l.side, l.fixed_owner, k, n.n_last,
           ST_LineInterpolatePoint(l.g, (5 + k * 36.0
               + case when k in (0, n.n_last) then 0
                      else (pg_temp.demo_u('pole/' || l.line_id || '/' || k) - 0.5) * 6 end) / ST_Length(l.g)) as g,
           k / (8 + floor(pg_temp.demo_u('line/' || l.line_id || '/run') * 13)::int) as run
    from demo_pole_line l
    cross join lateral (select floor((ST_Length(l.g) - 10) / 36)::int as n_last) n
    cross join lateral generate_series(0, n.n_last) k
),
owned as (
    select spot.*,
           ST_Transform(spot.g, 4326) as g4326,
           case when fixed_owner is not null then fixed_owner
                when side = 'L' and class in ('main', 'secondary') then 'QNG-CSDT'
                when side = 'L' then
                     (select case when u < 0.35 then 'VNPT' when u < 0.60 then 'VIETTEL' when u < 0.85 then 'EVNCPC'
                                  when u < 0.95 then 'FPT' else 'MOBIFONE' end
                      from (select pg_temp.demo_u('line/' || line_id || '/run/' || run) as u) r)
                else (select case when u < 0.70 then 'EVNCPC'
                                  when u < 0.78 and class in ('main', 'secondary') then 'QNG-CSDT'
                                  when u < 0.78 then 'EVNCPC'
                                  when u < 0.88 then 'VNPT'
                                  when u < 0.95 then 'VIETTEL'
                                  when u < 0.975 then 'MOBIFONE'
                                  else 'FPT' end
                      from (select pg_temp.demo_u('line/' || line_id || '/run/' || run) as u) r) end as owner
    from spot
)
select o.*, 'pole/' || o.line_id || '/' || o.k as key,
       (select w.abbr from demo_ward w where ST_Intersects(w.boundary, o.g4326) order by w.id limit 1) as ward,
       pg_temp.demo_u('pole/' || o.line_id || '/' || o.k || '/attr') as u
from owned o;

delete from demo_pole where ward is null;

----------------------------------------------------------------------------
-- Overhead cables along the pole lines
----------------------------------------------------------------------------

-- The 1-3 operators with cables along each line (weighted draw without
-- replacement: VNPT most often, MobiFone least).
create temp table demo_line_op as
with line as (
    select line_id, fixed_owner, max(k) as n_last
    from demo_pole group by line_id, fixed_owner
),
ranked as (
    select l.line_id, l.n_last, o.code as op,
           row_number() over (partition by l.line_id
                              order by pg_temp.demo_u('line/' || l.line_id || '/op/' || o.code) ^ (1 / o.w) desc) as rnk,
           1 + floor(pg_temp.demo_u('line/' || l.line_id || '/ops') * 3)::int as m
    from line l
    cross join (values ('VNPT', 4.0), ('VIETTEL', 3.5), ('FPT', 2.5), ('MOBIFONE', 1.5)) o(code, w)
    where l.fixed_owner is null
)
select line_id, n_last, op from ranked where rnk <= m
union all
select line_id, max(k), fixed_owner from demo_pole where fixed_owner is not null group by line_id, fixed_owner;

-- Each operator on a line: a trunk along most of it, cut into cables of at most
-- 20 spans, and one or two subscriber cables of 4-12 spans.
create temp table demo_cable as
with trunk as (
    select lo.line_id, lo.op, lo.n_last,
           floor(pg_temp.demo_u('cab/' || lo.line_id || '/' || lo.op || '/a') * 0.2 * lo.n_last)::int as a,
           lo.n_last - floor(pg_temp.demo_u('cab/' || lo.line_id || '/' || lo.op || '/b') * 0.2 * lo.n_last)::int as b
    from demo_line_op lo
    where lo.n_last >= 4
),
piece as (
    select t.line_id, t.op, 'trunk' as role, i,
           t.a + round(i * (t.b - t.a)::numeric / np)::int as k0,
           t.a + round((i + 1) * (t.b - t.a)::numeric / np)::int as k1
    from trunk t
    cross join lateral (select greatest(ceil((t.b - t.a) / 20.0)::int, 1) as np) c
    cross join lateral generate_series(0, c.np - 1) i
    where t.b > t.a
),
drop_cable as (
    select lo.line_id, lo.op, 'subscriber' as role, 100 + j as i, s.k0, s.k0 + s.len as k1
    from demo_line_op lo
    cross join lateral generate_series(1, 1 + floor(pg_temp.demo_u('cab/' || lo.line_id || '/' || lo.op || '/drops') * 2)::int) j
    cross join lateral (select 4 + floor(pg_temp.demo_u('cab/' || lo.line_id || '/' || lo.op || '/' || j || '/len') * 9)::int as len) l
    cross join lateral (select floor(pg_temp.demo_u('cab/' || lo.line_id || '/' || lo.op || '/' || j || '/at')
                                     * (lo.n_last - l.len + 1))::int as k0, l.len) s
    where lo.n_last >= l.len
)
select 'cable/' || line_id || '/' || op || '/' || i as key, 'overhead' as placement, line_id, null::text as street,
       op, role, k0, k1,
       pg_temp.demo_u('cable/' || line_id || '/' || op || '/' || i) as u
from (select * from piece union all select * from drop_cable) c;

-- Statuses: mostly in service; a few planned, being built, idle or removed.
alter table demo_cable add column status text;
update demo_cable
set status = case when u < 0.025 then 'planned'
                  when u < 0.05 then 'under_construction'
                  when u < 0.08 then 'inactive'
                  when u < 0.10 then 'decommissioned'
                  else 'operational' end;

-- Underground cables: one per leased pipe and stretch, at most 15 ducts long.
insert into demo_cable (key, placement, line_id, street, op, role, k0, k1, u, status)
select 'ucable/' || l.street || '/' || l.pipe_no || '/' || i, 'underground', null, l.street, l.occupant,
       case when pg_temp.demo_u('ucable/' || l.street || '/' || l.pipe_no || '/role') < 0.7 then 'trunk' else 'subscriber' end,
       l.a + floor(i * (l.b - l.a + 1)::numeric / np)::int,
       l.a + floor((i + 1) * (l.b - l.a + 1)::numeric / np)::int - 1,
       pg_temp.demo_u('ucable/' || l.street || '/' || l.pipe_no || '/' || i),
       'operational'
from demo_lease l
cross join lateral (select ceil((l.b - l.a + 1) / 15.0)::int as np) c
cross join lateral generate_series(0, c.np - 1) i
where l.b >= l.a;

-- Cables in the trench and the tunnel.
insert into demo_cable (key, placement, line_id, street, op, role, k0, k1, u, status)
select 'tcable/' || t.key || '/' || op, 'underground', null, t.key, op, 'trunk', null, null,
       pg_temp.demo_u('tcable/' || t.key || '/' || op), 'operational'
from demo_trench t
cross join lateral unnest(case t.key when 'trench' then array['VNPT', 'FPT']
                                      else array['VNPT', 'VIETTEL', 'MOBIFONE'] end) op;

-- Medium, role and size.
alter table demo_cable add column medium text, add column core_count int;
update demo_cable
set medium = case when op = 'VNPT' and pg_temp.demo_u(key || '/medium') < 0.25 then 'copper'
                  when op = 'VIETTEL' and pg_temp.demo_u(key || '/medium') < 0.06 then 'copper'
                  else 'fibre' end;
update demo_cable
set core_count = case
        when medium = 'copper' and role = 'trunk' then pg_temp.demo_pick(key || '/size', array[100, 200, 400])
        when medium = 'copper' then pg_temp.demo_pick(key || '/size', array[10, 20, 30, 50])
        when role = 'trunk' then pg_temp.demo_pick(key || '/size', array[48, 96, 96, 144, 288])
        else pg_temp.demo_pick(key || '/size', array[12, 24, 24, 48]) end;
-- Removed cables are the old copper ones.
update demo_cable set medium = 'copper', core_count = 50 where status = 'decommissioned';

-- Which poles, ducts or trench carry each cable, in order.
create temp table demo_support as
select c.key as cable_key, p.k - c.k0 + 1 as seq, p.key as support_key
from demo_cable c
join demo_pole p on p.line_id = c.line_id and p.k between c.k0 and c.k1
where c.placement = 'overhead'
union all
select c.key, d.k - c.k0 + 1, 'duct/' || d.street || '/' || d.k
from demo_cable c
join demo_duct d on d.street = c.street and d.k between c.k0 and c.k1
where c.key like 'ucable/%'
union all
select c.key, 1, 'trench/' || c.street
from demo_cable c
where c.key like 'tcable/%';

-- Poles that carry no cable are where the odd statuses go.
alter table demo_pole add column status text, add column note text;
update demo_pole p
set status = case when exists (select 1 from demo_support s where s.support_key = p.key) then 'operational'
                  when pg_temp.demo_u(p.key || '/status') < 0.06 then 'planned'
                  when pg_temp.demo_u(p.key || '/status') < 0.12 then 'inactive'
                  when pg_temp.demo_u(p.key || '/status') < 0.17 then 'decommissioned'
                  else 'operational' end;
update demo_pole
set note = case status
        when 'planned' then 'Cột trồng mới theo kế hoạch cải tạo lưới điện'
        when 'inactive' then 'Cột nghiêng, chờ gia cố'
        when 'decommissioned' then 'Đã nhổ bỏ khi mở rộng vỉa hè năm 2024'
        else case when pg_temp.demo_u(key || '/note') < 0.01 then 'Móng cột bị xói lở, cần kiểm tra'
                  when pg_temp.demo_u(key || '/note') < 0.02 then 'Cáp treo võng thấp qua đường, đề nghị chỉnh trang'
             end end;

----------------------------------------------------------------------------
-- Towers
----------------------------------------------------------------------------

-- Candidate sites: inside the blocks of the street grid (110 m off the block
-- centre, well away from the streets), and scattered points in the wards
-- without streets.
create temp table demo_site as
select 'grid/' || i || '/' || j as key,
       pg_temp.demo_grid(-2000 + 400 * i + 110 + (pg_temp.demo_u('site/' || i || '/' || j || '/u') - 0.5) * 60,
                         1700 - 400 * j - 110 + (pg_temp.demo_u('site/' || i || '/' || j || '/v') - 0.5) * 60) as g
from generate_series(0, 10) i, generate_series(0, 9) j
union all
select 'free/' || w.abbr || '/' || n,
       ST_Translate(ST_Centroid(w.g),
                    (pg_temp.demo_u('site/' || w.abbr || '/' || n || '/x') - 0.5) * 2 * r.rx,
                    (pg_temp.demo_u('site/' || w.abbr || '/' || n || '/y') - 0.5) * 2 * r.ry)
from demo_ward w
join (values ('QP', 600, 2400), ('TQT', 2300, 650), ('PS', 750, 750), ('TN', 750, 750)) r(abbr, rx, ry) on r.abbr = w.abbr
cross join generate_series(1, 12) n;

create temp table demo_tower as
with located as (
    select s.key, s.g, w.abbr as ward, w.name as ward_name, w.prov,
           row_number() over (partition by w.abbr order by pg_temp.demo_u(s.key || '/pick')) as rnk
    from demo_site s
    join demo_ward w on ST_Contains(ST_Buffer(w.g, -40), s.g)
),
chosen as (
    select l.*
    from located l
    join (values ('CL', 16), ('THD', 5), ('NN', 3), ('LHP', 4), ('TP', 3), ('NL', 4), ('NC', 4),
                 ('QP', 3), ('TQT', 4), ('PS', 2), ('TN', 2)) c(abbr, n) on c.abbr = l.ward and l.rnk <= c.n
)
select 'tower/' || key as key, g, ward, ward_name, prov,
       (select case when u < 0.30 then 'VNPT' when u < 0.70 then 'VIETTEL' when u < 0.94 then 'MOBIFONE' else 'FPT' end
        from (select pg_temp.demo_u(key || '/owner') as u) o) as owner,
       pg_temp.demo_u(key || '/class') as uc,
       row_number() over (order by pg_temp.demo_u(key || '/status')) as status_rank
from chosen;

alter table demo_tower
    add column tower_class text, add column structure text, add column placement text,
    add column height_m double precision, add column host_m double precision,
    add column technologies text[], add column capacity int, add column status text;

update demo_tower
set tower_class = case when owner = 'FPT' then 'A2a'
                       when uc < 0.35 then 'A2b' when uc < 0.65 then 'A2a' when uc < 0.80 then 'A1a'
                       when uc < 0.92 then 'A1b' else 'A1' end,
    status = case when status_rank <= 2 then 'planned' when status_rank <= 4 then 'under_construction'
                  when status_rank = 5 then 'inactive' when status_rank = 6 then 'decommissioned'
                  else 'operational' end;

update demo_tower
set placement = case when tower_class in ('A2a', 'A1a') then 'rooftop' else 'ground' end,
    structure = case tower_class
        when 'A2b' then pg_temp.demo_pick(key || '/structure', array['lattice', 'lattice', 'monopole', 'guyed'])
        when 'A2a' then pg_temp.demo_pick(key || '/structure', array['rooftop_pole', 'rooftop_pole', 'lattice'])
        when 'A1a' then pg_temp.demo_pick(key || '/structure', array['rooftop_pole', 'camouflaged'])
        when 'A1b' then pg_temp.demo_pick(key || '/structure', array['camouflaged', 'monopole'])
        else 'camouflaged' end,
    height_m = case tower_class
        when 'A2b' then pg_temp.demo_pick(key || '/height', array[30, 33, 36, 40, 42, 45])
        when 'A2a' then pg_temp.demo_pick(key || '/height', array[9, 12, 15, 18])
        when 'A1a' then pg_temp.demo_pick(key || '/height', array[3, 4.5, 6])
        when 'A1b' then pg_temp.demo_pick(key || '/height', array[6, 9, 12, 15])
        else pg_temp.demo_pick(key || '/height', array[8, 10, 12]) end,
    host_m = case when tower_class in ('A2a', 'A1a')
                  then 3.5 * pg_temp.demo_pick(key || '/floors', array[4, 5, 6, 7, 8, 9, 11]) end,
    technologies = case when owner = 'FPT' then '{}'::text[]
                        else string_to_array(pg_temp.demo_pick(key || '/tech',
                                 array['2G,3G,4G', '2G,3G,4G', '2G,4G', '4G', '3G,4G', '2G,3G,4G,5G', '4G,5G', '4G,5G']), ',') end,
    capacity = case tower_class when 'A2b' then 3 + floor(pg_temp.demo_u(key || '/cap') * 2)::int
                                when 'A2a' then 2 + floor(pg_temp.demo_u(key || '/cap') * 2)::int
                                else 2 end;

----------------------------------------------------------------------------
-- Cabinets: beside the first pole of some overhead cables
----------------------------------------------------------------------------

create temp table demo_cabinet as
with candidate as (
    select c.op, p.key as pole_key, p.g, p.ward, l.street,
           row_number() over (partition by c.op order by pg_temp.demo_u('cabinet/' || p.key || '/' || c.op)) as rnk
    from demo_cable c
    join demo_pole p on p.line_id = c.line_id and p.k = c.k0
    join demo_pole_line l on l.line_id = c.line_id
    where c.placement = 'overhead' and c.status = 'operational' and l.fixed_owner is null
)
select 'cabinet/' || op || '/' || rnk as key, op as owner, pole_key, ward, street,
       pg_temp.demo_u('cabinet/' || op || '/' || rnk) as u, g as pole_g
from candidate
where rnk <= case op when 'VNPT' then 12 when 'VIETTEL' then 12 when 'MOBIFONE' then 7 else 9 end;

alter table demo_cabinet add column cabinet_type text, add column mounting text, add column capacity int,
                         add column g geometry, add column status text;
update demo_cabinet
set cabinet_type = case owner
        when 'VNPT' then case when u < 0.50 then 'fibre_distribution' when u < 0.85 then 'copper_crossconnect'
                              else 'active_equipment' end
        when 'VIETTEL' then case when u < 0.60 then 'fibre_distribution' when u < 0.90 then 'active_equipment'
                                 else 'power' end
        when 'MOBIFONE' then case when u < 0.45 then 'active_equipment' when u < 0.85 then 'fibre_distribution'
                                  else 'power' end
        else case when u < 0.80 then 'fibre_distribution' else 'active_equipment' end end,
    status = case when u > 0.96 then 'planned' else 'operational' end;
update demo_cabinet
set mounting = case cabinet_type
        when 'copper_crossconnect' then 'ground'
        when 'fibre_distribution' then pg_temp.demo_pick(key || '/mount', array['pole', 'pole', 'wall', 'ground'])
        when 'power' then pg_temp.demo_pick(key || '/mount', array['pole', 'ground'])
        else pg_temp.demo_pick(key || '/mount', array['ground', 'ground', 'wall']) end,
    capacity = case cabinet_type
        when 'fibre_distribution' then pg_temp.demo_pick(key || '/cap', array[4, 6, 8])
        when 'copper_crossconnect' then pg_temp.demo_pick(key || '/cap', array[2, 4])
        when 'active_equipment' then pg_temp.demo_pick(key || '/cap', array[2, 3, 4])
        else 2 end;
-- On the pole itself (half a metre off), or 3 m away from it.
update demo_cabinet
set g = ST_Project(ST_Transform(pole_g, 4326)::geography,
                   case mounting when 'pole' then 0.5 else 3 end,
                   radians(360 * pg_temp.demo_u(key || '/dir')))::geometry;

----------------------------------------------------------------------------
-- Everything becomes an asset
----------------------------------------------------------------------------

create temp table demo_asset (
    key text primary key, ord int, seq bigint, kind text, code text, name text, owner text, status text,
    accuracy_m double precision, capacity int, g geometry, note text);

-- Towers: VNPT-QNI-T001 ...
insert into demo_asset
select t.key, 1, row_number() over (order by t.key collate "C"), 'tower',
       o.abbr || '-' || t.prov || '-T' || lpad(row_number() over (partition by t.owner, t.prov order by t.key collate "C")::text, 3, '0'),
       case when t.owner = 'FPT' then 'Cột viba ' else 'Trạm BTS ' end || t.ward_name || ' '
           || lpad(row_number() over (partition by t.owner, t.ward order by t.key collate "C")::text, 2, '0'),
       t.owner, t.status,
       case when pg_temp.demo_u(t.key || '/acc') < 0.4 then 0.5 else 3 end,
       t.capacity, ST_Transform(t.g, 4326),
       case when t.status = 'decommissioned' then 'Đã tháo dỡ năm 2024, thay bằng trạm ngụy trang gần đó'
            when t.status = 'planned' then 'Đã có thỏa thuận địa điểm với UBND phường, chờ cấp phép xây dựng'
            when t.status = 'under_construction' then 'Đang thi công móng cột'
            when t.status = 'inactive' then 'Tạm dừng phát sóng do chủ nhà chấm dứt hợp đồng thuê mặt bằng'
            when t.owner = 'FPT' then 'Cột anten viba truyền dẫn, không phát sóng di động'
            when t.placement = 'rooftop' and pg_temp.demo_u(t.key || '/note') < 0.3
                then 'Lắp trên mái nhà ' || round(t.host_m / 3.5) || ' tầng, thuê mái của hộ dân' end
from demo_tower t
join demo_op o on o.code = t.owner;

-- Poles: EVN-CL-P0001 ...
insert into demo_asset
select p.key, 2, row_number() over (order by p.line_id, p.k), 'pole',
       o.abbr || '-' || p.ward || '-P' || lpad(row_number() over (partition by p.owner, p.ward order by p.line_id, p.k)::text, 4, '0'),
       case when p.street is null then 'Tuyến cột ' || o.abbr || ', cột ' || (p.k + 1)
            when p.side = 'L' then p.street || ' – cột đèn ' || (p.k + 1)
            else p.street || ' – cột ' || (p.k + 1) end,
       p.owner, p.status,
       case when p.owner = 'EVNCPC' and p.u < 0.6 then 3 when p.u < 0.3 then 3 else 10 end,
       case when p.owner = 'EVNCPC' then 6 + floor(pg_temp.demo_u(p.key || '/cap') * 3)::int
            when p.owner = 'QNG-CSDT' then 4
            else 4 + floor(pg_temp.demo_u(p.key || '/cap') * 3)::int end,
       p.g4326, p.note
from demo_pole p
join demo_op o on o.code = p.owner;

-- Manholes: VNPT-QNI-MH0001 ...
insert into demo_asset
select 'mh/' || m.street || '/' || m.k, 3, row_number() over (order by ds.street collate "C", m.k), 'manhole',
       o.abbr || '-QNI-MH' || lpad(row_number() over (partition by ds.owner order by ds.street collate "C", m.k)::text, 4, '0'),
       'Bể cáp ' || m.street || ' ' || lpad((m.k + 1)::text, 2, '0'),
       ds.owner, m.status, 0.5, null, ST_Transform(m.g, 4326),
       case when pg_temp.demo_u('mh/' || m.street || '/' || m.k || '/note') < 0.03
            then 'Nắp bể bị nứt, đã báo đơn vị quản lý sửa chữa' end
from demo_manhole m
join demo_duct_street ds on ds.street = m.street
join demo_op o on o.code = ds.owner;

-- Ducts: VNPT-QNI-D0001 ...
insert into demo_asset
select 'duct/' || d.street || '/' || d.k, 4, row_number() over (order by ds.street collate "C", d.k), 'duct',
       o.abbr || '-QNI-D' || lpad(row_number() over (partition by ds.owner order by ds.street collate "C", d.k)::text, 4, '0'),
       'Cống bể ' || d.street || ', đoạn ' || lpad(d.k::text, 2, '0') || '–' || lpad((d.k + 1)::text, 2, '0'),
       ds.owner, d.status, 0.5, null, ST_Transform(d.g, 4326),
       case when d.status = 'under_construction' then 'Thi công cùng dự án mở rộng đường Phạm Văn Đồng' end
from demo_duct d
join demo_duct_street ds on ds.street = d.street
join demo_op o on o.code = ds.owner;

-- Trench and tunnel.
insert into demo_asset
select 'trench/' || t.key, 5, row_number() over (order by t.key), 'trench',
       o.abbr || '-QNI-H' || lpad(row_number() over (partition by t.owner order by t.key)::text, 3, '0'),
       t.name, t.owner, 'operational', 0.5, t.capacity, ST_Transform(t.g, 4326), t.note
from demo_trench t
join demo_op o on o.code = t.owner;

-- Cabinets: VNPT-QNI-TC001 ...
insert into demo_asset
select c.key, 6, row_number() over (order by c.key collate "C"), 'cabinet',
       o.abbr || '-QNI-TC' || lpad(row_number() over (partition by c.owner order by c.key collate "C")::text, 3, '0'),
       case c.cabinet_type when 'fibre_distribution' then 'Tủ phối quang ' when 'copper_crossconnect' then 'Tủ cáp đồng '
                           when 'active_equipment' then 'Tủ thiết bị ' else 'Tủ nguồn ' end
           || c.street || ' ' || lpad(row_number() over (partition by c.owner, c.street order by c.key collate "C")::text, 2, '0'),
       c.owner, c.status, 3, c.capacity, c.g,
       case when c.status = 'planned' then 'Lắp đặt theo kế hoạch phát triển thuê bao năm 2026' end
from demo_cabinet c
join demo_op o on o.code = c.owner;

-- Cables: VNPT-QNI-C0001 ... (the province is that of the cable's first pole or duct)
insert into demo_asset
select c.key, 7, row_number() over (order by c.line_id, c.street collate "C", c.k0, c.key collate "C"), 'cable',
       o.abbr || '-' || c.prov || '-C' || lpad(row_number() over (partition by c.op, c.prov order by c.key collate "C")::text, 4, '0'),
       case when c.medium = 'copper' then 'Cáp đồng ' else 'Cáp quang ' end
           || case when c.placement = 'overhead' then 'treo ' else 'ngầm ' end
           || c.place_name || ' ' || lpad(row_number() over (partition by c.op, c.medium, c.placement, c.place_name order by c.key collate "C")::text, 2, '0'),
       c.op, c.status,
       case when c.placement = 'underground' then 1 else 10 end,
       null, c.g,
       case c.status when 'planned' then 'Tuyến dự kiến triển khai quý II/2026'
                     when 'under_construction' then 'Đang kéo cáp'
                     when 'inactive' then 'Tạm ngưng khai thác, chưa thu hồi'
                     when 'decommissioned' then 'Cáp đồng cũ, đã thu hồi năm 2024' end
from (
    select c.*,
           case when c.placement = 'overhead' then coalesce(l.street, w.name)
                when c.key like 'tcable/%' then (select t.street from demo_trench t where t.key = c.street)
                else c.street end as place_name,
           coalesce(w.prov, 'QNI') as prov,
           case when c.placement = 'overhead' then
                    (select ST_MakeLine(array_agg(p.g4326 order by p.k)) from demo_pole p
                     where p.line_id = c.line_id and p.k between c.k0 and c.k1)
                when c.key like 'ucable/%' then
                    (select ST_RemoveRepeatedPoints(ST_Transform(ST_MakeLine(array_agg(d.g order by d.k)), 4326))
                     from demo_duct d where d.street = c.street and d.k between c.k0 and c.k1)
                else (select ST_Transform(t.g, 4326) from demo_trench t where t.key = c.street) end as g
    from demo_cable c
    left join demo_pole_line l on l.line_id = c.line_id
    left join demo_pole p0 on p0.line_id = c.line_id and p0.k = c.k0
    left join demo_ward w on w.abbr = p0.ward
) c
join demo_op o on o.code = c.op;

insert into asset (kind, code, name, owner_id, status, accuracy_m, capacity, geom, note)
select d.kind, d.code, d.name, o.id, d.status, d.accuracy_m, d.capacity, d.g, d.note
from demo_asset d
join demo_op o on o.code = d.owner
order by d.ord, d.seq;

create temp table demo_id as
select d.key, a.id
from demo_asset d
join demo_op o on o.code = d.owner
join asset a on a.owner_id = o.id and a.kind = d.kind and a.code = d.code;
create unique index on demo_id (key);

----------------------------------------------------------------------------
-- Kind-specific details
----------------------------------------------------------------------------

insert into tower (asset_id, tower_class, height_m, host_building_height_m, structure, placement, technologies)
select i.id, t.tower_class, t.height_m, t.host_m, t.structure, t.placement, t.technologies
from demo_tower t join demo_id i on i.key = t.key;

insert into pole (asset_id, material, height_m, purpose)
select i.id,
       case p.owner when 'EVNCPC' then 'concrete'
                    when 'QNG-CSDT' then case when p.u < 0.85 then 'steel' else 'concrete' end
                    else case when p.u < 0.8 then 'concrete' when p.u < 0.9 then 'composite' else 'steel' end end,
       case p.owner when 'EVNCPC' then pg_temp.demo_pick(p.key || '/h', array[8.5, 10, 12, 14])
                    when 'QNG-CSDT' then pg_temp.demo_pick(p.key || '/h', array[8, 9, 10])
                    else pg_temp.demo_pick(p.key || '/h', array[6.5, 7, 7.5, 8]) end,
       case p.owner when 'EVNCPC' then case when pg_temp.demo_u(p.key || '/purpose') < 0.15 then 'combined' else 'power' end
                    when 'QNG-CSDT' then 'lighting'
                    else 'telecom' end
from demo_pole p join demo_id i on i.key = p.key;

insert into manhole (asset_id, covers, cover_material, depth_m)
select i.id,
       greatest(1, least(4, ds.covers + case when pg_temp.demo_u('mh/' || m.street || '/' || m.k || '/covers') < 0.2 then 1 else 0 end)),
       pg_temp.demo_pick('mh/' || m.street || '/' || m.k || '/material', array['cast_iron', 'cast_iron', 'composite', 'concrete']),
       round((ds.cover_mm / 1000.0 + 0.4 + ds.layers * 0.15 + pg_temp.demo_u('mh/' || m.street || '/' || m.k || '/depth') * 0.4)::numeric, 1)
from demo_manhole m
join demo_duct_street ds on ds.street = m.street
join demo_id i on i.key = 'mh/' || m.street || '/' || m.k;

insert into duct (asset_id, layers, pipe_count, pipe_diameter_mm, cover_depth_mm, surface, from_manhole_id, to_manhole_id)
select i.id, ds.layers, ds.pipe_count, ds.diameter,
       ds.cover_mm + 50 * floor(pg_temp.demo_u('duct/' || d.street || '/' || d.k || '/cover') * 3)::int,
       ds.surface, f.id, t.id
from demo_duct d
join demo_duct_street ds on ds.street = d.street
join demo_id i on i.key = 'duct/' || d.street || '/' || d.k
join demo_id f on f.key = 'mh/' || d.street || '/' || (d.k - 1)
join demo_id t on t.key = 'mh/' || d.street || '/' || d.k;

insert into duct_pipe (duct_id, pipe_no, layer, state, occupant_id)
select i.id, p.pipe_no, p.layer, p.state, o.id
from demo_pipe p
join demo_id i on i.key = 'duct/' || p.street || '/' || p.k
left join demo_op o on o.code = p.occupant;

insert into trench (asset_id, trench_type, width_m, depth_m)
select i.id, t.trench_type, t.width_m, t.depth_m
from demo_trench t join demo_id i on i.key = 'trench/' || t.key;

insert into cable (asset_id, placement, medium, role, core_count)
select i.id, c.placement, c.medium, c.role, c.core_count
from demo_cable c join demo_id i on i.key = c.key;

insert into cable_support (cable_id, seq, support_id)
select c.id, s.seq, t.id
from demo_support s
join demo_id c on c.key = s.cable_key
join demo_id t on t.key = s.support_key;

insert into cabinet (asset_id, cabinet_type, mounting)
select i.id, c.cabinet_type, c.mounting
from demo_cabinet c join demo_id i on i.key = c.key;

----------------------------------------------------------------------------
-- Sharing (tenancies)
----------------------------------------------------------------------------

-- Every rental, before contract numbers: asset, tenant, period, slots, fee.
create temp table demo_rent (
    asset_key text, owner text, tenant text, scope text, since date, until date,
    capacity_used int, fee bigint, note text);

-- Poles: an operator whose cable hangs on another's pole rents one attachment,
-- under one contract per pole owner, operator and street. Removed cables ended
-- their rental; planned cables have none yet.
insert into demo_rent
with use as (
    select p.key as pole_key, p.owner, c.op as tenant, coalesce(p.street, p.ward) as scope,
           bool_or(c.status in ('operational', 'inactive', 'under_construction')) as active,
           bool_or(c.status = 'decommissioned') as removed
    from demo_support s
    join demo_cable c on c.key = s.cable_key
    join demo_pole p on p.key = s.support_key
    where c.op <> p.owner
    group by p.key, p.owner, c.op, coalesce(p.street, p.ward)
),
contract as (
    select owner, tenant, scope,
           pg_temp.demo_date('rent/' || owner || '/' || tenant || '/' || scope, '2018-01-01', '2023-12-31') as since,
           30000 + 5000 * floor(pg_temp.demo_u('fee/' || owner || '/' || tenant || '/' || scope) * 11)::bigint as fee
    from use group by owner, tenant, scope
)
select u.pole_key, u.owner, u.tenant, u.scope, k.since,
       case when not u.active then greatest(k.since + 365, pg_temp.demo_date('end/' || u.pole_key || '/' || u.tenant, '2023-01-01', '2024-12-31')) end,
       1, k.fee,
       case when not u.active then 'Đã thu hồi cáp đồng, thanh lý hợp đồng' end
from use u
join contract k using (owner, tenant, scope)
where u.active or u.removed;

-- Ducts: one rental per duct and operator, for the pipes it holds there.
insert into demo_rent
select 'duct/' || p.street || '/' || p.k, ds.owner, p.occupant, p.street,
       pg_temp.demo_date('rent/' || ds.owner || '/' || p.occupant || '/' || p.street, '2018-06-01', '2024-06-30'),
       null, count(*)::int,
       (round(count(*) * max(ST_Length(d.g)) * 1200 / 1000) * 1000)::bigint,
       null
from demo_pipe p
join demo_duct_street ds on ds.street = p.street
join demo_duct d on d.street = p.street and d.k = p.k
where p.occupant is not null and p.occupant <> ds.owner
group by p.street, p.k, ds.owner, p.occupant;

-- Trench and tunnel: the operators whose cables run in them.
insert into demo_rent
select 'trench/' || t.key, t.owner, c.op, t.key,
       case t.key when 'trench' then date '2021-09-01' else date '2022-11-15' end,
       null,
       case t.key when 'trench' then 1 else 2 end,
       case t.key when 'trench' then 800000 else 2500000 end,
       null
from demo_trench t
join demo_cable c on c.key like 'tcable/%' and c.street = t.key
where c.op <> t.owner;

-- Towers: about two in five carry one or two other operators' antennas.
insert into demo_rent
with eligible as (
    select t.key, t.owner, t.capacity, t.status, t.placement,
           least(t.capacity - 1, case when pg_temp.demo_u(t.key || '/tenants') < 0.35 then 2 else 1 end) as n
    from demo_tower t
    where (t.status in ('operational', 'inactive') and pg_temp.demo_u(t.key || '/shared') < 0.5)
       or t.status = 'decommissioned'
),
candidate as (
    select e.*, o.code as tenant,
           row_number() over (partition by e.key order by pg_temp.demo_u(e.key || '/tenant/' || o.code) ^ (1 / o.w) desc) as rnk
    from eligible e
    cross join (values ('VNPT', 3.0), ('VIETTEL', 3.0), ('MOBIFONE', 3.0), ('FPT', 1.0)) o(code, w)
    where o.code <> e.owner
),
rent as (
    select c.*,
           pg_temp.demo_date(c.key || '/since/' || c.tenant, '2018-01-01', '2025-06-30') as since0,
           pg_temp.demo_u(c.key || '/ended/' || c.tenant) as ended
    from candidate c
    where c.rnk <= c.n
)
select key, owner, tenant, key, since,
       case when status = 'decommissioned' then date '2024-03-31'
            when ended < 0.12 then pg_temp.demo_date(key || '/until/' || tenant, since + 365, date '2025-12-31') end,
       1,
       case when placement = 'rooftop' then 1500000 + 100000 * floor(pg_temp.demo_u(key || '/fee/' || tenant) * 16)::bigint
            else 3000000 + 100000 * floor(pg_temp.demo_u(key || '/fee/' || tenant) * 31)::bigint end,
       case when status = 'decommissioned' then 'Chấm dứt do tháo dỡ trạm'
            when ended < 0.12 then 'Bên thuê đã chuyển sang trạm khác' end
from (select r.*, case when r.status = 'decommissioned' or r.ended < 0.12
                       then pg_temp.demo_date(r.key || '/since/' || r.tenant, '2018-01-01', '2021-06-30')
                       else r.since0 end as since
      from rent r) r;

-- Cabinets: a few rent splice or rack positions to another operator.
insert into demo_rent
select c.key, c.owner,
       pg_temp.demo_pick(c.key || '/tenant', array(select code from (values ('VNPT'), ('VIETTEL'), ('MOBIFONE'), ('FPT')) t(code)
                                                   where code <> c.owner order by code)),
       c.key,
       pg_temp.demo_date(c.key || '/since', '2020-01-01', '2025-03-31'), null, 1,
       300000 + 50000 * floor(pg_temp.demo_u(c.key || '/fee') * 7)::bigint, null
from demo_cabinet c
where c.status = 'operational' and c.cabinet_type in ('fibre_distribution', 'active_equipment')
  and pg_temp.demo_u(c.key || '/shared') < 0.3;

-- Contract numbers: HĐ-<year>/<owner>-<tenant>-<nnn>, numbered per owner,
-- tenant and year.
insert into tenancy (asset_id, tenant_id, since, until, capacity_used, contract_ref, monthly_fee_vnd, note)
select i.id, o.id, r.since, r.until, r.capacity_used,
       'HĐ-' || extract(year from k.since) || '/' || ow.abbr || '-' || o.abbr || '-' || lpad(k.n::text, 3, '0'),
       r.fee, r.note
from demo_rent r
join (select owner, tenant, scope, min(since) as since,
             row_number() over (partition by owner, tenant, extract(year from min(since)) order by min(since), scope collate "C") as n
      from demo_rent group by owner, tenant, scope) k using (owner, tenant, scope)
join demo_id i on i.key = r.asset_key
join demo_op o on o.code = r.tenant
join demo_op ow on ow.code = r.owner
order by i.id, r.tenant;

----------------------------------------------------------------------------
-- Clean up
----------------------------------------------------------------------------

drop table demo_rent, demo_id, demo_asset, demo_cabinet, demo_tower, demo_site, demo_support, demo_cable,
           demo_line_op, demo_pole, demo_pole_line, demo_trench, demo_pipe, demo_lease, demo_duct,
           demo_manhole, demo_duct_line, demo_duct_street, demo_area, demo_street, demo_ward, demo_op;
drop function pg_temp.demo_grid(double precision, double precision);
drop function pg_temp.demo_date(text, date, date);
drop function pg_temp.demo_pick(text, anyarray);
drop function pg_temp.demo_u(text);
