-- Demo data 8: figures for the other four seed plans (Trương Quang Trọng,
-- Minh Long district and its communes, Thủy Nguyên, Phú Sơn), so that every
-- demo plan shows figures and lights, not only Chánh Lộ's (script 07).
--
-- SYNTHETIC, all of it (see data/README.md): the neighbourhood units (their
-- number, names and boundaries: grid cells cut from each ward's approximate
-- or synthetic boundary), their households and population, what the
-- operators filed for them (fibre counts, 4G/5G coverage) and what the
-- departments declared. Numbers are plausible for the kind of place (an urban
-- ward, a mountain district's communes, a coastal city's ward, a small
-- industrial town's ward), not measured.

set local jit = off;

-- A deterministic pseudo-random number in [0, 1) from a text key (no random()).
create or replace function pg_temp.demo_u(key text) returns double precision
language sql immutable as $$
    select ('x' || substr(md5(key), 1, 6))::bit(24)::int / 16777216.0
$$;

-- The areas: the ward or communes cut into neighbourhood units, and how
-- the place is (households per unit, people per household, how far fibre
-- and 5G have come).
create temp table demo_area (
    area text primary key,
    -- The plan's unit, by GSO code and level (and valid_from where the code repeats).
    plan_code text, plan_level text, plan_from date,
    cols int, rws int, unit_type text, name_prefix text, valid_from date,
    hh_min int, hh_span int, per_household double precision,
    -- Fibre reach added and 5G share added per filing, and the unit (by number) that lags behind.
    fibre_step double precision, g5_step double precision, weak int);
insert into demo_area values
    ('tqt', '21172', 'ward', '2014-04-01', 4, 2, 'tổ dân phố', 'Tổ dân phố ', '1900-01-01', 380, 180, 3.7, 0.05, 0.14, 7),
    ('ml',  '531',   'district', null,     3, 1, 'thôn', 'Thôn ', '1900-01-01', 140, 110, 4.1, 0.07, 0.05, 2),
    ('tn',  '11560', 'ward', '2025-07-01', 3, 2, 'tổ dân phố', 'Tổ dân phố ', '2025-07-01', 420, 200, 3.6, 0.04, 0.16, 5),
    ('ps',  '14823', 'ward', null,         3, 2, 'khu phố', 'Khu phố ', '1900-01-01', 300, 160, 3.5, 0.04, 0.12, 6);

-- The wards whose territory is cut: the plan's ward itself, or a district's communes.
create temp table demo_ward as
select a.area, w.id, w.name, w.boundary, row_number() over (partition by a.area order by w.name collate "C") as k
from demo_area a
join admin_unit p on p.gso_code = a.plan_code and p.level = a.plan_level
                 and (a.plan_from is null or p.valid_from = a.plan_from)
join admin_unit w on w.level = 'ward' and (w.id = p.id or w.parent_id = p.id) and w.boundary is not null
where (a.plan_level = 'ward') = (w.id = p.id);

-- Neighbourhood units: each ward cut into a grid of cols x rws cells.
insert into admin_unit (level, name, unit_type, parent_id, valid_from, boundary, boundary_quality, boundary_source)
select 'neighbourhood',
       a.name_prefix || (g.j * a.cols + g.i + 1) || case when a.plan_level = 'district' then ' (' || w.name || ')' else '' end,
       a.unit_type, w.id, a.valid_from,
       ST_Multi(ST_CollectionExtract(ST_Intersection(w.boundary, c.cell), 3)),
       'synthetic', 'Ô lưới tổng hợp trong ' || w.name || ' (không phải ranh giới thật)'
from demo_ward w
join demo_area a on a.area = w.area
cross join lateral (select ST_XMin(w.boundary) x0, ST_YMin(w.boundary) y0, ST_XMax(w.boundary) x1, ST_YMax(w.boundary) y1) b
cross join lateral (select i, j from generate_series(0, a.cols - 1) i, generate_series(0, a.rws - 1) j) g
cross join lateral (select ST_MakeEnvelope(b.x0 + (b.x1 - b.x0) * g.i / a.cols, b.y1 - (b.y1 - b.y0) * (g.j + 1) / a.rws,
                                           b.x0 + (b.x1 - b.x0) * (g.i + 1) / a.cols, b.y1 - (b.y1 - b.y0) * g.j / a.rws, 4326) as cell) c
where ST_Area(ST_Intersection(w.boundary, c.cell)) > 0
order by w.area, w.k, g.j, g.i;

create temp table demo_part as
select a.area, u.id, u.name,
       row_number() over (partition by a.area order by w.k, length(u.name), u.name) as n,
       a.hh_min + round(pg_temp.demo_u('hh/' || a.area || u.name) * a.hh_span)::int as households,
       a.per_household + pg_temp.demo_u('pp/' || a.area || u.name) * 0.4 as per_household
from demo_ward w
join demo_area a on a.area = w.area
join admin_unit u on u.parent_id = w.id and u.level = 'neighbourhood';

insert into unit_population (unit_id, as_of, households, population, adults, source, synthetic, supplied_by)
select t.id, y.as_of, round(t.households * y.growth)::int,
       round(t.households * y.growth * t.per_household)::int,
       round(t.households * y.growth * t.per_household * 0.72)::int,
       'Bảng thống kê dân số theo ' || a.unit_type || ' (dữ liệu minh họa)', true, 'system'
from demo_part t
join demo_area a on a.area = t.area
cross join (values ('2024-12-31'::date, 0.985), ('2025-12-31'::date, 1.0)) as y (as_of, growth)
order by t.id, y.as_of;

-- The operators' half-yearly filings: three waves up to mid-2026.
create temp table demo_wave (as_of date, wave int);
insert into demo_wave values ('2025-06-30', 0), ('2025-12-31', 1), ('2026-06-30', 2);

-- Who is there, and how far each has come: fibre reach and take-up (fixed),
-- 4G and 5G share of people (mobile). FPT only in the towns.
create temp table demo_operator (area text, code text, reach double precision, take double precision,
                                 g4 double precision, g5 double precision);
insert into demo_operator values
    ('tqt', 'VNPT', 0.82, 0.36, 0.95, 0.20), ('tqt', 'VIETTEL', 0.76, 0.31, 0.97, 0.26), ('tqt', 'FPT', 0.40, 0.09, 0, 0),
    ('tqt', 'MOBIFONE', 0, 0, 0.90, 0.10),
    ('ml', 'VNPT', 0.58, 0.24, 0.84, 0.05), ('ml', 'VIETTEL', 0.62, 0.27, 0.92, 0.08), ('ml', 'MOBIFONE', 0, 0, 0.70, 0),
    ('tn', 'VNPT', 0.86, 0.38, 0.96, 0.30), ('tn', 'VIETTEL', 0.84, 0.35, 0.98, 0.36), ('tn', 'FPT', 0.55, 0.12, 0, 0),
    ('tn', 'MOBIFONE', 0, 0, 0.93, 0.18),
    ('ps', 'VNPT', 0.85, 0.40, 0.96, 0.18), ('ps', 'VIETTEL', 0.80, 0.33, 0.97, 0.24), ('ps', 'MOBIFONE', 0, 0, 0.90, 0.08);

-- Fixed broadband per neighbourhood unit and operator. The lagging unit has
-- no fibre yet from anyone in the mountain communes.
insert into indicator_value (indicator, unit_id, as_of, value, source, operator_id, method, supplied_by, filing_version, synthetic, note)
select k.indicator, t.id, f.as_of,
       round(case k.indicator
           when 'fibre_households_passed' then least(1.0, o.reach + a.fibre_step * f.wave + (pg_temp.demo_u(o.code || t.area || t.name) - 0.5) * 0.1) * t.households
           when 'fibre_households_gigabit' then least(1.0, o.reach + a.fibre_step * f.wave) * t.households * least(1.0, 0.30 + 0.2 * f.wave)
           when 'fibre_households_subscribed' then t.households * o.take * (0.9 + 0.04 * f.wave) * (0.9 + pg_temp.demo_u('s' || o.code || t.area || t.name) * 0.2)
           when 'fibre_max_speed_mbps' then case when f.wave >= 1 then 1000 else 300 end
       end::numeric, 0)::float8,
       'filed', op.id, 'upload', 'user:' || lower(o.code) || '.qng', 1, true, 'Số liệu minh họa'
from demo_part t
join demo_area a on a.area = t.area
cross join demo_wave f
join demo_operator o on o.area = t.area and o.reach > 0
cross join (values ('fibre_households_passed'), ('fibre_households_gigabit'), ('fibre_households_subscribed'), ('fibre_max_speed_mbps')) as k (indicator)
join operator op on op.code = o.code
where not (t.area = 'ml' and t.n = a.weak)
  and not (o.code = 'FPT' and t.n % 3 = 0)
order by t.id, f.as_of, op.id, k.indicator;

-- Coverage from the operators' polygons, per operator (filed) and for all
-- of them together (computed), by area. The lagging unit lies behind a hill.
insert into indicator_value (indicator, unit_id, as_of, value, source, operator_id, method, supplied_by, filing_version, synthetic, note)
select k.indicator, t.id, f.as_of,
       round((select p.population from unit_population p where p.unit_id = t.id order by p.as_of desc limit 1)
             * case when k.tech = '4g' then case when t.n = a.weak then 0.40 else least(1.0, o.g4 + 0.02 * f.wave) end
                    else least(case when t.n = a.weak then 0.20 else 1.0 end,
                               greatest(0.0, o.g5 + a.g5_step * f.wave + (pg_temp.demo_u('5g' || o.code || t.area || t.name) - 0.5) * 0.2)) end
             * case when k.indicator like 'households%' then 1.0 / t.per_household else 1.0 end)::float8,
       'filed', op.id, 'area_weighted', 'user:' || lower(o.code) || '.qng', 1, true, 'Số liệu minh họa'
from demo_part t
join demo_area a on a.area = t.area
cross join demo_wave f
join demo_operator o on o.area = t.area and o.g4 > 0
cross join (values ('population_covered_4g', '4g'), ('population_covered_5g', '5g'),
                   ('households_covered_4g', '4g'), ('households_covered_5g', '5g')) as k (indicator, tech)
join operator op on op.code = o.code
order by t.id, f.as_of, op.id, k.indicator;

insert into indicator_value (indicator, unit_id, as_of, value, source, method, supplied_by, synthetic, note)
select v.indicator, v.unit_id, v.as_of,
       least(max(v.value) * 1.08,
             (select case when v.indicator like 'households%' then p.households else p.population end
              from unit_population p where p.unit_id = v.unit_id order by p.as_of desc limit 1)),
       'computed', 'area_weighted', 'system', true, 'Hợp vùng phủ sóng của các doanh nghiệp (minh họa)'
from indicator_value v
join demo_part t on t.id = v.unit_id
where v.indicator in ('population_covered_4g', 'population_covered_5g', 'households_covered_4g', 'households_covered_5g')
  and v.source = 'filed'
group by v.indicator, v.unit_id, v.as_of
order by v.unit_id, v.as_of, v.indicator;

-- What the departments declared for their plan's unit, with what they cite.
insert into indicator_value (indicator, unit_id, as_of, value, source, method, supplied_by, evidence, synthetic)
select d.indicator, p.id, d.as_of::date, d.value, 'declared', 'declared', 'system', d.evidence, true
from (values
    ('tqt', 'adults_with_smartphone_pct', '2025-11-25', 86.0, 'Khảo sát của bộ phận Văn hóa xã hội năm 2025 (minh họa)'),
    ('tqt', 'adults_with_digital_signature_pct', '2025-11-25', 44.5, 'Số liệu của các tổ chức cung cấp dịch vụ chứng thực chữ ký số (minh họa)'),
    ('tqt', 'adults_with_digital_signature_pct', '2026-11-25', 52.3, 'Số liệu của các tổ chức cung cấp dịch vụ chứng thực chữ ký số (minh họa)'),
    ('tqt', 'population_with_digital_id_pct', '2025-11-25', 93.8, 'Báo cáo của Công an phường (minh họa)'),
    ('ml', 'adults_with_smartphone_pct', '2025-11-25', 71.5, 'Báo cáo khảo sát của Phòng Văn hóa và Thông tin huyện (minh họa)'),
    ('ml', 'adults_with_digital_signature_pct', '2025-11-25', 31.0, 'Số liệu của các tổ chức cung cấp dịch vụ chứng thực chữ ký số (minh họa)'),
    ('ml', 'population_with_digital_id_pct', '2025-11-25', 88.2, 'Báo cáo của Công an huyện (minh họa)'),
    ('tn', 'adults_with_smartphone_pct', '2026-11-25', 89.4, 'Khảo sát của Phòng Văn hóa - Xã hội phường năm 2026 (minh họa)'),
    ('tn', 'adults_with_citizen_email_pct', '2026-11-25', 38.0, 'Danh sách tài khoản thư điện tử công dân (minh họa)'),
    ('tn', 'agencies_using_ipv6_pct', '2026-11-25', 60.0, 'Báo cáo chuyển đổi IPv6 của các cơ quan, đơn vị (minh họa)'),
    ('ps', 'adults_with_eid_pct', '2025-11-25', 84.7, 'Báo cáo của Công an phường về tài khoản định danh điện tử mức 2 (minh họa)'),
    ('ps', 'adults_with_digital_signature_pct', '2025-11-25', 47.0, 'Số liệu của các tổ chức cung cấp dịch vụ chứng thực chữ ký số (minh họa)'),
    ('tqt', 'centre_areas_with_5g_pct', '2025-11-25', 75.0, 'Danh sách khu vực trung tâm và điểm quan trắc có sóng 5G, 3/4 điểm (minh họa)'),
    ('tqt', 'iot_connections_per_person', '2025-11-25', 0.6, 'Số liệu kết nối IoT do doanh nghiệp viễn thông cung cấp (minh họa)'),
    ('ml', 'centre_areas_with_5g_pct', '2025-11-25', 50.0, 'Danh sách trung tâm huyện, trung tâm UBND xã có sóng 5G (minh họa)'),
    ('ml', 'iot_connections_per_person', '2025-11-25', 0.3, 'Số liệu kết nối IoT do doanh nghiệp viễn thông cung cấp (minh họa)'),
    ('tn', 'community_houses_with_free_wifi_pct', '2026-11-25', 66.7, 'Danh sách nhà văn hóa tổ dân phố có Wifi miễn phí, 4/6 nhà (minh họa)'),
    ('ps', 'internal_networks_secured_pct', '2025-11-25', 100.0, 'Hồ sơ cấp độ an toàn thông tin được phê duyệt (minh họa)'),
    ('ps', 'iot_connections_per_person', '2025-11-25', 0.8, 'Số liệu kết nối IoT do doanh nghiệp viễn thông cung cấp (minh họa)')
) as d (area, indicator, as_of, value, evidence)
join demo_area a on a.area = d.area
join admin_unit p on p.gso_code = a.plan_code and p.level = a.plan_level and (a.plan_from is null or p.valid_from = a.plan_from)
order by d.area, d.indicator, d.as_of;

drop table demo_operator;
drop table demo_wave;
drop table demo_part;
drop table demo_ward;
drop table demo_area;
drop function pg_temp.demo_u(text);
