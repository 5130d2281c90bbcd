-- Who started an import: the user or the operator's token, so that the
-- history of every asset it writes names them.
alter table import_job
    add column actor_user_id bigint references app_user (id),
    add column actor_token_id bigint references api_token (id);
