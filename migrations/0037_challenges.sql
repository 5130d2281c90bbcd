-- Challenges to what operators filed, after the FCC's availability
-- challenges: anyone marks a point on the public map ("no 4G/5G here", "no
-- fibre available at this address"), staff triage it and forward it to the
-- operator concerned, which accepts (its next filing must correct the claim)
-- or disputes it with evidence; staff decide a dispute. The public form is
-- guarded like the public's field reports (migration 0040: signed proofs of
-- work used once, and a limit of public submissions per address).

create table challenge (
    id                 bigint generated always as identity primary key,
    kind               text not null check (kind in ('no_mobile', 'no_fibre')),
    -- For no_mobile: the technology said to be missing.
    technology         text check (technology in ('4G', '5G')),
    geom               geometry(Point, 4326) not null,
    ward_id            bigint references admin_unit (id),
    address            text check (length(address) <= 300),
    description        text check (length(description) <= 2000),
    -- How to reach the person (optional; never shown to the public or the operator).
    reporter_contact   text check (length(reporter_contact) <= 200),
    state              text not null default 'submitted' check (state in
                           ('submitted', 'rejected', 'forwarded', 'accepted', 'disputed', 'upheld', 'dismissed', 'corrected')),
    operator_id        bigint references operator (id),
    triage_note        text check (length(triage_note) <= 2000),
    triaged_by         text,
    triaged_at         timestamptz,
    response_due_on    date,
    response_note      text check (length(response_note) <= 4000),
    responded_by       text,
    responded_at       timestamptz,
    decision_note      text check (length(decision_note) <= 2000),
    decided_by         text,
    decided_at         timestamptz,
    corrected_by_version_id bigint references filing_version (id),
    corrected_at       timestamptz,
    photo_type         text,
    photo_sha256       text,
    evidence_name      text,
    evidence_type      text,
    evidence_sha256    text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    version            integer not null default 1,
    constraint challenge_technology check ((kind = 'no_mobile') = (technology is not null)),
    constraint challenge_forwarded check (state in ('submitted', 'rejected') or operator_id is not null)
);
create index challenge_geom on challenge using gist (geom);
create index challenge_ward_state on challenge (ward_id, state);
create index challenge_operator on challenge (operator_id, state);

-- The photo and the evidence file, kept apart from the row (and its log).
create table challenge_file (
    challenge_id  bigint not null references challenge (id),
    role          text not null check (role in ('photo', 'evidence')),
    media_type    text not null,
    content       bytea not null,
    primary key (challenge_id, role)
);

create trigger challenge_log after insert or update or delete on challenge
    for each row execute function log_change('id');
