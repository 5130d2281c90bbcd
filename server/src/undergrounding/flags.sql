-- Overhead cable still standing in undergrounding areas, per street segment,
-- ward and operator. A segment is a street area itself, or a street inside a
-- zone (its corridor clipped to the zone), and it is always counted ward by
-- ward: clipped to each ward it crosses, so a street through two wards is two
-- rows, each the figures of that ward's dashboard. $1: ward ids to include
-- (null: every current ward, and the parts outside any ward), $2: owner
-- operator id (null: all); $3, $4: only the areas whose id modulo $3 is $4,
-- so the work can be shared between connections.
with segment as (
    select a.id as area_id, a.name as area_name, a.area_type, a.target_year, a.source_doc,
           a.name as segment_name, a.footprint as fp, a.ward_id
    from undergrounding_area a
    where a.area_type = 'street' and a.id % $3 = $4
    union all
    select a.id, a.name, a.area_type, a.target_year, a.source_doc,
           s.name, ST_Intersection(ST_Buffer(s.geom::geography, a.corridor_m, 'endcap=flat join=round')::geometry, a.footprint),
           a.ward_id
    from undergrounding_area a
    join street s on ST_Intersects(s.geom, a.footprint)
    where a.area_type = 'zone' and a.id % $3 = $4
),
in_ward as (
    select sg.area_id, sg.area_name, sg.area_type, sg.target_year, sg.source_doc, sg.segment_name,
           case when ST_CoveredBy(sg.fp, w.boundary) then sg.fp
                else ST_CollectionExtract(ST_Intersection(sg.fp, w.boundary), 3) end as fp,
           w.id as ward_id
    from segment sg
    join admin_unit w on w.boundary && sg.fp and ST_Intersects(sg.fp, w.boundary)
    where ($1::bigint[] is null and w.level = 'ward' and (w.valid_to is null or w.valid_to >= current_date))
       or w.id = any($1)
),
scoped as (
    -- A street that only touches a ward's edge leaves a sliver there: not a row.
    select * from in_ward where not ST_IsEmpty(fp) and ST_Area(fp::geography) > 1
    union all
    -- With every ward asked for, what lies outside them all is kept too.
    select sg.area_id, sg.area_name, sg.area_type, sg.target_year, sg.source_doc, sg.segment_name,
           x.rest, null
    from segment sg
    cross join lateral (
        select ST_CollectionExtract(ST_Difference(sg.fp, coalesce(ST_Union(w.boundary), ST_GeomFromText('POLYGON EMPTY', 4326))), 3) as rest
        from admin_unit w
        where w.level = 'ward' and (w.valid_to is null or w.valid_to >= current_date)
          and w.boundary && sg.fp and ST_Intersects(sg.fp, w.boundary)
    ) x
    where $1::bigint[] is null and not ST_IsEmpty(x.rest) and ST_Area(x.rest::geography) > 1
),
-- Where a duct bank with a free pipe runs within 15 m of the segment (once per
-- segment; 0.0002° is more than 15 m anywhere in Vietnam, so the box test
-- can use the spatial index before the exact distance).
corridor as materialized (
    select sg.area_id, sg.segment_name, sg.ward_id, sg.fp, fd.corridor
    from scoped sg
    cross join lateral (
        select ST_Union(ST_Buffer(d.geom::geography, 15, 'endcap=flat')::geometry) as corridor
        from duct_with_free_pipe d
        where d.geom && ST_Expand(sg.fp, 0.0002) and ST_DWithin(d.geom::geography, sg.fp::geography, 15)
    ) fd
),
-- Each cable's piece inside each segment. Where the cable lies wholly in the
-- segment, the cut is skipped, and only a piece that meets the corridor is cut
-- by it (the polygon repeats over the cables of a segment, so PostGIS prepares
-- it once for these tests). `offset 0` keeps each step computed once per row.
piece as materialized (
    select sg.area_id, sg.segment_name, sg.ward_id, c.id as cable_id, c.owner_id,
           ST_Length(x.inside::geography) as metres,
           case when sg.corridor is null or not ST_Intersects(x.inside, sg.corridor) then 0
                else ST_Length(ST_Intersection(x.inside, sg.corridor)::geography) end as debt_metres
    from corridor sg
    cross join lateral (select c.id, c.owner_id, c.geom from standing_overhead_cable c
                        where ST_Intersects(c.geom, sg.fp) and ($2::bigint is null or c.owner_id = $2)
                        offset 0) c
    cross join lateral (select case when ST_CoveredBy(c.geom, sg.fp) then c.geom
                                    else ST_Intersection(c.geom, sg.fp) end as inside
                        offset 0) x
),
per_operator as (
    select p.area_id, p.segment_name, p.ward_id, o.code as operator, sum(p.metres) as metres,
           sum(p.debt_metres) as debt_metres, count(distinct p.cable_id) filter (where p.metres >= 50) as cable_count
    from piece p join operator o on o.id = p.owner_id
    group by p.area_id, p.segment_name, p.ward_id, o.code
),
per_segment as materialized (
    select area_id, segment_name, ward_id, sum(metres) as metres, sum(debt_metres) as debt_metres,
           sum(cable_count) as cable_count,
           json_object_agg(operator, round((metres / 1000)::numeric, 3)) as by_operator
    from per_operator
    group by area_id, segment_name, ward_id
)
select sg.area_id, sg.area_name, sg.area_type, sg.target_year, sg.source_doc, sg.segment_name,
       w.gso_code as ward_code, w.name as ward_name,
       round((coalesce(p.metres, 0) / 1000)::numeric, 3)::float8 as overhead_km,
       round((coalesce(p.debt_metres, 0) / 1000)::numeric, 3)::float8 as debt_km,
       coalesce(p.cable_count, 0)::bigint as cable_count,
       coalesce(p.by_operator, '{}') as by_operator,
       ST_AsGeoJSON(sg.fp, 7)::json as geometry
from scoped sg
left join per_segment p on p.area_id = sg.area_id and p.segment_name = sg.segment_name and p.ward_id is not distinct from sg.ward_id
left join admin_unit w on w.id = sg.ward_id
order by overhead_km desc, sg.area_name, sg.segment_name
