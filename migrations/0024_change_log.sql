-- The history of everything that is not an asset (assets have asset_history,
-- permits their permit_event timeline): the registers of civil works,
-- restricted zones and undergrounding, the settings (rules, holidays,
-- publication), operators, accounts and tokens. One trigger writes each
-- insert, update and delete with the row before and after; the actor is what
-- the transaction set with set_config('hatang.actor', …, true) (see
-- `audit::changes::begin`), "system" otherwise.
create table change_log (
    id             bigint generated always as identity primary key,
    at             timestamptz not null default now(),
    entity         text not null,
    entity_key     text not null,
    action         text not null check (action in ('insert', 'update', 'delete')),
    actor          text not null,
    actor_user_id  bigint,
    actor_token_id bigint,
    before         jsonb,
    after          jsonb
);
create index change_log_entity on change_log (entity, entity_key, id);
create index change_log_actor_user on change_log (actor_user_id, id);

-- Arguments: the key columns of the table. Secrets (password and token
-- hashes) and photos are never copied, nor a token's last use (written on
-- every request it makes); an update that changes nothing else writes nothing.
create function log_change() returns trigger
language plpgsql as $$
declare
    before_doc jsonb;
    after_doc jsonb;
    doc jsonb;
    key_parts text[] := '{}';
    key_column text;
begin
    if TG_OP <> 'INSERT' then
        before_doc := to_jsonb(old) - 'password_hash' - 'token_hash' - 'photo' - 'last_used_at';
    end if;
    if TG_OP <> 'DELETE' then
        after_doc := to_jsonb(new) - 'password_hash' - 'token_hash' - 'photo' - 'last_used_at';
    end if;
    if TG_OP = 'UPDATE' and before_doc = after_doc then
        return null;
    end if;
    doc := coalesce(after_doc, before_doc);
    foreach key_column in array TG_ARGV loop
        key_parts := key_parts || (doc ->> key_column);
    end loop;
    insert into change_log (entity, entity_key, action, actor, actor_user_id, actor_token_id, before, after)
    values (TG_TABLE_NAME, array_to_string(key_parts, '/'), lower(TG_OP),
            coalesce(nullif(current_setting('hatang.actor', true), ''), 'system'),
            nullif(current_setting('hatang.actor_user_id', true), '')::bigint,
            nullif(current_setting('hatang.actor_token_id', true), '')::bigint,
            before_doc, after_doc);
    return null;
end
$$;

create trigger civil_work_log after insert or update or delete on civil_work
    for each row execute function log_change('id');
create trigger civil_work_interest_log after insert or update or delete on civil_work_interest
    for each row execute function log_change('civil_work_id', 'operator_id');
create trigger restricted_zone_log after insert or update or delete on restricted_zone
    for each row execute function log_change('id');
create trigger undergrounding_area_log after insert or update or delete on undergrounding_area
    for each row execute function log_change('id');
create trigger undergrounding_project_log after insert or update or delete on undergrounding_project
    for each row execute function log_change('id');
create trigger project_operator_log after insert or update or delete on project_operator
    for each row execute function log_change('project_id', 'operator_id');
create trigger project_progress_log after insert or update or delete on project_progress
    for each row execute function log_change('id');
create trigger rule_setting_log after insert or update or delete on rule_setting
    for each row execute function log_change('id');
create trigger holiday_log after insert or update or delete on holiday
    for each row execute function log_change('day');
create trigger ward_publication_log after insert or update or delete on ward_publication
    for each row execute function log_change('ward_id');
create trigger operator_log after insert or update or delete on operator
    for each row execute function log_change('id');
create trigger app_user_log after insert or update or delete on app_user
    for each row execute function log_change('id');
create trigger user_scope_log after insert or update or delete on user_scope
    for each row execute function log_change('user_id', 'admin_unit_id');
create trigger api_token_log after insert or update or delete on api_token
    for each row execute function log_change('id');
