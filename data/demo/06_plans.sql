-- Demo data 6/6: plans and procedures around Chánh Lộ — streets to put
-- underground, an undergrounding project, announced civil works, a restricted
-- zone, permit applications at different stages, and what the ward publishes.
--
-- SYNTHETIC: all of it. The street names are real, the choice of streets,
-- dates, figures, applications and the zone are invented for the demo. The
-- legal documents cited are real documents; that they list these streets is not.

set local jit = off;

-- Cẩm Thành publishes tower locations and its undergrounding progress, and so
-- does Chánh Lộ (an ended ward whose dashboard is still opened for its plan).
insert into ward_publication (ward_id, towers, undergrounding, planned_works)
select id, true, true, true from admin_unit
where level = 'ward' and (gso_code = '21031' or (gso_code = '21025' and valid_from = '2025-07-01'))
order by id;

-- Streets of the city's undergrounding plan (a street area is its centre line).
insert into undergrounding_area (name, geom, target_year, source_doc)
select s.name, s.geom, t.target_year, t.source_doc
from street s
join (values
    ('Trần Hưng Đạo',   2026, 'Kế hoạch 58/KH-UBND ngày 22/3/2023 của UBND thành phố Quảng Ngãi (danh mục minh họa)'),
    ('Hai Bà Trưng',    2026, 'Kế hoạch 58/KH-UBND ngày 22/3/2023 của UBND thành phố Quảng Ngãi (danh mục minh họa)'),
    ('Lê Lợi',          2027, 'Kế hoạch 58/KH-UBND ngày 22/3/2023 của UBND thành phố Quảng Ngãi (danh mục minh họa)'),
    ('Hoàng Văn Thụ',   2028, 'Kế hoạch phát triển hạ tầng số phường Chánh Lộ đến năm 2025, định hướng 2030 (minh họa)')
) as t (name, target_year, source_doc) on t.name = s.name;

-- A zone: the blocks around the crossing of Quang Trung and Hùng Vương.
insert into undergrounding_area (name, geom, target_year, source_doc, area_type)
select 'Khu trung tâm Quang Trung – Hùng Vương',
       ST_Buffer(ST_Intersection(q.geom, h.geom)::geography, 250, 'quad_segs=2')::geometry,
       2027, 'Kế hoạch 58/KH-UBND ngày 22/3/2023 của UBND thành phố Quảng Ngãi (minh họa)', 'zone'
from street q, street h
where q.name = 'Quang Trung' and h.name = 'Hùng Vương';

-- The project: Hai Bà Trưng between Lê Lợi and Quang Trung.
with pdp as (select geom from street where name = 'Hai Bà Trưng'),
     ends as (
         select ST_LineLocatePoint(pdp.geom, ST_ClosestPoint(pdp.geom, ST_Intersection(pdp.geom, l.geom))) as a,
                ST_LineLocatePoint(pdp.geom, ST_ClosestPoint(pdp.geom, ST_Intersection(pdp.geom, q.geom))) as b
         from pdp, street l, street q
         where l.name = 'Lê Lợi' and q.name = 'Quang Trung'),
     part as (select ST_LineSubstring(pdp.geom, least(a, b), greatest(a, b)) as g from pdp, ends)
insert into undergrounding_project (name, area_id, geom, footprint, duct_design, starts_on, ends_on, status, budget_source, ward_id)
select 'Ngầm hóa cáp viễn thông đường Hai Bà Trưng (Lê Lợi – Quang Trung)',
       (select id from undergrounding_area where name = 'Hai Bà Trưng'),
       part.g, ST_Buffer(part.g::geography, 15, 'endcap=flat join=round')::geometry,
       'Cống bể 2 tầng, 6 ống HDPE D110, bể cáp 2 nắp mỗi 80 m', '2026-06-01', '2026-12-31', 'in_progress',
       'Xã hội hóa: các doanh nghiệp viễn thông cùng đầu tư', ward_for(part.g)
from part;

insert into project_operator (project_id, operator_id)
select p.id, o.id from undergrounding_project p, operator o where o.code in ('VNPT', 'VIETTEL', 'MOBIFONE');

insert into project_progress (project_id, day, km_built, note)
select p.id, d.day, round((ST_Length(p.geom::geography) / 1000 * d.share)::numeric, 2), d.note
from undergrounding_project p,
     (values ('2026-07-15'::date, 0.15, 'Đào rãnh, đặt ống đoạn đầu'),
             ('2026-09-15'::date, 0.45, 'Hoàn thành bể cáp đến giữa tuyến'),
             ('2026-11-01'::date, 0.70, 'Đang kéo cáp vào ống')) as d (day, share, note);

