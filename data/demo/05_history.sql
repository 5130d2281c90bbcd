-- Demo data 5/5: the change history. One 'create' entry per asset, by the
-- loader, with the asset's document as it stands once the whole demo is loaded
-- (its tenancies included; assets whose tenancies have ended keep just this
-- entry). Must run last.

set local jit = off;

-- Fresh statistics, so the snapshot functions look tenancies, pipes and
-- supports up by index rather than scanning the tables once per asset.
analyze asset;
analyze tenancy;
analyze duct_pipe;
analyze cable_support;
analyze admin_unit;
analyze operator;

insert into asset_history (asset_id, action, actor, version, reason, before, after)
select a.id, 'create', 'system:demo', a.version, 'Dữ liệu mẫu (demo)', null, asset_snapshot(a.id)
from asset a
order by a.id;
