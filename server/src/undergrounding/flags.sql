-- Overhead cable still standing in undergrounding areas, per street segment,
-- ward and operator, summed from the pieces that migration 0115 keeps up to
-- date (undergrounding_segment, undergrounding_piece). A segment is a street
-- area itself, or a street inside a zone (its corridor clipped to the zone),
-- and it is always counted ward by ward: clipped to each ward it crosses, so a
-- street through two wards is two rows, each the figures of that ward's
-- dashboard. $1: ward ids to include (null: every current ward, and the parts
-- outside any ward), $2: owner operator id (null: all); $3: whether to write
-- out each segment's geometry.
with segment as (
    select sg.id, sg.area_id, sg.segment_name, sg.ward_id, sg.fp
    from undergrounding_segment sg
    where ($1::bigint[] is null
           and (sg.ward_id is null
                or exists (select 1 from admin_unit w
                           where w.id = sg.ward_id and (w.valid_to is null or w.valid_to >= current_date))))
       or sg.ward_id = any($1)
),
per_operator as (
    select sg.area_id, sg.segment_name, sg.ward_id, p.owner_id, sum(p.metres) as metres,
           sum(p.debt_metres) as debt_metres, count(distinct p.cable_id) filter (where p.metres >= 50) as cable_count
    from segment sg
    join undergrounding_piece p on p.segment_id = sg.id
    where $2::bigint is null or p.owner_id = $2
    group by sg.area_id, sg.segment_name, sg.ward_id, p.owner_id
),
per_segment as (
    select p.area_id, p.segment_name, p.ward_id, sum(p.metres) as metres, sum(p.debt_metres) as debt_metres,
           sum(p.cable_count) as cable_count,
           json_object_agg(o.code, round((p.metres / 1000)::numeric, 3) order by o.code) as by_operator
    from per_operator p
    join operator o on o.id = p.owner_id
    group by p.area_id, p.segment_name, p.ward_id
)
select a.id as area_id, a.name as area_name, a.area_type, a.target_year, a.source_doc, sg.segment_name,
       w.gso_code as ward_code, w.name as ward_name,
       round((coalesce(p.metres, 0) / 1000)::numeric, 3)::float8 as overhead_km,
       round((coalesce(p.debt_metres, 0) / 1000)::numeric, 3)::float8 as debt_km,
       coalesce(p.cable_count, 0)::bigint as cable_count,
       coalesce(p.by_operator, '{}') as by_operator,
       case when $3 then ST_AsGeoJSON(sg.fp, 7)::json else 'null'::json end as geometry
from segment sg
join undergrounding_area a on a.id = sg.area_id
left join per_segment p on p.area_id = sg.area_id and p.segment_name = sg.segment_name and p.ward_id is not distinct from sg.ward_id
left join admin_unit w on w.id = sg.ward_id
order by overhead_km desc, a.name, sg.segment_name
