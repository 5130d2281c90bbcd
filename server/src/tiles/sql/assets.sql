-- The layer {layer}: assets of kind {kind} drawn one by one, with the
-- properties the map styles and filters by (nothing commercially sensitive:
-- no contract, fee, note or pipe occupant). Decommissioned assets are not
-- drawn. The partial index asset_tiles_{kind} serves the bounding-box test.
-- A row whose geometry clips away (a line whose box touches the tile but
-- not the line itself) has a null geometry, which ST_AsMVT leaves out.
(select coalesce(ST_AsMVT(f, '{layer}', 4096, 'geom', 'fid'), '')
 from (
    select a.id as fid,
           ST_AsMVTGeom(a.geom_3857, tile.env, 4096, 64, true) as geom,
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
    join asset a on a.geom_3857 && tile.env_buffered
    -- A tile reads a few thousand of a million assets: look each one's
    -- details up by key (`offset 0` keeps the planner from turning this
    -- into a hash join over the whole detail table).
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
    where a.kind = '{kind}' and a.status <> 'decommissioned' {filter} {audience}
    limit {cap}
 ) f)
