-- Who is asking (server/src/accounts/cache.rs): servers keep the principal of
-- a session cookie or API token in memory for a few seconds instead of asking
-- the database on every request. Whatever changes who a session or token is,
-- or whether it still counts, is announced on the channel `hatang_principals`
-- after the statement, so every server forgets it at once:
--   {"users": [ids], "tokens": [ids], "all": false}
-- `users`: the sessions of these users (and every token, since a token stops
-- with the account that made it); `tokens`: these tokens; `all`: everything
-- (operator codes and admin units, which every principal may name, or more
-- ids than a notice holds).
-- Recording the use of a session or token (last_seen_at, last_used_at) is not
-- announced: it changes nothing about who is asking.

create function principals_notify(users bigint[], tokens bigint[], everyone boolean) returns void
language sql volatile as $$
    select pg_notify('hatang_principals', json_build_object(
               'users', case when big then '{}' else coalesce(users, '{}') end,
               'tokens', case when big then '{}' else coalesce(tokens, '{}') end,
               'all', everyone or big)::text)
    from (select coalesce(cardinality(users), 0) + coalesce(cardinality(tokens), 0) > 500 as big) size
    where everyone or coalesce(cardinality(users), 0) > 0 or coalesce(cardinality(tokens), 0) > 0
$$;

create function principals_user_changed() returns trigger
language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        perform principals_notify(
            array(select n.id from new_rows n join old_rows o on o.id = n.id
                  where (n.username, n.display_name, n.role, n.operator_id, n.password_hash, n.disabled_at)
                        is distinct from (o.username, o.display_name, o.role, o.operator_id, o.password_hash, o.disabled_at)),
            null, false);
    else
        perform principals_notify(array(select id from old_rows), null, false);
    end if;
    return null;
end
$$;

create trigger principals_user_updated after update on app_user
    referencing old table as old_rows new table as new_rows for each statement execute function principals_user_changed();
create trigger principals_user_deleted after delete on app_user
    referencing old table as old_rows for each statement execute function principals_user_changed();

create function principals_session_changed() returns trigger
language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        -- Moving last_seen_at forwards is a use; anything else may end the session.
        perform principals_notify(
            array(select distinct o.user_id from old_rows o join new_rows n on n.token_hash = o.token_hash
                  where n.user_id <> o.user_id or n.csrf_token <> o.csrf_token
                     or n.expires_at < o.expires_at or n.last_seen_at < o.last_seen_at
                  union
                  select o.user_id from old_rows o where not exists (select 1 from new_rows n where n.token_hash = o.token_hash)
                  union
                  select n.user_id from new_rows n where not exists (select 1 from old_rows o where o.token_hash = n.token_hash)),
            null, false);
    else
        perform principals_notify(array(select distinct user_id from old_rows), null, false);
    end if;
    return null;
end
$$;

create trigger principals_session_updated after update on user_session
    referencing old table as old_rows new table as new_rows for each statement execute function principals_session_changed();
create trigger principals_session_deleted after delete on user_session
    referencing old table as old_rows for each statement execute function principals_session_changed();

create function principals_scope_changed() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform principals_notify(array(select distinct user_id from new_rows), null, false);
    elsif tg_op = 'DELETE' then
        perform principals_notify(array(select distinct user_id from old_rows), null, false);
    else
        perform principals_notify(array(select user_id from old_rows union select user_id from new_rows), null, false);
    end if;
    return null;
end
$$;

create trigger principals_scope_inserted after insert on user_scope
    referencing new table as new_rows for each statement execute function principals_scope_changed();
create trigger principals_scope_updated after update on user_scope
    referencing old table as old_rows new table as new_rows for each statement execute function principals_scope_changed();
create trigger principals_scope_deleted after delete on user_scope
    referencing old table as old_rows for each statement execute function principals_scope_changed();

create function principals_token_changed() returns trigger
language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        perform principals_notify(null,
            array(select n.id from new_rows n join old_rows o on o.id = n.id
                  where (n.operator_id, n.name, n.token_hash, n.expires_at, n.revoked_at, n.created_by)
                        is distinct from (o.operator_id, o.name, o.token_hash, o.expires_at, o.revoked_at, o.created_by)),
            false);
    else
        perform principals_notify(null, array(select id from old_rows), false);
    end if;
    return null;
end
$$;

create trigger principals_token_updated after update on api_token
    referencing old table as old_rows new table as new_rows for each statement execute function principals_token_changed();
create trigger principals_token_deleted after delete on api_token
    referencing old table as old_rows for each statement execute function principals_token_changed();

-- Operator codes and admin units (a scope's provinces expand to their wards)
-- are rarely changed and named by many principals: forget them all.
create function principals_all_changed() returns trigger
language plpgsql as $$
begin
    perform principals_notify(null, null, true);
    return null;
end
$$;

create trigger principals_operator_changed after update or delete on operator
    for each statement execute function principals_all_changed();
create trigger principals_admin_unit_changed after insert or update or delete on admin_unit
    for each statement execute function principals_all_changed();
