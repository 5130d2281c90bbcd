-- Households and population covered, per neighbourhood unit of the call's
-- wards ($2) on the call's day ($3) and per technology, by the polygons of
-- the filing versions $1 (their union). By household points where the unit
-- has them, else by the share of its area.
with units as (
    select distinct n.id, n.boundary
    from unnest($2::bigint[]) as w(id)
    cross join lateral admin_unit_neighbourhoods(w.id, $3) as nid
    join admin_unit n on n.id = nid
    where n.boundary is not null),
people as (
    -- The figures as of the day, else the earliest after it.
    select distinct on (p.unit_id) p.unit_id, p.households::float8 as households, p.population::float8 as population
    from unit_population p
    where p.unit_id in (select id from units)
    order by p.unit_id, p.as_of > $3, abs(p.as_of - $3), p.id desc),
technologies as (
    select unnest(array['4G', '5G']) as technology),
cover as (
    select t.technology, (select ST_Union(a.geom) from filing_area a
                          where a.version_id = any($1) and a.technology = t.technology) as geom
    from technologies t),
points as (
    select h.unit_id, h.households::float8 as households, h.population::float8 as population, h.geom
    from household_point h
    where h.unit_id in (select id from units)),
figures as (
    select u.id as unit_id, c.technology,
           exists (select 1 from points pt where pt.unit_id = u.id) as by_points,
           case when c.geom is null then 0
                else ST_Area(ST_Intersection(u.boundary, c.geom)::geography) / nullif(ST_Area(u.boundary::geography), 0)
           end as area_share,
           (select sum(pt.households) from points pt where pt.unit_id = u.id) as point_households,
           (select sum(pt.households) from points pt where pt.unit_id = u.id and ST_Intersects(c.geom, pt.geom)) as covered_households,
           (select sum(pt.population) from points pt where pt.unit_id = u.id and ST_Intersects(c.geom, pt.geom)) as covered_population,
           (select bool_and(pt.population is not null) from points pt where pt.unit_id = u.id) as points_count_people
    from units u cross join cover c)
select f.unit_id, f.technology,
       case when f.by_points then 'household_points' else 'area_weighted' end as method,
       case when f.by_points then coalesce(f.covered_households, 0)
            else round(pe.households * f.area_share) end as households,
       case when f.by_points and f.points_count_people then coalesce(f.covered_population, 0)
            when f.by_points then round(pe.population * coalesce(f.covered_households, 0) / nullif(f.point_households, 0))
            else round(pe.population * f.area_share) end as population
from figures f
left join people pe on pe.unit_id = f.unit_id
order by f.unit_id, f.technology
