-- What a viewer may see of an asset: the redacted properties and tenancies
-- (accounts::policy decides who is admin, which operator and which wards).

-- asset_published (moved from migrations/0004_visibility.sql)
create or replace function asset_published(a asset) returns boolean
language sql stable as $$
    select a.kind = 'tower' and a.status <> 'decommissioned' and exists (
        select 1 from ward_publication p where p.ward_id = a.ward_id and p.towers)
$$;

-- asset_properties_for (moved from migrations/0023_document_plans.sql)
create or replace function asset_properties_for(a asset, viewer_operator bigint, viewer_admin boolean, viewer_wards bigint[])
returns jsonb
language plpgsql stable as $$
declare
    p jsonb := asset_properties(a);
    viewer_code text;
begin
    if a.kind <> 'duct' or viewer_admin or a.owner_id = viewer_operator or a.ward_id = any(viewer_wards) then
        return p;
    end if;
    select o.code into viewer_code from operator o where o.id = viewer_operator;
    return jsonb_set(p, '{pipes}', coalesce((
        select jsonb_agg(case when pipe ->> 'occupant' = viewer_code then pipe
                              else jsonb_set(pipe, '{occupant}', 'null'::jsonb) end
                         order by (pipe ->> 'no')::int)
        from jsonb_array_elements(p -> 'pipes') pipe), '[]'::jsonb));
end
$$;

-- asset_tenancies_for (moved from migrations/0023_document_plans.sql)
create or replace function asset_tenancies_for(asset_id bigint, viewer_operator bigint, viewer_admin boolean)
returns jsonb
language plpgsql stable as $$
begin
    return (
        select coalesce(jsonb_agg(case
                   when viewer_admin or a.owner_id = viewer_operator or o.id = viewer_operator then t
                   else t - 'contract_ref' - 'monthly_fee_vnd' end
               order by (t ->> 'since'), (t ->> 'id')::bigint), '[]'::jsonb)
        from asset a
        cross join lateral jsonb_array_elements(asset_tenancies(a.id)) t
        join operator o on o.code = t ->> 'tenant'
        where a.id = asset_tenancies_for.asset_id);
end
$$;

-- asset_public_properties (moved from migrations/0080_everyday_public.sql)
create or replace function asset_public_properties(a asset) returns jsonb
language plpgsql stable as $$
begin
    return (
        select jsonb_build_object(
                   'kind', a.kind, 'code', a.code, 'name', a.name,
                   'operator', o.code, 'operator_name', o.short_name, 'status', a.status,
                   'ward_code', w.gso_code, 'ward_name', w.name,
                   'tower_class', t.tower_class, 'height_m', t.height_m, 'placement', t.placement,
                   'technologies', t.technologies,
                   'created_at', a.created_at, 'updated_at', a.updated_at, 'version', a.version)
        from operator o
        left join admin_unit w on w.id = a.ward_id
        left join tower t on t.asset_id = a.id
        where o.id = a.owner_id);
end
$$;
