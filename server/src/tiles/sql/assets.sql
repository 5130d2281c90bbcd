-- The layer {layer}: assets of kind {kind} drawn one by one, with the
-- properties the map styles and filters by (nothing commercially sensitive:
-- no contract, fee, note or pipe occupant). Decommissioned assets are not
-- drawn. The partial index asset_tiles_{kind} serves the bounding-box test.
(select coalesce(ST_AsMVT(f, '{layer}', 4096, 'geom', 'fid'), '')
 from (
    select *
    from (
        select a.id as fid,
               ST_AsMVTGeom({geometry}, tile.env, 4096, 64, true) as geom,
               a.id,
               a.kind,
               a.code,
               o.code as operator,
               a.status,
               sharing.tenant_count,
               sharing.tenant_count > 0 as shared,
               w.gso_code as ward_code,
               {columns}
        from tile
        join asset a on a.geom_3857 && tile.env_buffered
        join {table} d on d.asset_id = a.id
        join operator o on o.id = a.owner_id
        left join admin_unit w on w.id = a.ward_id
        cross join lateral (
            select count(distinct t.tenant_id)::integer as tenant_count
            from tenancy t
            where t.asset_id = a.id and t.tenant_id <> a.owner_id and active_tenancy(t)
        ) sharing
        where a.kind = '{kind}' and a.status <> 'decommissioned' {filter} {where}
        {order}
    ) drawn
    where drawn.geom is not null
    limit {cap}
 ) f)
