-- Demo data 3/5: streets.
--
-- REAL: the street names (all are streets of Quảng Ngãi city). SYNTHETIC: every
-- geometry. The streets form a grid about 4.8 km x 4.3 km over Chánh Lộ and its
-- neighbours, turned 8 degrees from north, with blocks of about 400 m; each
-- street wanders a few metres from its axis and a few bend more. The network
-- (04_network.sql) is laid along these streets.

-- A deterministic pseudo-random number in [0, 1) from a text key (no random()).
create or replace function pg_temp.demo_u(key text) returns double precision
language sql immutable as $$
    select ('x' || substr(md5(key), 1, 6))::bit(24)::int / 16777216.0
$$;

-- Each street is laid out in a local grid (u east, v north, in metres from the
-- origin 108.804 E, 15.114 N): 'ns' streets run north-south at u = at, from v =
-- s to v = e; 'ew' streets run east-west at v = at, from u = s to u = e. bend is
-- how far (m) the middle of the street bows off its axis.
with spec (name, class, axis, at, s, e, bend) as (values
    -- north-south, west to east
    ('Nguyễn Công Phương', 'secondary', 'ns', -2200, -2300, 2000, -70),
    ('Trần Quốc Toản',     'local',     'ns', -1800, -2300, 2000,   0),
    ('Bà Triệu',           'local',     'ns', -1400, -2300, 2000,  25),
    ('Lê Lợi',             'main',      'ns', -1000, -2300, 2000,   0),
    ('Phan Bội Châu',      'secondary', 'ns',  -600, -2300, 2000,  15),
    ('Trần Hưng Đạo',      'secondary', 'ns',  -200, -2300, 2000,   0),
    -- National road 1: crosses the Trà Khúc river into Trương Quang Trọng.
    ('Quang Trung',        'main',      'ns',   200, -2300, 4300,  40),
    ('Nguyễn Du',          'local',     'ns',   600, -2300, 2000,   0),
    ('Lê Thánh Tôn',       'secondary', 'ns',  1000, -2300, 2000, -20),
    ('Đinh Tiên Hoàng',    'local',     'ns',  1400, -2300, 2000,   0),
    ('Nguyễn Thụy',        'local',     'ns',  1800, -2300, 2000,  30),
    ('Ngô Quyền',          'secondary', 'ns',  2200, -2300, 2000,   0),
    -- east-west, north to south
    ('Lê Trung Đình',      'secondary', 'ew',  1900, -2400, 2400,  20),
    ('Phan Đình Phùng',    'main',      'ew',  1500, -2400, 2400,   0),
    ('Nguyễn Nghiêm',      'secondary', 'ew',  1100, -2400, 2400, -15),
    ('Hùng Vương',         'main',      'ew',   700, -2400, 2400,   0),
    ('Hai Bà Trưng',       'secondary', 'ew',   300, -2400, 2400,  10),
    ('Lý Thường Kiệt',     'local',     'ew',  -100, -2400, 2400,   0),
    ('Hoàng Văn Thụ',      'local',     'ew',  -500, -2400, 2400, -25),
    ('Trương Định',        'local',     'ew',  -900, -2400, 2400,   0),
    ('Nguyễn Trãi',        'local',     'ew', -1300, -2400, 2400,  15),
    ('Võ Thị Sáu',         'local',     'ew', -1700, -2400, 2400,   0),
    ('Phạm Văn Đồng',      'main',      'ew', -2100, -2400, 2400,  60),
    -- shorter streets inside the blocks
    ('Chu Văn An',         'local',     'ns',   400,  -900,  700,   0),
    ('Nguyễn Chánh',       'local',     'ns',  1200, -2100, -100,  10),
    ('Tôn Đức Thắng',      'local',     'ns', -1200, -2100, -500,   0),
    ('Lê Khiết',           'local',     'ew',   900,  -200, 1400,   0),
    ('Trần Khánh Dư',      'local',     'ew',   100,   600, 2200, -10),
    ('Bích Khê',           'local',     'ew', -1500, -1000, 1000,   0),
    -- north of the river, in Trương Quang Trọng
    ('Nguyễn Văn Linh',    'main',      'ew',  3900, -1800, 1200,  30)
),
origin as (
    select ST_X(p) as x0, ST_Y(p) as y0
    from (select ST_Transform(ST_SetSRID(ST_MakePoint(108.804, 15.114), 4326), 32649) as p) o
),
-- Vertices about every 450 m; each moved up to 8 m off the axis, plus the bend.
vertex as (
    select spec.name, k, n, spec.axis,
           spec.s + (spec.e - spec.s) * k::double precision / (n - 1) as along,
           spec.at + spec.bend * sin(pi() * k / (n - 1))
               + case when k in (0, n - 1) then 0
                      else (pg_temp.demo_u(spec.name || '#' || k) - 0.5) * 16 end as across
    from spec
    cross join lateral (select ceil((spec.e - spec.s) / 450.0)::int + 1 as n) c
    cross join lateral generate_series(0, c.n - 1) k
),
-- (u, v) in the grid, turned 8 degrees anticlockwise, then into UTM 49N and WGS 84.
point as (
    select v.name, v.k,
           case when v.axis = 'ns' then v.across else v.along end as u,
           case when v.axis = 'ns' then v.along else v.across end as w
    from vertex v
)
insert into street (name, class, geom)
select spec.name, spec.class,
       ST_Transform(ST_SetSRID(ST_MakeLine(array_agg(
           ST_MakePoint(origin.x0 + p.u * cos(radians(8)) - p.w * sin(radians(8)),
                        origin.y0 + p.u * sin(radians(8)) + p.w * cos(radians(8)))
           order by p.k)), 32649), 4326)
from spec
join point p on p.name = spec.name
cross join origin
group by spec.name, spec.class, spec.axis, spec.at
order by spec.axis desc, spec.at;

drop function pg_temp.demo_u(text);
