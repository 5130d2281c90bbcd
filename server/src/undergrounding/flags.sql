-- Overhead cable still standing in undergrounding areas, per street segment and
-- operator. A segment is a street area itself, or a street inside a zone (its
-- corridor clipped to the zone). $1: ward ids to include (null: all; given,
-- each segment is clipped to each of those wards it crosses), $2: owner
-- operator id (null: all).
with segment as (
    select a.id as area_id, a.name as area_name, a.area_type, a.target_year, a.source_doc,
           a.name as segment_name, a.footprint as fp, a.ward_id
    from undergrounding_area a
    where a.area_type = 'street'
    union all
    select a.id, a.name, a.area_type, a.target_year, a.source_doc,
           s.name, ST_Intersection(ST_Buffer(s.geom::geography, a.corridor_m, 'endcap=flat join=round')::geometry, a.footprint),
           a.ward_id
    from undergrounding_area a
    join street s on ST_Intersects(s.geom, a.footprint)
    where a.area_type = 'zone'
),
scoped as (
    select sg.area_id, sg.area_name, sg.area_type, sg.target_year, sg.source_doc, sg.segment_name,
           case when $1::bigint[] is null then sg.fp else ST_Intersection(sg.fp, w.boundary) end as fp,
           case when $1::bigint[] is null then sg.ward_id else w.id end as ward_id
    from segment sg
    left join admin_unit w on $1::bigint[] is not null and w.id = any($1) and ST_Intersects(sg.fp, w.boundary)
    where $1::bigint[] is null or w.id is not null
),
-- The corridor of ducts with a free pipe along each segment, once per segment
-- (as a lateral join beside the cables it was computed once per cable).
free_corridor as materialized (
    select sg.area_id, sg.segment_name, sg.ward_id,
           (select coalesce(ST_Union(ST_Buffer(d.geom::geography, 15, 'endcap=flat')::geometry), 'SRID=4326;GEOMETRYCOLLECTION EMPTY'::geometry)
            from duct_with_free_pipe d
            where ST_DWithin(d.geom::geography, sg.fp::geography, 15)) as corridor
    from scoped sg
),
piece as (
    select sg.area_id, sg.segment_name, sg.ward_id, c.id as cable_id, o.code as operator,
           ST_Length(ST_Intersection(c.geom, sg.fp)::geography) as metres,
           ST_Length(ST_Intersection(ST_Intersection(c.geom, sg.fp), fd.corridor)::geography) as debt_metres
    from scoped sg
    join free_corridor fd on fd.area_id = sg.area_id and fd.segment_name = sg.segment_name and fd.ward_id is not distinct from sg.ward_id
    join standing_overhead_cable c on ST_Intersects(c.geom, sg.fp)
    join operator o on o.id = c.owner_id
    where $2::bigint is null or c.owner_id = $2
)
select sg.area_id, sg.area_name, sg.area_type, sg.target_year, sg.source_doc, sg.segment_name,
       w.gso_code as ward_code, w.name as ward_name,
       round((coalesce(sum(p.metres), 0) / 1000)::numeric, 3)::float8 as overhead_km,
       round((coalesce(sum(p.debt_metres), 0) / 1000)::numeric, 3)::float8 as debt_km,
       count(distinct p.cable_id) filter (where p.metres >= 50) as cable_count,
       coalesce(json_agg(json_build_object('operator', p.operator, 'km', round((p.metres / 1000)::numeric, 3)))
                filter (where p.cable_id is not null), '[]') as pieces,
       ST_AsGeoJSON(sg.fp, 7)::json as geometry
from scoped sg
left join piece p on p.area_id = sg.area_id and p.segment_name = sg.segment_name and p.ward_id is not distinct from sg.ward_id
left join admin_unit w on w.id = sg.ward_id
group by sg.area_id, sg.area_name, sg.area_type, sg.target_year, sg.source_doc, sg.segment_name, w.gso_code, w.name, sg.fp
order by overhead_km desc, sg.area_name, sg.segment_name
