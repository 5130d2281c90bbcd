-- An asset as a document: its properties, details by kind, tenancies and the
-- GeoJSON snapshot the history and the API return.

-- active_tenancy (moved from migrations/0002_asset_documents.sql)
create or replace function active_tenancy(t tenancy) returns boolean
language sql stable as $$
    select t.since <= current_date and (t.until is null or t.until >= current_date)
$$;

-- asset_properties (moved from migrations/0023_document_plans.sql)
create or replace function asset_properties(a asset) returns jsonb
language plpgsql stable as $$
begin
    return (
        select jsonb_build_object(
                   'kind', a.kind,
                   'code', a.code,
                   'name', a.name,
                   'operator', o.code,
                   'operator_name', o.short_name,
                   'status', a.status,
                   'accuracy_m', a.accuracy_m,
                   'capacity', a.capacity,
                   'note', a.note,
                   'ward_code', w.gso_code,
                   'ward_name', w.name,
                   'tenant_count', s.tenant_count,
                   'shared', s.tenant_count > 0,
                   'free_capacity', case
                       when a.kind = 'duct' then (select count(*) from duct_pipe p where p.duct_id = a.id and p.state = 'free')
                       when a.capacity is null then null
                       else greatest(a.capacity - s.capacity_used, 0)
                   end,
                   'version', a.version,
                   'created_at', a.created_at,
                   'updated_at', a.updated_at)
               || coalesce(asset_details(a), '{}'::jsonb)
        from operator o
        left join admin_unit w on w.id = a.ward_id
        cross join lateral (
            select count(distinct t.tenant_id) filter (where t.tenant_id <> a.owner_id) as tenant_count,
                   coalesce(sum(t.capacity_used), 0) as capacity_used
            from tenancy t
            where t.asset_id = a.id and active_tenancy(t)
        ) s
        where o.id = a.owner_id);
end
$$;

-- asset_tenancies (moved from migrations/0023_document_plans.sql)
create or replace function asset_tenancies(asset_id bigint) returns jsonb
language plpgsql stable as $$
begin
    return (
        select coalesce(jsonb_agg(jsonb_build_object(
                   'id', t.id,
                   'tenant', o.code,
                   'tenant_name', o.short_name,
                   'since', t.since,
                   'until', t.until,
                   'capacity_used', t.capacity_used,
                   'contract_ref', t.contract_ref,
                   'monthly_fee_vnd', t.monthly_fee_vnd,
                   'note', t.note,
                   'active', active_tenancy(t))
               order by t.since, t.id), '[]'::jsonb)
        from tenancy t
        join operator o on o.id = t.tenant_id
        where t.asset_id = asset_tenancies.asset_id);
end
$$;

-- asset_details (moved from migrations/0023_document_plans.sql)
create or replace function asset_details(a asset) returns jsonb
language plpgsql stable as $$
begin
    case a.kind
        when 'tower' then
            return (select to_jsonb(t) - 'asset_id' from tower t where t.asset_id = a.id);
        when 'pole' then
            return (select to_jsonb(p) - 'asset_id' from pole p where p.asset_id = a.id);
        when 'duct' then
            return (
                select to_jsonb(d) - 'asset_id' || jsonb_build_object('pipes', coalesce((
                    select jsonb_agg(jsonb_build_object(
                               'no', p.pipe_no, 'layer', p.layer, 'state', p.state, 'occupant', o.code)
                           order by p.pipe_no)
                    from duct_pipe p
                    left join operator o on o.id = p.occupant_id
                    where p.duct_id = a.id), '[]'::jsonb))
                from duct d where d.asset_id = a.id);
        when 'manhole' then
            return (select to_jsonb(m) - 'asset_id' from manhole m where m.asset_id = a.id);
        when 'trench' then
            return (select to_jsonb(t) - 'asset_id' from trench t where t.asset_id = a.id);
        when 'cable' then
            return (
                select to_jsonb(c) - 'asset_id' || jsonb_build_object('carried_by', coalesce((
                    select jsonb_agg(s.support_id order by s.seq)
                    from cable_support s where s.cable_id = a.id), '[]'::jsonb))
                from cable c where c.asset_id = a.id);
        when 'cabinet' then
            return (select to_jsonb(c) - 'asset_id' from cabinet c where c.asset_id = a.id);
        else
            return null;
    end case;
end
$$;

-- asset_snapshot (moved from migrations/0023_document_plans.sql)
create or replace function asset_snapshot(asset_id bigint) returns jsonb
language plpgsql stable as $$
begin
    return (
        select jsonb_build_object(
                   'geometry', ST_AsGeoJSON(a.geom, 7)::jsonb,
                   'properties', asset_properties(a),
                   'tenancies', asset_tenancies(a.id))
        from asset a
        where a.id = asset_snapshot.asset_id);
end
$$;
