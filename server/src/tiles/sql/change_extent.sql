-- The area an asset change touched, in Web Mercator: the asset where it is now
-- and, for a change with a history entry, where it was before that change.
-- $1 = asset id, $2 = the version the change produced (or null).
select ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
from (
    select ST_Extent(g) as e
    from (
        select a.geom_3857 as g from asset a where a.id = $1
        union all
        select ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(h.before -> 'geometry'), 4326), 3857)
        from asset_history h
        where h.asset_id = $1 and h.version = $2 and h.before ? 'geometry'
    ) changed
) extent
