-- Filing windows (data calls) and operators' filings, after the US FCC's
-- Broadband Data Collection: the ward asks every operator active in a unit for
-- one kind of figure as of a date, by a due date; each operator files (a form
-- or an uploaded file), sees the problems of each row, corrects and re-files.
-- Every version is kept; the latest submitted version is the operator's answer.
-- Reminders go out as in-app notifications and as rows of `outgoing_mail`,
-- which an SMTP relay drains (README, "Filings and challenges").

create table data_call (
    id                     bigint generated always as identity primary key,
    -- fixed_broadband: households passed by fibre, subscribed, highest speed, per neighbourhood unit;
    -- mobile_coverage: coverage polygons per technology (4G, 5G);
    -- yearly_plan: the operator's plan for next year (new towers, cable routes, undergrounding km).
    kind                   text not null check (kind in ('fixed_broadband', 'mobile_coverage', 'yearly_plan')),
    title                  text not null check (length(title) between 1 and 300),
    admin_unit_id          bigint not null references admin_unit (id),
    -- The day the figures describe ("số liệu tính đến ngày").
    as_of                  date not null,
    -- For yearly plans: the year planned.
    plan_year              integer check (plan_year between 2000 and 2100),
    opens_on               date not null,
    -- The last day to file. If it is not a working day the period ends with
    -- the next working day (Civil Code 2015 Art. 148(5)).
    due_on                 date not null,
    -- Working days before the due date when operators that have not filed are reminded (0: no reminder).
    reminder_working_days  integer not null default 3 check (reminder_working_days between 0 and 30),
    instructions           text check (length(instructions) <= 4000),
    cancelled_at           timestamptz,
    cancel_reason          text check (length(cancel_reason) <= 1000),
    created_by             text not null,
    created_by_user_id     bigint references app_user (id),
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now(),
    version                integer not null default 1 check (version >= 1),
    constraint data_call_period check (due_on >= opens_on),
    constraint data_call_plan_year check ((kind = 'yearly_plan') = (plan_year is not null))
);
create index data_call_unit on data_call (admin_unit_id);

-- The operators a call is addressed to.
create table data_call_operator (
    call_id      bigint not null references data_call (id) on delete cascade,
    operator_id  bigint not null references operator (id),
    added_at     timestamptz not null default now(),
    primary key (call_id, operator_id)
);
create index data_call_operator_operator on data_call_operator (operator_id);

-- One operator's answer to one call; its versions hold the content.
create table filing (
    id           bigint generated always as identity primary key,
    call_id      bigint not null references data_call (id),
    operator_id  bigint not null references operator (id),
    created_at   timestamptz not null default now(),
    constraint filing_once unique (call_id, operator_id)
);

-- A version of a filing: what the operator sent once. Versions are never
-- changed, except that one is marked submitted.
create table filing_version (
    id                     bigint generated always as identity primary key,
    filing_id              bigint not null references filing (id),
    number                 integer not null check (number >= 1),
    source                 text not null check (source in ('form', 'upload')),
    file_name              text check (length(file_name) <= 255),
    file_format            text,
    file_size              integer,
    file_sha256            text,
    -- The rows as read (properties only; coverage polygons are in filing_area).
    rows                   jsonb not null default '[]',
    -- Every problem found: [{row, column, field, code, params, problem, severity}].
    problems               jsonb not null default '[]',
    error_count            integer not null default 0,
    warning_count          integer not null default 0,
    created_by             text not null,
    created_by_user_id     bigint references app_user (id),
    created_by_token_id    bigint references api_token (id),
    created_at             timestamptz not null default now(),
    submitted_at           timestamptz,
    submitted_by           text,
    submitted_by_user_id   bigint references app_user (id),
    submitted_by_token_id  bigint references api_token (id),
    constraint filing_version_number unique (filing_id, number),
    constraint filing_version_submitted check ((submitted_at is null) = (submitted_by is null)),
    constraint filing_version_clean check (submitted_at is null or error_count = 0)
);

-- The uploaded file of a version, kept as it came (not copied into change_log).
create table filing_file (
    version_id  bigint primary key references filing_version (id),
    content     bytea not null
);

-- Coverage polygons of a mobile coverage version, one per row of the file.
create table filing_area (
    version_id  bigint not null references filing_version (id),
    row_no      integer not null,
    technology  text not null check (technology in ('4G', '5G')),
    geom        geometry(MultiPolygon, 4326) not null,
    primary key (version_id, row_no)
);
create index filing_area_geom on filing_area using gist (geom);