-- Announced civil works (dig-once), one recently resurfaced street.
insert into civil_work (title, sector, owner_org, contact, geom, starts_on, ends_on, no_dig_until, source_doc, ward_id)
select t.title, t.sector, t.owner_org, t.contact, s.geom, t.starts_on, t.ends_on, t.no_dig_until, t.source_doc, ward_for(s.geom)
from street s
join (values
    ('Hai Bà Trưng', 'Nâng cấp, mở rộng đường Hai Bà Trưng', 'road', 'Ban Quản lý dự án đầu tư xây dựng thành phố', 'Phòng Kỹ thuật, 0255 3 000 111',
     '2027-03-01'::date, '2027-09-30'::date, '2029-09-30'::date, 'Quyết định phê duyệt dự án (minh họa)'),
    ('Lê Thánh Tôn', 'Thảm bê tông nhựa mặt đường Lê Thánh Tôn', 'road', 'Ban Quản lý dự án đầu tư xây dựng thành phố', 'Phòng Kỹ thuật, 0255 3 000 111',
     '2026-05-01'::date, '2026-08-31'::date, '2028-08-31'::date, 'Thông báo hoàn thành (minh họa)'),
    ('Nguyễn Nghiêm', 'Cải tạo tuyến ống cấp nước D300', 'water', 'Công ty Cổ phần Cấp thoát nước Quảng Ngãi', '0255 3 000 222',
     '2027-01-10'::date, '2027-04-30'::date, null, 'Kế hoạch cải tạo mạng cấp nước 2027 (minh họa)')
) as t (street, title, sector, owner_org, contact, starts_on, ends_on, no_dig_until, source_doc) on t.street = s.name;

insert into restricted_zone (name, zone_type, geom, buffer_m, severity, citation)
select 'Khu di tích lịch sử (minh họa)', 'heritage',
       ST_Buffer(ST_LineInterpolatePoint(s.geom, 0.35)::geography, 60)::geometry, 30, 'warning',
       'Quyết định xếp hạng di tích cấp tỉnh (minh họa)'
from street s where s.name = 'Lê Lợi';

-- Permit applications at different stages. Their timelines are dated so the
-- ward's clocks show something real today.
create temporary table demo_application (
    n int, operator text, works_type text, title text, description text, street text, at double precision,
    tower jsonb, state text, events jsonb);
insert into demo_application values
    (1, 'VNPT', 'tower', 'Trạm BTS Chánh Lộ 08 (cột tự đứng)', 'Cột tự đứng 36 m trên đất thuê, phục vụ 4G/5G.',
     'Nguyễn Nghiêm', 0.42, '{"tower_class": "A2b", "height_m": 36, "placement": "ground"}', 'submitted',
     '[["create", "2026-11-16", null, "draft"], ["submit", "2026-11-16", "draft", "submitted"]]'),
    (2, 'VIETTEL', 'duct', 'Cống bể cáp 4 ống đường Lê Khiết', 'Tuyến cống bể 4 ống, 3 bể cáp, dài khoảng 450 m.',
     'Lê Khiết', 0.5, null, 'under_review',
     '[["create", "2026-10-28", null, "draft"], ["submit", "2026-10-29", "draft", "submitted"], ["begin_check", "2026-10-30", "submitted", "completeness_check"], ["accept", "2026-11-03", "completeness_check", "under_review"]]'),
    (3, 'MOBIFONE', 'overhead_cable', 'Kéo cáp quang treo trên cột điện đường Trần Hưng Đạo', 'Cáp quang 48 sợi treo trên 12 cột điện lực.',
     'Trần Hưng Đạo', 0.48, null, 'refused',
     '[["create", "2026-09-02", null, "draft"], ["submit", "2026-09-03", "draft", "submitted"], ["begin_check", "2026-09-04", "submitted", "completeness_check"], ["accept", "2026-09-08", "completeness_check", "under_review"], ["refuse", "2026-09-22", "under_review", "refused"]]'),
    (4, 'FPT', 'tower', 'Cột ăng ten trên nhà 5 tầng, đường Nguyễn Du', 'Cột dây co 12 m trên mái nhà cao 18 m.',
     'Nguyễn Du', 0.55, '{"tower_class": "A2a", "height_m": 12, "host_building_height_m": 18, "placement": "rooftop"}', 'granted',
     '[["create", "2026-08-10", null, "draft"], ["submit", "2026-08-11", "draft", "submitted"], ["begin_check", "2026-08-12", "submitted", "completeness_check"], ["accept", "2026-08-14", "completeness_check", "under_review"], ["grant", "2026-09-01", "under_review", "granted"]]'),
    (5, 'VNPT', 'excavation_repair', 'Đào sửa chữa cáp ngầm bị đứt, ngã tư Hùng Vương', 'Đào hố 2 m × 1,5 m để nối lại cáp quang trục.',
     'Hùng Vương', 0.55, null, 'supplement_requested',
     '[["create", "2026-11-09", null, "draft"], ["submit", "2026-11-10", "draft", "submitted"], ["begin_check", "2026-11-11", "submitted", "completeness_check"], ["request_supplement", "2026-11-13", "completeness_check", "supplement_requested"]]');

