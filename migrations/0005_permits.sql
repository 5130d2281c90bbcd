-- Construction permits for passive telecom works, and what their pre-checks
-- read: rules with legal citations, the working-day calendar, planned civil
-- works (dig-once), restricted zones and streets to be put underground.

-- Rules are settings, not constants: each has a scope (national, or one
-- province), a validity period and the document and article it comes from.
create table rule_setting (
    id           bigint generated always as identity primary key,
    rule_key     text not null check (rule_key ~ '^[a-z_]+(\.[a-z_0-9]+)*$'),
    -- GSO code of the province the rule applies in; national when null.
    province_code text,
    valid_from   date not null,
    valid_to     date,
    value        jsonb not null,
    citation     text not null check (length(citation) between 1 and 500),
    note         text,
    provisional  boolean not null default false,
    updated_at   timestamptz not null default now(),
    constraint rule_setting_validity check (valid_to is null or valid_to >= valid_from)
);
create index rule_setting_key on rule_setting (rule_key, province_code);

-- Days off besides weekends: public holidays (Tết is several days), with the
-- compensatory days the government announces each year.
create table holiday (
    day      date primary key,
    name     text not null,
    -- false for a Saturday or Sunday that is worked to make up for a bridge day.
    day_off  boolean not null default true
);

-- Works by others that operators could join (dig-once), and the period after
-- resurfacing when the street must not be dug again.
create table civil_work (
    id            bigint generated always as identity primary key,
    title         text not null check (length(title) between 1 and 300),
    sector        text not null check (sector in ('road', 'power', 'water', 'drainage', 'lighting', 'telecom', 'other')),
    owner_org     text not null,
    contact       text,
    geom          geometry(Geometry, 4326) not null,
    starts_on     date not null,
    ends_on       date not null,
    no_dig_until  date,
    source_doc    text,
    ward_id       bigint references admin_unit (id),
    created_by    bigint references app_user (id),
    created_at    timestamptz not null default now(),
    constraint civil_work_period check (ends_on >= starts_on and (no_dig_until is null or no_dig_until >= ends_on))
);
create index civil_work_geom on civil_work using gist (geom);

-- Places where works need care or are not allowed (heritage sites, ...).
create table restricted_zone (
    id          bigint generated always as identity primary key,
    name        text not null,
    zone_type   text not null check (zone_type in ('heritage', 'military', 'airport', 'park', 'other')),
    geom        geometry(Geometry, 4326) not null,
    buffer_m    double precision not null default 0 check (buffer_m between 0 and 5000),
    severity    text not null default 'warning' check (severity in ('warning', 'blocking')),
    citation    text not null,
    created_at  timestamptz not null default now()
);
create index restricted_zone_geom on restricted_zone using gist (geom);

-- Streets and zones where cable must go underground (from the city's yearly
-- plan): no new overhead cable there.
create table undergrounding_area (
    id             bigint generated always as identity primary key,
    name           text not null,
    geom           geometry(Geometry, 4326) not null,
    target_year    integer not null check (target_year between 2000 and 2100),
    source_doc     text not null,
    ward_id        bigint references admin_unit (id),
    created_by     bigint references app_user (id),
    created_at     timestamptz not null default now()
);
create index undergrounding_area_geom on undergrounding_area using gist (geom);

create table permit_application (
    id               bigint generated always as identity primary key,
    reference        text not null unique,
    operator_id      bigint not null references operator (id),
    created_by       bigint references app_user (id),
    works_type       text not null check (works_type in (
                         'tower', 'pole_line', 'duct', 'trench', 'overhead_cable', 'undergrounding', 'excavation_repair')),
    title            text not null check (length(title) between 1 and 300),
    description      text not null check (length(description) <= 10000),
    geom             geometry(Geometry, 4326) not null,
    ward_id          bigint references admin_unit (id),
    planned_start    date not null,
    planned_end      date not null,
    -- For a tower: class, height, host building height, placement.
    tower            jsonb,
    -- The assets the works will create (GeoJSON features with their kind),
    -- registered when the works are reported complete.
    proposed_assets  jsonb not null default '[]',
    state            text not null default 'draft',
    exempt           boolean not null default false,
    supplement_requested boolean not null default false,
    extension_days   integer not null default 0 check (extension_days between 0 and 30),
    permit_number    text unique,
    conditions       text,
    validity_end     date,
    decision_reasons text,
    works_started_on date,
    works_completed_on date,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    version          integer not null default 1,
    constraint permit_period check (planned_end >= planned_start)
);
create index permit_application_geom on permit_application using gist (geom);
create index permit_application_ward on permit_application (ward_id, state);
create index permit_application_operator on permit_application (operator_id, state);

-- Every transition, with who made it and why: the timeline, and what the
-- deadline clocks are computed from.
create table permit_event (
    id              bigint generated always as identity primary key,
    application_id  bigint not null references permit_application (id),
    action          text not null,
    from_state      text,
    to_state        text not null,
    actor           text not null,
    actor_user_id   bigint references app_user (id),
    at              timestamptz not null default now(),
    day             date not null,
    note            text,
    data            jsonb
);
create index permit_event_application on permit_event (application_id, id);

create table permit_attachment (
    id              bigint generated always as identity primary key,
    application_id  bigint not null references permit_application (id),
    filename        text not null,
    media_type      text not null,
    size_bytes      integer not null,
    sha256          text not null,
    content         bytea not null,
    uploaded_by     bigint references app_user (id),
    uploaded_at     timestamptz not null default now()
);
create index permit_attachment_application on permit_attachment (application_id);

-- Results of the automatic pre-checks; each run replaces the previous one.
create table permit_check (
    id              bigint generated always as identity primary key,
    application_id  bigint not null references permit_application (id),
    run_at          timestamptz not null default now(),
    check_key       text not null,
    outcome         text not null check (outcome in ('pass', 'info', 'warning', 'blocking', 'exempt')),
    message_vi      text not null,
    message_en      text not null,
    citation        text,
    rule_id         bigint references rule_setting (id),
    details         jsonb not null default '{}'
);
create index permit_check_application on permit_check (application_id);

-- Assets registered from an application's as-built report.
create table permit_asset (
    application_id  bigint not null references permit_application (id),
    asset_id        bigint not null references asset (id),
    primary key (application_id, asset_id)
);

-- In-app notifications.
create table notification (
    id              bigint generated always as identity primary key,
    user_id         bigint not null references app_user (id) on delete cascade,
    application_id  bigint references permit_application (id),
    kind            text not null,
    message_vi      text not null,
    message_en      text not null,
    dedupe_key      text,
    created_at      timestamptz not null default now(),
    read_at         timestamptz
);
create index notification_user on notification (user_id, read_at);
create unique index notification_dedupe on notification (user_id, dedupe_key) where dedupe_key is not null;
