-- What each viewer may see of an asset (the rules are in server/src/accounts/policy.rs).

-- Properties with duct occupancy limited to what the viewer may see: in full
-- for admins, the owner and staff whose scope covers the asset's ward;
-- otherwise only the viewer's own pipes name their occupant.
create function asset_properties_for(a asset, viewer_operator bigint, viewer_admin boolean, viewer_wards bigint[])
returns jsonb
language sql stable as $$
    select case
        when a.kind <> 'duct' or viewer_admin or a.owner_id = viewer_operator or a.ward_id = any(viewer_wards)
            then p
        else jsonb_set(p, '{pipes}', coalesce((
            select jsonb_agg(case when pipe ->> 'occupant' = viewer_code then pipe
                                  else jsonb_set(pipe, '{occupant}', 'null'::jsonb) end
                             order by (pipe ->> 'no')::int)
            from jsonb_array_elements(p -> 'pipes') pipe), '[]'::jsonb))
    end
    from (select asset_properties(a) as p,
                 (select code from operator where id = viewer_operator) as viewer_code) v
$$;

-- Tenancies with lease terms only for admins, the owner and the tenant.
create function asset_tenancies_for(asset_id bigint, viewer_operator bigint, viewer_admin boolean)
returns jsonb
language sql stable as $$
    select coalesce(jsonb_agg(case
               when viewer_admin or a.owner_id = viewer_operator or o.id = viewer_operator then t
               else t - 'contract_ref' - 'monthly_fee_vnd' end
           order by (t ->> 'since'), (t ->> 'id')::bigint), '[]'::jsonb)
    from asset a
    cross join lateral jsonb_array_elements(asset_tenancies(a.id)) t
    join operator o on o.code = t ->> 'tenant'
    where a.id = asset_tenancies_for.asset_id
$$;

-- The few properties the public sees of a published tower.
create function asset_public_properties(a asset) returns jsonb
language sql stable as $$
    select jsonb_build_object(
               'kind', a.kind, 'code', a.code, 'name', a.name,
               'operator', o.code, 'operator_name', o.short_name, 'status', a.status,
               'ward_code', w.gso_code, 'ward_name', w.name,
               'tower_class', t.tower_class, 'height_m', t.height_m, 'placement', t.placement,
               'technologies', t.technologies)
    from operator o
    left join admin_unit w on w.id = a.ward_id
    left join tower t on t.asset_id = a.id
    where o.id = a.owner_id
$$;

-- Whether the public may see an asset: a tower in a ward that publishes towers.
create function asset_published(a asset) returns boolean
language sql stable as $$
    select a.kind = 'tower' and a.status <> 'decommissioned' and exists (
        select 1 from ward_publication p where p.ward_id = a.ward_id and p.towers)
$$;