insert into permit_application (reference, operator_id, works_type, title, description, geom, ward_id, planned_start, planned_end,
                                tower, state, supplement_requested, permit_number, conditions, validity_end, decision_reasons,
                                created_at, updated_at)
select format('HS-2026-9%s', lpad(d.n::text, 5, '0')), o.id, d.works_type, d.title, d.description, g.geom, ward_for(g.geom),
       '2027-01-04', '2027-03-31', d.tower, d.state, d.state = 'supplement_requested',
       case when d.state = 'granted' then '1/2026/GPXD-21025' end,
       case when d.state = 'granted' then 'Sơn cột màu xanh lá; treo biển chủ sở hữu theo QCVN 33:2019' end,
       case when d.state = 'granted' then '2027-09-01'::date end,
       case when d.state = 'refused' then 'Tuyến phố thuộc danh mục hạ ngầm năm 2026: không cấp phép cáp treo mới.' end,
       (d.events -> 0 ->> 1)::date, (d.events -> -1 ->> 1)::date
from demo_application d
join operator o on o.code = d.operator
join street s on s.name = d.street
cross join lateral (
    select case when d.works_type in ('tower', 'excavation_repair') then ST_LineInterpolatePoint(s.geom, d.at)
                else ST_LineSubstring(s.geom, d.at - 0.05, d.at + 0.05) end as geom
) g;

insert into permit_event (application_id, action, from_state, to_state, actor, at, day, note)
select p.id, e ->> 0, e ->> 2, e ->> 3,
       case when e ->> 0 in ('create', 'submit') then 'user:' || lower(d.operator) || '.qng' else 'user:canbo.chanhlo' end,
       ((e ->> 1)::date + time '09:00') at time zone 'Asia/Ho_Chi_Minh', (e ->> 1)::date,
       case e ->> 0
           when 'request_supplement' then 'Bổ sung sơ đồ vị trí hố đào và biện pháp hoàn trả mặt đường.'
           when 'refuse' then 'Tuyến phố thuộc danh mục hạ ngầm năm 2026: không cấp phép cáp treo mới.'
       end
from demo_application d
join permit_application p on p.reference = format('HS-2026-9%s', lpad(d.n::text, 5, '0'))
cross join lateral jsonb_array_elements(d.events) e
order by p.id, (e ->> 1)::date;

-- The trend of the ward dashboard: the server records each ward's figures once a
-- day (undergrounding_snapshot), so a new demo would show a single day. Twelve
-- monthly snapshots before today are made up from today's figures, higher the
-- further back (more overhead cable before the tidy-ups and the Hai Bà Trưng
-- works). SYNTHETIC, and the one part of the demo that depends on the date it
-- is loaded: the days count back from today (Vietnam time).
-- Made for Chánh Lộ and for Cẩm Thành, the ward it is part of since 1/7/2025.
do $$
declare
    demo_ward_id bigint;
begin
    for demo_ward_id in
        select id from admin_unit
        where level = 'ward' and (gso_code = '21031' or (gso_code = '21025' and valid_from = '2025-07-01'))
        order by id
    loop
        with ward as (select id, boundary from admin_unit where id = demo_ward_id),
             areas as (select ST_Intersection(ST_Union(u.footprint), (select boundary from ward)) as fp
                       from undergrounding_area u where ST_Intersects(u.footprint, (select boundary from ward))),
             free_ducts as (select ST_Intersection(ST_Union(ST_Buffer(d.geom::geography, 15, 'endcap=flat')::geometry), (select boundary from ward)) as corridor
                            from duct_with_free_pipe d where ST_Intersects(d.geom, (select boundary from ward))),
             cable as (select ST_Intersection(c.geom, (select boundary from ward)) as g
                       from standing_overhead_cable c where ST_Intersects(c.geom, (select boundary from ward))),
             today as (select coalesce(sum(ST_Length(g::geography)), 0) / 1000 as overhead_km,
                              coalesce(sum(ST_Length(ST_Intersection(g, (select fp from areas))::geography)), 0) / 1000 as in_areas_km,
                              coalesce(sum(ST_Length(ST_Intersection(g, (select corridor from free_ducts))::geography)), 0) / 1000 as debt_km
                       from cable),
             months as (select m, ((now() at time zone 'Asia/Ho_Chi_Minh')::date - make_interval(months => m))::date as day
                        from generate_series(1, 12) as m)
        insert into undergrounding_snapshot (day, ward_id, overhead_km_in_areas, overhead_km, debt_km)
        select months.day, ward.id,
               round((today.in_areas_km * (1 + 0.022 * m + case when m >= 5 then 0.05 else 0 end))::numeric, 3)::float8,
               round((today.overhead_km * (1 + 0.012 * m + case when m >= 5 then 0.03 else 0 end))::numeric, 3)::float8,
               round((today.debt_km * (1 + 0.03 * m))::numeric, 3)::float8
        from months, ward, today
        order by months.day;
    end loop;
end
$$;
