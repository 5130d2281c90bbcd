-- Values of indicators (the kinds are a registry in the code,
-- server/src/indicators/kinds/): what operators filed, what departments
-- declared with their evidence, and dated snapshots of what Hatang computes
-- from the registry (for the trend). Every value keeps its source, as-of date
-- and who supplied it.

-- The evidence a department declares a value with (a report, a list, a scan).
create table indicator_evidence (
    id            bigint generated always as identity primary key,
    file_name     text not null check (length(file_name) between 1 and 255),
    content_type  text not null,
    size_bytes    integer not null,
    sha256        text not null,
    content       bytea not null,
    uploaded_by   bigint references app_user (id),
    uploaded_at   timestamptz not null default now()
);

create table indicator_value (
    id                    bigint generated always as identity primary key,
    indicator             text not null check (indicator ~ '^[a-z0-9_]{2,60}$'),
    unit_id               bigint not null references admin_unit (id),
    as_of                 date not null,
    value                 double precision not null,
    -- For a share, its two counts (households passed, households), so that
    -- units add up exactly: a ward's share is the sum of its parts' numerators
    -- over the sum of their denominators.
    numerator             double precision,
    denominator           double precision,
    -- Parts of the value: {"operator": {"VNPT": 16, ...}, "class": {...}}.
    breakdown             jsonb,
    source                text not null check (source in ('computed', 'filed', 'declared')),
    -- Filed values are per operator.
    operator_id           bigint references operator (id),
    -- How it was obtained: `registry` (computed), `area_weighted` or
    -- `household_points` (coverage from polygons), `form`, `upload`, `declared`.
    method                text check (length(method) <= 40),
    supplied_by           text not null,
    supplied_by_user_id   bigint references app_user (id),
    supplied_by_token_id  bigint,
    -- The filing (filings module) and its version this value comes from.
    filing_id             bigint,
    filing_version        integer,
    -- What a department cites, and the file it attached.
    evidence              text check (length(evidence) <= 2000),
    evidence_document_id  bigint references indicator_evidence (id),
    synthetic             boolean not null default false,
    note                  text check (length(note) <= 2000),
    recorded_at           timestamptz not null default now(),
    constraint indicator_value_share check (
        (numerator is null and denominator is null) or (numerator is not null and denominator is not null and denominator >= 0)),
    constraint indicator_value_filed_by_operator check ((source = 'filed') = (operator_id is not null))
);
-- One current value per indicator, unit, day, source and operator; a new
-- filing or declaration replaces it (the change log keeps the old one).
create unique index indicator_value_one
    on indicator_value (indicator, unit_id, as_of, source, coalesce(operator_id, 0));
create index indicator_value_unit on indicator_value (unit_id, indicator, as_of);

create trigger indicator_value_log after insert or update or delete on indicator_value
    for each row execute function log_change('id');
create function indicator_evidence_log() returns trigger
language plpgsql as $$
declare
    doc jsonb := to_jsonb(coalesce(new, old)) - 'content';
begin
    insert into change_log (entity, entity_key, action, actor, actor_user_id, actor_token_id, before, after)
    values ('indicator_evidence', doc ->> 'id', lower(TG_OP),
            coalesce(nullif(current_setting('hatang.actor', true), ''), 'system'),
            nullif(current_setting('hatang.actor_user_id', true), '')::bigint,
            nullif(current_setting('hatang.actor_token_id', true), '')::bigint,
            case when TG_OP = 'DELETE' then doc end, case when TG_OP <> 'DELETE' then doc end);
    return null;
end
$$;
create trigger indicator_evidence_log after insert or delete on indicator_evidence
    for each row execute function indicator_evidence_log();
