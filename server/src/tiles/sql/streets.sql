-- The layer streets: main and secondary streets from the layer's minimum zoom,
-- every street from zoom 13, simplified to one screen pixel below zoom 14.
(select coalesce(ST_AsMVT(f, 'streets', 4096, 'geom', 'fid'), '')
 from (
        select s.id as fid,
               ST_AsMVTGeom(case when tile.z < 14 then ST_Simplify(ST_Transform(s.geom, 3857), tile.px)
                                 else ST_Transform(s.geom, 3857) end,
                            tile.env, 4096, 64, true) as geom,
               s.name,
               s.class
        from tile
        join street s on s.geom && ST_Transform(tile.env_buffered, 4326)
        where tile.z >= 13 or s.class in ('main', 'secondary')
        limit {cap}
 ) f)
