-- Imports of operators' files (GeoJSON, CSV, XLSX, Shapefile, GeoPackage, KML)
-- as jobs: uploaded, previewed with a field mapping, validated row by row,
-- committed in one transaction. The file is kept until the job is committed.
create table import_job (
    id               bigint generated always as identity primary key,
    kind             text not null check (kind in ('tower', 'pole', 'duct', 'manhole', 'trench', 'cable', 'cabinet')),
    -- The operator whose assets the file holds; every row is owned by it.
    operator_id      bigint not null references operator (id),
    file_name        text not null check (length(file_name) between 1 and 255),
    format           text not null,
    size_bytes       bigint not null check (size_bytes >= 0),
    content          bytea,
    source           text not null default 'upload' check (source in ('upload', 'cli')),
    layer            text,
    crs_srid         integer,
    -- The province whose TM-3 zone was chosen (its name; former provinces too).
    crs_province     text,
    -- Source column → asset attribute (null: the column is not imported).
    mapping          jsonb not null default '{}',
    preview          jsonb,
    status           text not null default 'uploaded'
                     check (status in ('uploaded', 'validating', 'validated', 'invalid', 'committing', 'committed', 'failed')),
    phase            text,
    total_rows       bigint,
    processed_rows   bigint not null default 0,
    problem_count    bigint not null default 0,
    -- The first problems found: [{row, field, column, problem}].
    problems         jsonb not null default '[]',
    notes            jsonb not null default '[]',
    created_count    bigint,
    updated_count    bigint,
    unchanged_count  bigint,
    message          text,
    actor            text not null,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    finished_at      timestamptz
);
create index import_job_operator on import_job (operator_id, kind, id);

-- The mapping an operator last used for a kind, offered for its next file.
create table import_mapping (
    operator_id  bigint not null references operator (id),
    kind         text not null,
    columns      jsonb not null,
    crs_srid     integer,
    updated_at   timestamptz not null default now(),
    primary key (operator_id, kind)
);

-- checked_geometry for a file's rows: a coordinate PROJ cannot convert (far
-- outside the projection's domain, as swapped axes give) is a problem of
-- that row, not an error of the whole import.
create function import_checked_geometry(submitted geometry, srid integer, out geom geometry, out problem text)
language plpgsql stable as $$
begin
    select c.geom, c.problem into geom, problem from checked_geometry(submitted, srid) c;
exception when others then
    geom := null;
    problem := format('cannot be converted from EPSG:%s to WGS84 (%s)', srid, sqlerrm);
end
$$;

-- A row's geometry in WGS84, or null when PROJ cannot convert it.
create function import_to_wgs84(g geometry, srid integer) returns geometry
language plpgsql stable as $$
begin
    return ST_Transform(ST_SetSRID(g, srid), 4326);
exception when others then
    return null;
end
$$;
