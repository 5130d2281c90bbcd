-- What Martin serves in the benchmark: the same assets with the same
-- properties as Hatang's `poles` and `cables` layers, as plain views that
-- Martin's table sources read (Martin draws every row: it does not cluster,
-- thin or cap). They are written like Hatang's own tile SQL (same Web
-- Mercator column and partial indexes, details looked up per row with
-- `offset 0`, tenancies counted with a filter), so the comparison is of the
-- servers and of generalisation, not of two ways to write the joins. Hatang
-- sends the asset id both as the feature id and as a property `id`; Martin
-- sends it as `asset_id` too, so both tiles carry the same data.
create schema if not exists bench;
drop view if exists bench.poles, bench.cables;

create or replace view bench.poles as
select a.id, a.geom_3857 as geom, a.id as asset_id,
       a.kind, a.code, o.code as operator, a.status,
       s.tenant_count, s.tenant_count > 0 as shared, w.gso_code as ward_code,
       d.purpose, d.material
from asset a
cross join lateral (select d.purpose, d.material from pole d where d.asset_id = a.id offset 0) d
join operator o on o.id = a.owner_id
left join admin_unit w on w.id = a.ward_id
cross join lateral (
    select count(distinct t.tenant_id) filter (
               where t.tenant_id <> a.owner_id and active_tenancy(t))::integer as tenant_count
    from tenancy t
    where t.asset_id = a.id
) s
where a.kind = 'pole' and a.status <> 'decommissioned';

create or replace view bench.cables as
select a.id, a.geom_3857 as geom, a.id as asset_id,
       a.kind, a.code, o.code as operator, a.status,
       s.tenant_count, s.tenant_count > 0 as shared, w.gso_code as ward_code,
       d.placement, d.medium, d.role
from asset a
cross join lateral (select d.placement, d.medium, d.role from cable d where d.asset_id = a.id offset 0) d
join operator o on o.id = a.owner_id
left join admin_unit w on w.id = a.ward_id
cross join lateral (
    select count(distinct t.tenant_id) filter (
               where t.tenant_id <> a.owner_id and active_tenancy(t))::integer as tenant_count
    from tenancy t
    where t.asset_id = a.id
) s
where a.kind = 'cable' and a.status <> 'decommissioned';
