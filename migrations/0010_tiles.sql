-- Vector tiles (server/src/tiles): what the tile queries need from the schema.
--
-- 1. Every asset's geometry in Web Mercator (EPSG:3857), the projection of
--    vector tiles, kept by PostgreSQL itself, so a tile query does not project
--    every feature it draws again on every request.
-- 2. One spatial index per kind over the assets still in the world (a
--    decommissioned asset is never drawn), so a tile of poles reads only poles.
-- 3. The line kinds ordered by length, so a low-zoom tile that keeps only the
--    longest lines of a city reads those first instead of sorting all of them.
-- 4. A notification on the channel `hatang_tiles` after any statement that
--    changes assets, tenancies, streets or wards, with the changed area, so the
--    server's tile cache forgets those tiles whoever made the change (the API,
--    the demo loader, an import, psql).

alter table asset
    add column geom_3857 geometry(Geometry, 3857)
    generated always as (ST_Transform(geom, 3857)) stored;

create index asset_tiles_tower on asset using gist (geom_3857) where kind = 'tower' and status <> 'decommissioned';
create index asset_tiles_pole on asset using gist (geom_3857) where kind = 'pole' and status <> 'decommissioned';
create index asset_tiles_duct on asset using gist (geom_3857) where kind = 'duct' and status <> 'decommissioned';
create index asset_tiles_manhole on asset using gist (geom_3857) where kind = 'manhole' and status <> 'decommissioned';
create index asset_tiles_trench on asset using gist (geom_3857) where kind = 'trench' and status <> 'decommissioned';
create index asset_tiles_cable on asset using gist (geom_3857) where kind = 'cable' and status <> 'decommissioned';
create index asset_tiles_cabinet on asset using gist (geom_3857) where kind = 'cabinet' and status <> 'decommissioned';
create index asset_tiles_line_length on asset (kind, ST_Length(geom_3857) desc)
    where kind in ('duct', 'trench', 'cable') and status <> 'decommissioned';

-- Tells listeners which area of which source changed: {"source": "assets" |
-- "streets" | "wards", "bbox": [xmin, ymin, xmax, ymax]} in EPSG:3857. One
-- notification per statement, however many rows it touched.
create function tiles_notify(source text, box box2d) returns void
language sql volatile as $$
    select pg_notify('hatang_tiles', json_build_object(
               'source', source,
               'bbox', json_build_array(ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)))::text)
    where box is not null
$$;

-- Statement triggers: the changed rows come as transition tables `old_rows`
-- and `new_rows` (only the ones the operation has).
create function tiles_asset_changed() returns trigger
language plpgsql as $$
declare
    box box2d;
begin
    if tg_op = 'INSERT' then
        select ST_Extent(geom_3857) into box from new_rows;
    elsif tg_op = 'DELETE' then
        select ST_Extent(geom_3857) into box from old_rows;
    else
        select ST_Extent(g) into box
        from (select geom_3857 as g from old_rows union all select geom_3857 from new_rows) changed;
    end if;
    perform tiles_notify('assets', box);
    return null;
end
$$;

create trigger tiles_asset_inserted after insert on asset
    referencing new table as new_rows for each statement execute function tiles_asset_changed();
create trigger tiles_asset_updated after update on asset
    referencing old table as old_rows new table as new_rows for each statement execute function tiles_asset_changed();
create trigger tiles_asset_deleted after delete on asset
    referencing old table as old_rows for each statement execute function tiles_asset_changed();

-- A tenancy changes the tenant count and the sharing flag drawn on the asset.
create function tiles_tenancy_changed() returns trigger
language plpgsql as $$
declare
    box box2d;
begin
    if tg_op = 'INSERT' then
        select ST_Extent(a.geom_3857) into box from asset a where a.id in (select asset_id from new_rows);
    elsif tg_op = 'DELETE' then
        select ST_Extent(a.geom_3857) into box from asset a where a.id in (select asset_id from old_rows);
    else
        select ST_Extent(a.geom_3857) into box from asset a
        where a.id in (select asset_id from old_rows union select asset_id from new_rows);
    end if;
    perform tiles_notify('assets', box);
    return null;
end
$$;

create trigger tiles_tenancy_inserted after insert on tenancy
    referencing new table as new_rows for each statement execute function tiles_tenancy_changed();
create trigger tiles_tenancy_updated after update on tenancy
    referencing old table as old_rows new table as new_rows for each statement execute function tiles_tenancy_changed();
create trigger tiles_tenancy_deleted after delete on tenancy
    referencing old table as old_rows for each statement execute function tiles_tenancy_changed();

-- Streets and ward boundaries are stored in WGS84; the trigger argument names
-- the geometry column and the source.
create function tiles_context_changed() returns trigger
language plpgsql as $$
declare
    box box2d;
begin
    if tg_op = 'INSERT' then
        execute format('select ST_Extent(ST_Transform(%I, 3857)) from new_rows', tg_argv[0]) into box;
    elsif tg_op = 'DELETE' then
        execute format('select ST_Extent(ST_Transform(%I, 3857)) from old_rows', tg_argv[0]) into box;
    else
        execute format('select ST_Extent(ST_Transform(g, 3857)) from (select %1$I as g from old_rows union all select %1$I from new_rows) changed',
                       tg_argv[0]) into box;
    end if;
    perform tiles_notify(tg_argv[1], box);
    return null;
end
$$;

create trigger tiles_street_inserted after insert on street
    referencing new table as new_rows for each statement execute function tiles_context_changed('geom', 'streets');
create trigger tiles_street_updated after update on street
    referencing old table as old_rows new table as new_rows for each statement execute function tiles_context_changed('geom', 'streets');
create trigger tiles_street_deleted after delete on street
    referencing old table as old_rows for each statement execute function tiles_context_changed('geom', 'streets');
create trigger tiles_ward_inserted after insert on admin_unit
    referencing new table as new_rows for each statement execute function tiles_context_changed('boundary', 'wards');
create trigger tiles_ward_updated after update on admin_unit
    referencing old table as old_rows new table as new_rows for each statement execute function tiles_context_changed('boundary', 'wards');
create trigger tiles_ward_deleted after delete on admin_unit
    referencing old table as old_rows for each statement execute function tiles_context_changed('boundary', 'wards');
