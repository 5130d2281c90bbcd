-- Where an import's rows lie ([west, south, east, north], WGS84), recorded when
-- the job is validated or committed, so "show on the map" zooms to them.
alter table import_job add column extent double precision[]
    check (extent is null or array_length(extent, 1) = 4);

-- The codes an operator's own values stand for ("Bê tông" → concrete), by
-- attribute: chosen for a job, and remembered with the operator's column mapping.
alter table import_job add column value_mapping jsonb not null default '{}';
alter table import_mapping add column value_mapping jsonb not null default '{}';
