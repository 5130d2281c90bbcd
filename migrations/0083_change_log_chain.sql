-- The change log (civil works, zones, areas, projects, rules, holidays,
-- publication, operators, accounts, tokens) is hash-chained like the asset
-- history: each entry's hash covers its content and the previous entry's
-- hash, so an edited or deleted entry breaks the chain where it was.
-- `hatang verify-history` checks both chains and prints both head hashes.
-- The two chains are kept apart so that writers of assets and writers of
-- settings do not wait for one another.
alter table change_log
    add column chain_seq bigint,
    add column prev_hash bytea,
    add column hash bytea;

create function change_log_digest(c change_log) returns bytea
language sql immutable as $$
    select sha256(convert_to(concat_ws(E'\x1f',
        c.chain_seq::text,
        encode(coalesce(c.prev_hash, ''::bytea), 'hex'),
        c.id::text,
        ((extract(epoch from c.at) * 1000000)::bigint)::text,
        c.entity,
        c.entity_key,
        c.action,
        c.actor,
        coalesce(c.actor_user_id::text, ''),
        coalesce(c.actor_token_id::text, ''),
        coalesce(c.before::text, ''),
        coalesce(c.after::text, '')), 'UTF8'))
$$;

create function change_log_chain() returns trigger
language plpgsql as $$
declare
    last change_log;
begin
    -- One writer at a time extends the chain (held until the transaction ends).
    perform pg_advisory_xact_lock(hashtext('change_log_chain'));
    select * into last from change_log where chain_seq is not null order by chain_seq desc limit 1;
    new.chain_seq := coalesce(last.chain_seq, 0) + 1;
    new.prev_hash := last.hash;
    new.hash := change_log_digest(new);
    return new;
end
$$;

-- Chain the entries written before this migration, in id order.
do $$
declare
    entry change_log;
    previous bytea := null;
    seq bigint := 0;
begin
    for entry in select * from change_log order by id loop
        seq := seq + 1;
        entry.chain_seq := seq;
        entry.prev_hash := previous;
        entry.hash := change_log_digest(entry);
        update change_log set chain_seq = entry.chain_seq, prev_hash = entry.prev_hash, hash = entry.hash where id = entry.id;
        previous := entry.hash;
    end loop;
end
$$;

create unique index change_log_chain_seq on change_log (chain_seq);
create index change_log_at on change_log (at desc, id desc);

create trigger change_log_chain
    before insert on change_log
    for each row execute function change_log_chain();
