-- Where an import's rows lie ([west, south, east, north], WGS84), recorded when
-- the job is validated or committed, so "show on the map" zooms to them.
alter table import_job add column extent double precision[]
    check (extent is null or array_length(extent, 1) = 4);
