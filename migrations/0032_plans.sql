-- Plans for digital infrastructure (Kế hoạch phát triển hạ tầng số) of a
-- ward, commune or district: their targets, the tasks of their annex, and the
-- reporting duties they set (who reports to whom by which day each year).

create table plan (
    id            bigint generated always as identity primary key,
    -- "58/KH-UBND"; empty when the copy at hand leaves the number blank.
    number        text check (length(number) <= 60),
    issued_on     date,
    -- When only the month is known ("ngày … tháng 02 năm 2025").
    issued_text   text check (length(issued_text) <= 100),
    issuer        text not null check (length(issuer) between 1 and 300),
    signer        text check (length(signer) <= 200),
    title         text not null check (length(title) between 1 and 500),
    unit_id       bigint not null references admin_unit (id),
    period_from   integer not null check (period_from between 2000 and 2100),
    period_to     integer not null check (period_to between 2000 and 2100),
    -- The higher-level plan it implements ("Thực hiện Kế hoạch số 58/KH-UBND ...").
    basis         text check (length(basis) <= 2000),
    note          text check (length(note) <= 4000),
    created_by    bigint references app_user (id),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    version       integer not null default 1,
    constraint plan_period check (period_to >= period_from)
);
create index plan_unit on plan (unit_id);

-- Files attached to a plan: its signed copy (the source document), annexes.
create table plan_document (
    id            bigint generated always as identity primary key,
    plan_id       bigint not null references plan (id) on delete cascade,
    role          text not null default 'source' check (role in ('source', 'annex', 'other')),
    file_name     text not null check (length(file_name) between 1 and 255),
    content_type  text not null,
    size_bytes    integer not null,
    sha256        text not null,
    content       bytea not null,
    uploaded_by   bigint references app_user (id),
    uploaded_at   timestamptz not null default now()
);
create index plan_document_plan on plan_document (plan_id);

-- A target: an indicator (a kind in the indicator registry), the value to
-- reach by a year, and the sentence of the plan it comes from.
create table plan_target (
    id              bigint generated always as identity primary key,
    plan_id         bigint not null references plan (id) on delete cascade,
    indicator       text not null check (indicator ~ '^[a-z0-9_]{2,60}$'),
    target_value    double precision not null,
    -- at_least: reach or exceed; at_most: stay at or below.
    comparison      text not null default 'at_least' check (comparison in ('at_least', 'at_most')),
    year            integer not null check (year between 2000 and 2100),
    -- The plan's own words, and where in the plan they stand ("II.1.1").
    sentence        text not null check (length(sentence) between 1 and 2000),
    section         text check (length(section) <= 40),
    -- The starting point the plan measures from, where it names one.
    baseline_value  double precision,
    baseline_year   integer check (baseline_year between 2000 and 2100),
    position        integer not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index plan_target_plan on plan_target (plan_id, position);

-- A task of the plan's annex (or of its "tổ chức thực hiện" section).
create table plan_task (
    id            bigint generated always as identity primary key,
    plan_id       bigint not null references plan (id) on delete cascade,
    -- The annex's numbering ("2.1").
    code          text check (length(code) <= 20),
    title         text not null check (length(title) between 1 and 4000),
    -- Who leads and who takes part, in the plan's words.
    lead          text not null check (length(lead) between 1 and 500),
    partners      text check (length(partners) <= 1000),
    -- Whether the telecom operators lead it (they may then report on it).
    operators_lead boolean not null default false,
    -- The plan's own wording of the time ("2025-2030", "Thường xuyên hàng năm").
    due_text      text check (length(due_text) <= 100),
    -- The day it is due; for a yearly task, its last day in the current year.
    due_on        date,
    yearly        boolean not null default false,
    status        text not null default 'not_started' check (status in ('not_started', 'in_progress', 'done', 'cancelled')),
    evidence      text check (length(evidence) <= 2000),
    position      integer not null default 0,
    updated_by    bigint references app_user (id),
    updated_at    timestamptz not null default now(),
    version       integer not null default 1
);
create index plan_task_plan on plan_task (plan_id, position);

-- Progress notes on a task, oldest first, with the status they set.
create table plan_task_note (
    id           bigint generated always as identity primary key,
    task_id      bigint not null references plan_task (id) on delete cascade,
    note         text not null check (length(note) between 1 and 4000),
    status       text check (status in ('not_started', 'in_progress', 'done', 'cancelled')),
    evidence     text check (length(evidence) <= 2000),
    author       text not null,
    author_user_id bigint references app_user (id),
    created_at   timestamptz not null default now()
);
create index plan_task_note_task on plan_task_note (task_id, id);

-- A reporting duty: `reporter` reports `what` to `recipient` by a day each
-- year. "Trước ngày 01/12" is stored as day 1, month 12, before = true: the
-- report is due by 30/11.
create table plan_reporting_duty (
    id          bigint generated always as identity primary key,
    plan_id     bigint not null references plan (id) on delete cascade,
    reporter    text not null check (length(reporter) between 1 and 500),
    recipient   text not null check (length(recipient) between 1 and 500),
    what        text not null check (length(what) between 1 and 1000),
    due_day     integer not null check (due_day between 1 and 31),
    due_month   integer not null check (due_month between 1 and 12),
    before      boolean not null default true,
    -- Who in Hatang files it: the ward's departments, the ward, operators.
    reporter_kind text not null default 'department' check (reporter_kind in ('department', 'unit', 'operators')),
    sentence    text check (length(sentence) <= 2000),
    position    integer not null default 0
);
create index plan_reporting_duty_plan on plan_reporting_duty (plan_id, position);

create trigger plan_log after insert or update or delete on plan
    for each row execute function log_change('id');
create trigger plan_target_log after insert or update or delete on plan_target
    for each row execute function log_change('id');
create trigger plan_task_log after insert or update or delete on plan_task
    for each row execute function log_change('id');
create trigger plan_task_note_log after insert or update or delete on plan_task_note
    for each row execute function log_change('id');
create trigger plan_reporting_duty_log after insert or update or delete on plan_reporting_duty
    for each row execute function log_change('id');
-- Documents: who added or removed which file (not its bytes).
create function plan_document_log() returns trigger
language plpgsql as $$
declare
    doc jsonb := to_jsonb(coalesce(new, old)) - 'content';
begin
    insert into change_log (entity, entity_key, action, actor, actor_user_id, actor_token_id, before, after)
    values ('plan_document', doc ->> 'id', lower(TG_OP),
            coalesce(nullif(current_setting('hatang.actor', true), ''), 'system'),
            nullif(current_setting('hatang.actor_user_id', true), '')::bigint,
            nullif(current_setting('hatang.actor_token_id', true), '')::bigint,
            case when TG_OP = 'DELETE' then doc end, case when TG_OP <> 'DELETE' then doc end);
    return null;
end
$$;
create trigger plan_document_log after insert or delete on plan_document
    for each row execute function plan_document_log();
