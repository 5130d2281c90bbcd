-- The layer wards: boundaries of the wards valid today, simplified to a
-- quarter of a screen pixel.
(select coalesce(ST_AsMVT(f, 'wards', 4096, 'geom', 'fid'), '')
 from (
        select w.id as fid,
               ST_AsMVTGeom(ST_Simplify(ST_Transform(w.boundary, 3857), tile.px / 4), tile.env, 4096, 64, true) as geom,
               w.gso_code,
               w.name
        from tile
        join admin_unit w on w.boundary && ST_Transform(tile.env_buffered, 4326)
        where w.level = 'ward'
          and w.valid_from <= current_date
          and (w.valid_to is null or w.valid_to >= current_date)
        limit {cap}
 ) f)
