-- The layer {layer} below its detail zoom: lines of kind {kind} simplified to
-- one screen pixel, without those shorter than two pixels, longest first up
-- to the cap. The lines are chosen first, reading only their geometry (the
-- index asset_tiles_line_length gives them longest first); the properties are
-- looked up for the chosen ones only.
(with chosen as (
    select a.id
    from tile
    join asset a on a.geom_3857 && tile.env_buffered
    where a.kind = '{kind}' and a.status <> 'decommissioned' {chosen_filter} {audience}
      and ST_Length(a.geom_3857) >= 2 * tile.px
      and ST_Intersects(a.geom_3857, tile.env_buffered)
    order by ST_Length(a.geom_3857) desc
    limit {cap}
 )
 select coalesce(ST_AsMVT(f, '{layer}', 4096, 'geom', 'fid'), '')
 from (
    select a.id as fid,
           ST_AsMVTGeom(ST_Simplify(a.geom_3857, tile.px), tile.env, 4096, 64, true) as geom,
           a.id,
           a.kind,
           a.code,
           a.name,
           o.code as operator,
           a.status,
           sharing.tenant_count,
           sharing.tenant_count > 0 as shared,
           w.gso_code as ward_code,
           d.*
    from tile
    cross join chosen c
    join asset a on a.id = c.id
    cross join lateral (
        select {columns} from {table} d where d.asset_id = a.id offset 0
    ) d
    join operator o on o.id = a.owner_id
    left join admin_unit w on w.id = a.ward_id
    cross join lateral (
        select count(distinct t.tenant_id) filter (
                   where t.tenant_id <> a.owner_id and active_tenancy(t))::integer as tenant_count
        from tenancy t
        where t.asset_id = a.id
    ) sharing
 ) f)
