-- A bulk writer (the import) derives the wards of many new points at once,
-- by the rule of ward_for, and inserts them with their ward (set-based, the
-- boundaries prepared once: server/src/assets/store.rs). While it does, it
-- sets hatang.asset_ward_given for its transaction, and the trigger leaves
-- the ward it was given. Every other write derives the ward here, as before.
drop trigger asset_derive_ward on asset;
create trigger asset_derive_ward
    before insert or update of geom on asset
    for each row when (current_setting('hatang.asset_ward_given', true) is distinct from 'on')
    execute function asset_derive_ward();
