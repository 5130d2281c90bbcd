-- Overhead cable still standing in undergrounding areas, per street segment,
-- ward and operator, read from the sums that migration 0125 keeps
-- (undergrounding_segment_total, from the pieces of migration 0115). A segment
-- is a street area itself, or a street inside a zone (its corridor clipped to
-- the zone), and it is always counted ward by ward: clipped to each ward it
-- crosses, so a street through two wards is two rows, each the figures of that
-- ward's dashboard. A street kept as several rows of the same name is one
-- segment. $1: ward ids to include (null: every current ward, and the parts
-- outside any ward), $2: owner operator id (null: all); $3: whether to write
-- out each segment's geometry.
with segment as (
    select sg.area_id, sg.segment_name, sg.ward_id,
           coalesce(ST_AsGeoJSON(ST_CollectionExtract(ST_Collect(sg.fp) filter (where $3), 3), 7)::json, 'null'::json) as geometry
    from undergrounding_segment sg
    where ($1::bigint[] is null
           and (sg.ward_id is null
                or exists (select 1 from admin_unit w
                           where w.id = sg.ward_id and (w.valid_to is null or w.valid_to >= current_date))))
       or sg.ward_id = any($1)
    group by sg.area_id, sg.segment_name, sg.ward_id
),
per_segment as (
    select t.area_id, t.segment_name, t.ward_id, sum(t.metres) as metres, sum(t.debt_metres) as debt_metres,
           sum(t.cable_count) as cable_count,
           json_object_agg(o.code, round((t.metres / 1000)::numeric, 3) order by o.code) as by_operator
    from undergrounding_segment_total t
    join operator o on o.id = t.owner_id
    where ($2::bigint is null or t.owner_id = $2)
      and ($1::bigint[] is null or t.ward_id = any($1))
    group by t.area_id, t.segment_name, t.ward_id
)
select a.id as area_id, a.name as area_name, a.area_type, a.target_year, a.source_doc, sg.segment_name,
       w.gso_code as ward_code, w.name as ward_name,
       round((coalesce(p.metres, 0) / 1000)::numeric, 3)::float8 as overhead_km,
       round((coalesce(p.debt_metres, 0) / 1000)::numeric, 3)::float8 as debt_km,
       coalesce(p.cable_count, 0)::bigint as cable_count,
       coalesce(p.by_operator, '{}') as by_operator,
       sg.geometry
from segment sg
join undergrounding_area a on a.id = sg.area_id
left join per_segment p on p.area_id = sg.area_id and p.segment_name = sg.segment_name and p.ward_id is not distinct from sg.ward_id
left join admin_unit w on w.id = sg.ward_id
order by overhead_km desc, a.name, sg.segment_name
