-- The layer {layer} below its detail zoom: assets of kind {kind} counted in a
-- grid of cells aligned to the tiles (so a cluster is the same in every tile
-- that shows it), each cell drawn at the mean position of its assets with
-- `cluster`, `count` and `point_count`. A cell holding one asset draws that
-- asset with its usual properties.
(with cells as (
    select count(*)::integer as n,
           avg(ST_X(a.geom_3857)) as x,
           avg(ST_Y(a.geom_3857)) as y,
           min(a.id) as first_id
    from tile
    join asset a on a.geom_3857 && tile.env_cells
    where a.kind = '{kind}' and a.status <> 'decommissioned' {audience}
    group by floor(ST_X(a.geom_3857) / tile.cell), floor(ST_Y(a.geom_3857) / tile.cell)
 )
 select coalesce(ST_AsMVT(f, '{layer}', 4096, 'geom', 'fid'), '')
 from (
    select a.id as fid,
           ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(c.x, c.y), 3857), tile.env, 4096, 64, true) as geom,
           a.id,
           '{kind}' as kind,
           a.code,
           a.name,
           o.code as operator,
           a.status,
           sharing.tenant_count,
           sharing.tenant_count > 0 as shared,
           w.gso_code as ward_code,
           d.*,
           case when c.n > 1 then true end as cluster,
           case when c.n > 1 then c.n end as count,
           case when c.n > 1 then c.n end as point_count
    from tile
    cross join cells c
    left join asset a on c.n = 1 and a.id = c.first_id
    left join lateral (
        select {columns} from {table} d where d.asset_id = a.id offset 0
    ) d on true
    left join operator o on o.id = a.owner_id
    left join admin_unit w on w.id = a.ward_id
    left join lateral (
        select count(distinct t.tenant_id) filter (
                   where t.tenant_id <> a.owner_id and active_tenancy(t))::integer as tenant_count
        from tenancy t
        where t.asset_id = a.id
    ) sharing on a.id is not null
    limit {cap}
 ) f)
