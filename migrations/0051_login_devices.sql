-- Login throttling that slows attackers without giving them a lockout switch
-- (issue 13). A browser that signed in successfully gets a device cookie; the
-- device is known for that user from then on, and its attempts are throttled
-- only by their own failures, so someone failing logins for "admin" elsewhere,
-- or colleagues behind the same office NAT, do not keep the user out.
create table login_device (
    device_hash    bytea primary key,
    user_id        bigint not null references app_user (id) on delete cascade,
    created_at     timestamptz not null default now(),
    last_login_at  timestamptz not null default now()
);
create index login_device_user on login_device (user_id);

-- The device an attempt came from, when it was known for the username.
alter table login_attempt add column device_hash bytea;
create index login_attempt_device on login_attempt (device_hash, at) where device_hash is not null;
