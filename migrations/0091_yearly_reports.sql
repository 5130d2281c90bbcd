-- Yearly reports on a unit's plan (issue 10, must-have 8). One report per
-- unit, year and plan; departments and operators send their parts to it; a
-- finalised report is frozen as a version: the figures as of its date (the
-- whole report as JSON) and its SHA-256, which the change log records. A
-- later change and a new finalisation make the next version; versions are
-- never changed or deleted.
create table yearly_report (
    id            bigint generated always as identity primary key,
    unit_id       bigint not null references admin_unit (id),
    year          integer not null check (year between 2000 and 2100),
    plan_id       bigint not null references plan (id),
    -- Number and symbol once the office registers it ("125/BC-UBND").
    number        text check (length(number) <= 60),
    difficulties  text not null default '' check (length(difficulties) <= 20000),
    proposals     text not null default '' check (length(proposals) <= 20000),
    state         text not null default 'draft' check (state in ('draft', 'finalised')),
    -- The last finalised version, if any.
    finalised_version integer,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    version       integer not null default 1 check (version >= 1),
    constraint yearly_report_once unique (unit_id, year, plan_id)
);
create index yearly_report_year on yearly_report (year, unit_id);

-- A department's or an operator's part, sent to the ward by the ward's date.
create table yearly_report_part (
    id            bigint generated always as identity primary key,
    report_id     bigint not null references yearly_report (id),
    -- The operator sending it, or null for a department of the unit.
    operator_id   bigint references operator (id),
    contributor   text not null check (length(contributor) between 1 and 200),
    body          text not null default '' check (length(body) <= 20000),
    submitted_at  timestamptz,
    updated_at    timestamptz not null default now(),
    constraint yearly_report_part_once unique (report_id, contributor)
);

create table yearly_report_version (
    report_id     bigint not null references yearly_report (id),
    version       integer not null check (version >= 1),
    -- The report's date: its figures are as of this day.
    dated         date not null,
    finalised_at  timestamptz not null default now(),
    finalised_by  text not null,
    facts         jsonb not null,
    sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    primary key (report_id, version)
);

create function yearly_report_version_frozen() returns trigger
language plpgsql as $$
begin
    raise exception 'a finalised report (version %) is frozen: finalise a new version instead', old.version
        using errcode = 'check_violation';
end
$$;
create trigger yearly_report_version_frozen before update or delete on yearly_report_version
    for each row execute function yearly_report_version_frozen();

create trigger yearly_report_log after insert or update or delete on yearly_report
    for each row execute function log_change('id');
create trigger yearly_report_part_log after insert or update or delete on yearly_report_part
    for each row execute function log_change('id');
create trigger yearly_report_version_log after insert or update or delete on yearly_report_version
    for each row execute function log_change('report_id', 'version');
