-- Accounts, sessions, API tokens, ward publication settings, and a
-- tamper-evident change history.

-- People who log in. An operator member belongs to one operator; reviewers and
-- planners work within a scope of wards or provinces (user_scope).
create table app_user (
    id                   bigint generated always as identity primary key,
    username             text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
    display_name         text not null check (length(display_name) between 1 and 200),
    role                 text not null check (role in ('admin', 'reviewer', 'planner', 'operator_member')),
    operator_id          bigint references operator (id),
    password_hash        text not null,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    password_changed_at  timestamptz not null default now(),
    disabled_at          timestamptz,
    version              integer not null default 1,
    constraint app_user_member_has_operator check ((role = 'operator_member') = (operator_id is not null))
);

create table user_scope (
    user_id        bigint not null references app_user (id) on delete cascade,
    admin_unit_id  bigint not null references admin_unit (id),
    primary key (user_id, admin_unit_id)
);

-- Browser sessions. Only a hash of the cookie value is stored.
create table user_session (
    token_hash    bytea primary key,
    user_id       bigint not null references app_user (id) on delete cascade,
    csrf_token    text not null,
    created_at    timestamptz not null default now(),
    last_seen_at  timestamptz not null default now(),
    expires_at    timestamptz not null
);
create index user_session_user on user_session (user_id);

-- Tokens for operators' own systems. Shown once, stored as a hash, scoped to
-- one operator, revocable.
create table api_token (
    id            bigint generated always as identity primary key,
    operator_id   bigint not null references operator (id),
    created_by    bigint references app_user (id),
    name          text not null check (length(name) between 1 and 100),
    prefix        text not null,
    token_hash    bytea not null unique,
    created_at    timestamptz not null default now(),
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create index api_token_operator on api_token (operator_id);

-- Login attempts, for throttling repeated failures.
create table login_attempt (
    id         bigint generated always as identity primary key,
    username   text not null,
    remote     text,
    at         timestamptz not null default now(),
    succeeded  boolean not null
);
create index login_attempt_username on login_attempt (username, at);
create index login_attempt_remote on login_attempt (remote, at);

-- What a ward shows the public (people who are not logged in).
create table ward_publication (
    ward_id         bigint primary key references admin_unit (id),
    towers          boolean not null default false,
    undergrounding  boolean not null default false,
    planned_works   boolean not null default false,
    updated_at      timestamptz not null default now(),
    updated_by      bigint references app_user (id)
);

-- Who made each change, precisely: the user or the API token.
alter table asset_history
    add column actor_user_id bigint references app_user (id),
    add column actor_token_id bigint references api_token (id),
    add column chain_seq bigint,
    add column prev_hash bytea,
    add column hash bytea;
create index asset_history_actor_user on asset_history (actor_user_id);

-- The hash chain: each entry's hash covers its content and the previous
-- entry's hash, so editing or deleting any entry breaks every later link.
-- `hatang verify-history` recomputes the chain.
create function asset_history_digest(h asset_history) returns bytea
language sql immutable as $$
    select sha256(convert_to(concat_ws(E'\x1f',
        h.chain_seq::text,
        encode(coalesce(h.prev_hash, ''::bytea), 'hex'),
        h.id::text,
        h.asset_id::text,
        h.action,
        h.actor,
        coalesce(h.actor_user_id::text, ''),
        coalesce(h.actor_token_id::text, ''),
        ((extract(epoch from h.at) * 1000000)::bigint)::text,
        h.version::text,
        coalesce(h.reason, ''),
        coalesce(h.before::text, ''),
        coalesce(h.after::text, '')), 'UTF8'))
$$;

create function asset_history_chain() returns trigger
language plpgsql as $$
declare
    last asset_history;
begin
    -- One writer at a time extends the chain (held until the transaction ends).
    perform pg_advisory_xact_lock(hashtext('asset_history_chain'));
    select * into last from asset_history where chain_seq is not null order by chain_seq desc limit 1;
    new.chain_seq := coalesce(last.chain_seq, 0) + 1;
    new.prev_hash := last.hash;
    new.hash := asset_history_digest(new);
    return new;
end
$$;

-- Chain the entries written before this migration, in id order.
do $$
declare
    entry asset_history;
    previous bytea := null;
    seq bigint := 0;
begin
    for entry in select * from asset_history order by id loop
        seq := seq + 1;
        entry.chain_seq := seq;
        entry.prev_hash := previous;
        entry.hash := asset_history_digest(entry);
        update asset_history set chain_seq = entry.chain_seq, prev_hash = entry.prev_hash, hash = entry.hash where id = entry.id;
        previous := entry.hash;
    end loop;
end
$$;

create unique index asset_history_chain_seq on asset_history (chain_seq);

create trigger asset_history_chain
    before insert on asset_history
    for each row execute function asset_history_chain();

-- History is append-only: no update or delete through normal roles' statements.
create function asset_history_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'the change history is append-only';
end
$$;

create trigger asset_history_append_only
    before update or delete on asset_history
    for each row execute function asset_history_append_only();
