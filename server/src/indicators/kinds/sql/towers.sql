-- Towers standing in the territory of unit $1, with counts by owner, class
-- and technology (a tower with 4G and 5G counts under both).
with territory as (select admin_unit_territory($1) as g),
     standing as (
         select o.code as operator, t.tower_class, t.technologies
         from asset a
         join tower t on t.asset_id = a.id
         join operator o on o.id = a.owner_id, territory
         where a.status in ('operational', 'inactive')
           and territory.g is not null and ST_Intersects(a.geom, territory.g))
select count(*) as total,
       jsonb_build_object(
           'operator', coalesce((select jsonb_object_agg(operator, n) from (
               select operator, count(*) as n from standing group by operator order by operator) x), '{}'),
           'class', coalesce((select jsonb_object_agg(tower_class, n) from (
               select tower_class, count(*) as n from standing group by tower_class order by tower_class) x), '{}'),
           'technology', coalesce((select jsonb_object_agg(tech, n) from (
               select tech, count(*) as n from standing, unnest(technologies) tech group by tech order by tech) x), '{}')
       ) as breakdown
from standing
