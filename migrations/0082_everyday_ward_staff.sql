-- The pre-check of exemption answers "a permit is required" in its own words
-- (it said "pass"), and the A1 class is checked against the heights the
-- circular sets rather than taken on trust.
alter table permit_check drop constraint permit_check_outcome_check;
alter table permit_check add constraint permit_check_outcome_check
    check (outcome in ('pass', 'info', 'warning', 'blocking', 'exempt', 'required'));

-- Circular 15/2016/TTLT-BTTTT-BXD defines the non-bulky (A1) antenna mast as
-- one installed in or on a building without changing its architecture or
-- structure; a self-standing mast on a building is non-bulky when it is, with
-- its antennas (lightning rod excluded), at most 20 % of the building's height
-- and at most 3 m tall, and reaches at most 0.5 m from its axis. The reach is
-- not in an application, so it is left to the reviewer.
insert into rule_setting (rule_key, province_code, valid_from, valid_to, value, citation, note, provisional) values
    ('tower_class.a1', null, '2016-08-15', null,
     '{"max_height_m": 3, "max_share_of_building": 0.2, "max_reach_m": 0.5}',
     'Thông tư liên tịch 15/2016/TTLT-BTTTT-BXD, Điều 3 (cột ăng ten không cồng kềnh)',
     'Cột tự đứng trên công trình: cao không quá 20% chiều cao công trình và không quá 3 m (kể cả ăng ten, không kể kim thu sét); tầm với từ tâm cột không quá 0,5 m.',
     false);

-- Civil works are changed and cancelled, not only deleted: a cancelled work
-- keeps its record (and who cancelled it, in the change log) but no longer
-- meets permits or operators.
alter table civil_work
    add column version       integer not null default 1,
    add column updated_at    timestamptz not null default now(),
    add column cancelled_at  timestamptz,
    add column cancel_reason text check (length(cancel_reason) <= 2000);
