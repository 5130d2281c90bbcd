-- Assets of kind $3 standing in the territory of unit $1, and how many of
-- them carry another operator than the owner on day $2.
with territory as (select admin_unit_territory($1) as g),
     standing as (
         select a.id, a.owner_id
         from asset a, territory t
         where a.kind = $3 and a.status in ('operational', 'inactive')
           and t.g is not null and ST_Intersects(a.geom, t.g))
select (count(*) filter (where exists (
            select 1 from tenancy x
            where x.asset_id = s.id and x.tenant_id <> s.owner_id
              and x.since <= $2 and (x.until is null or x.until >= $2))))::float8 as shared,
       count(*)::float8 as total
from standing s
