-- The cable layer {layer} below its detail zoom (issue 15, "lines at low
-- zoom"): the lines are chosen as for other line layers (simplified to one
-- screen pixel, none shorter than two pixels, longest first up to the cap),
-- then merged into one feature per operator, placement, role, status and
-- sharing: what the map styles and colour modes draw by. A city's thousands of
-- routes become a few dozen features, each encoded and tagged once. A merged
-- feature carries `count` (routes merged) and no id, code, medium or ward, like
-- a point cluster; a group of one route draws that route with its usual
-- properties, exactly as it did before.
(with chosen as (
    select a.id, a.geom_3857, a.owner_id, a.status
    from tile
    join asset a on a.geom_3857 && tile.env_buffered
    where a.kind = 'cable' and a.status <> 'decommissioned' {chosen_filter} {audience}
      and ST_Length(a.geom_3857) >= 2 * tile.px
      and ST_Intersects(a.geom_3857, tile.env_buffered)
    order by ST_Length(a.geom_3857) desc
    limit {cap}
 ),
 groups as (
    select count(*)::integer as n,
           min(c.id) as first_id,
           c.owner_id, c.status, d.placement, d.role, sharing.shared,
           ST_Collect(ST_Simplify(c.geom_3857, tile.px)) as geom
    from tile
    cross join chosen c
    join cable d on d.asset_id = c.id
    cross join lateral (
        select exists (select from tenancy t
                       where t.asset_id = c.id and t.tenant_id <> c.owner_id and active_tenancy(t)) as shared
    ) sharing
    group by c.owner_id, c.status, d.placement, d.role, sharing.shared
 )
 select coalesce(ST_AsMVT(f, '{layer}', 4096, 'geom', 'fid'), '')
 from (
    select a.id as fid,
           ST_AsMVTGeom(g.geom, tile.env, 4096, 64, true) as geom,
           a.id,
           'cable' as kind,
           a.code,
           o.code as operator,
           g.status,
           sharing.tenant_count,
           g.shared,
           w.gso_code as ward_code,
           g.placement,
           d.medium,
           g.role,
           case when g.n > 1 then g.n end as count
    from tile
    cross join groups g
    join operator o on o.id = g.owner_id
    left join asset a on g.n = 1 and a.id = g.first_id
    left join cable d on d.asset_id = a.id
    left join admin_unit w on w.id = a.ward_id
    left join lateral (
        select count(distinct t.tenant_id) filter (
                   where t.tenant_id <> a.owner_id and active_tenancy(t))::integer as tenant_count
        from tenancy t
        where t.asset_id = a.id
    ) sharing on a.id is not null
 ) f)