-- A geometry of a filing's row, read from GeoJSON in `srid`: the checked
-- geometry (WGS84, valid, in Vietnam) or why it cannot be used. Never raises:
-- a file's bad row is a problem of that row, not a failed request.
create function filing_geometry(geojson text, srid integer, out geom geometry, out problem text)
language plpgsql stable as $$
begin
    select c.geom, c.problem into geom, problem from checked_geometry(ST_GeomFromGeoJSON(geojson), srid) c;
exception when others then
    problem := 'cannot read the geometry: ' || SQLERRM;
    geom := null;
end
$$;

-- A coverage polygon: as `filing_geometry`, and a Polygon or MultiPolygon
-- (polygons in a collection are kept), always as a MultiPolygon.
create function filing_polygon(geojson text, srid integer, out geom geometry, out problem text)
language plpgsql stable as $$
declare
    g geometry;
begin
    select f.geom, f.problem into g, problem from filing_geometry(geojson, srid) f;
    if problem is not null then
        return;
    end if;
    if GeometryType(g) = 'GEOMETRYCOLLECTION' then
        g := ST_CollectionExtract(g, 3);
    end if;
    if GeometryType(g) not in ('POLYGON', 'MULTIPOLYGON') or ST_IsEmpty(g) then
        problem := 'not_a_polygon';
        return;
    end if;
    geom := ST_Multi(g);
end
$$;

-- Reminders sent: one per call, operator and kind, whichever server sends it
-- first (the primary key makes the housekeeping idempotent across servers).
create table filing_reminder (
    call_id      bigint not null references data_call (id) on delete cascade,
    operator_id  bigint not null references operator (id),
    kind         text not null check (kind in ('opened', 'due_soon', 'late')),
    sent_on      date not null,
    created_at   timestamptz not null default now(),
    primary key (call_id, operator_id, kind)
);

-- Mail waiting for an SMTP relay. A relay claims rows with
--   update outgoing_mail set state = 'sending', claimed_at = now(), claimed_by = $me, attempts = attempts + 1
--   where id in (select id from outgoing_mail where state = 'pending' or (state = 'sending' and claimed_at < now() - interval '10 minutes')
--                order by id limit 50 for update skip locked) returning *;
-- and then sets state = 'sent', sent_at = now() (or 'pending' / 'failed' with last_error).
create table outgoing_mail (
    id            bigint generated always as identity primary key,
    -- What the mail is about, once: `filing:<call>:<operator>:<kind>:<address>` and so on.
    dedupe_key    text not null unique,
    kind          text not null,
    to_address    text not null check (to_address ~ '^[^@\s]+@[^@\s]+$'),
    to_name       text,
    subject       text not null,
    body_text     text not null,
    data_call_id  bigint references data_call (id),
    challenge_id  bigint,
    created_at    timestamptz not null default now(),
    state         text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'failed')),
    attempts      integer not null default 0,
    claimed_at    timestamptz,
    claimed_by    text,
    sent_at       timestamptz,
    last_error    text
);
create index outgoing_mail_pending on outgoing_mail (id) where state in ('pending', 'sending');

create trigger data_call_log after insert or update or delete on data_call
    for each row execute function log_change('id');
create trigger data_call_operator_log after insert or update or delete on data_call_operator
    for each row execute function log_change('call_id', 'operator_id');
create trigger filing_log after insert or update or delete on filing
    for each row execute function log_change('id');
-- The version's rows and problems are in the version itself (immutable); the
-- log keeps who made and who submitted it, and the file's hash.
create function log_filing_version() returns trigger
language plpgsql as $$
begin
    insert into change_log (entity, entity_key, action, actor, actor_user_id, actor_token_id, before, after)
    values ('filing_version', new.id::text, lower(TG_OP),
            coalesce(nullif(current_setting('hatang.actor', true), ''), 'system'),
            nullif(current_setting('hatang.actor_user_id', true), '')::bigint,
            nullif(current_setting('hatang.actor_token_id', true), '')::bigint,
            case when TG_OP = 'UPDATE' then to_jsonb(old) - 'rows' - 'problems' end,
            to_jsonb(new) - 'rows' - 'problems');
    return null;
end
$$;
create trigger filing_version_log after insert or update on filing_version
    for each row execute function log_filing_version();
create trigger outgoing_mail_log after insert or delete on outgoing_mail
    for each row execute function log_change('id');
