-- A bulk writer (the import) chains its history entries itself and copies
-- them in with chain_seq, prev_hash and hash set (server/src/assets/chain.rs,
-- the same digest as asset_history_digest, under the same advisory lock).
-- The trigger then leaves them as they are: calling it per entry, to read
-- the chain's head again each time, was most of an import's history cost.
-- An entry written with a wrong hash or link is found by `hatang
-- verify-history` like an edited one.
drop trigger asset_history_chain on asset_history;
create trigger asset_history_chain
    before insert on asset_history
    for each row when (new.hash is null) execute function asset_history_chain();
