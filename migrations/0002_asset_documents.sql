-- How an asset looks from outside: its GeoJSON properties (core, sharing and
-- kind-specific attributes in one flat object), the snapshot kept in the
-- history, and the checks a submitted geometry must pass.

-- Tenancies in force today.
create function active_tenancy(t tenancy) returns boolean
language sql stable as $$
    select t.since <= current_date and (t.until is null or t.until >= current_date)
$$;

-- Kind-specific attributes, named as in the API.
create function asset_details(a asset) returns jsonb
language sql stable as $$
    select case a.kind
        when 'tower' then (select to_jsonb(t) - 'asset_id' from tower t where t.asset_id = a.id)
        when 'pole' then (select to_jsonb(p) - 'asset_id' from pole p where p.asset_id = a.id)
        when 'duct' then (
            select to_jsonb(d) - 'asset_id' || jsonb_build_object('pipes', coalesce((
                select jsonb_agg(jsonb_build_object(
                           'no', p.pipe_no, 'layer', p.layer, 'state', p.state, 'occupant', o.code)
                       order by p.pipe_no)
                from duct_pipe p
                left join operator o on o.id = p.occupant_id
                where p.duct_id = a.id), '[]'::jsonb))
            from duct d where d.asset_id = a.id)
        when 'manhole' then (select to_jsonb(m) - 'asset_id' from manhole m where m.asset_id = a.id)
        when 'trench' then (select to_jsonb(t) - 'asset_id' from trench t where t.asset_id = a.id)
        when 'cable' then (
            select to_jsonb(c) - 'asset_id' || jsonb_build_object('carried_by', coalesce((
                select jsonb_agg(s.support_id order by s.seq)
                from cable_support s where s.cable_id = a.id), '[]'::jsonb))
            from cable c where c.asset_id = a.id)
        when 'cabinet' then (select to_jsonb(c) - 'asset_id' from cabinet c where c.asset_id = a.id)
    end
$$;

-- The flat GeoJSON properties of an asset.
create function asset_properties(a asset) returns jsonb
language sql stable as $$
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
    where o.id = a.owner_id
$$;

-- The tenancies of an asset, oldest first.
create function asset_tenancies(asset_id bigint) returns jsonb
language sql stable as $$
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
    where t.asset_id = $1
$$;

-- What the history keeps of an asset at one moment.
create function asset_snapshot(asset_id bigint) returns jsonb
language sql stable as $$
    select jsonb_build_object(
               'geometry', ST_AsGeoJSON(a.geom, 7)::jsonb,
               'properties', asset_properties(a),
               'tenancies', asset_tenancies(a.id))
    from asset a
    where a.id = $1
$$;

-- A submitted geometry in WGS84, or why it cannot be stored.
create function checked_geometry(submitted geometry, srid integer, out geom geometry, out problem text)
language plpgsql stable as $$
declare
    g geometry;
begin
    if not exists (select 1 from spatial_ref_sys s where s.srid = checked_geometry.srid) then
        problem := format('EPSG:%s is not a coordinate reference system this server knows', srid);
        return;
    end if;
    g := ST_SetSRID(submitted, srid);
    if srid <> 4326 then
        g := ST_Transform(g, 4326);
    end if;
    g := ST_Force2D(g);
    if not ST_IsValid(g) then
        problem := 'invalid geometry: ' || ST_IsValidReason(g);
        return;
    end if;
    if GeometryType(g) in ('LINESTRING', 'MULTILINESTRING') and not ST_IsSimple(g) then
        problem := 'the line crosses or touches itself';
        return;
    end if;
    if not ST_CoveredBy(g, ST_MakeEnvelope(102.0, 6.0, 118.0, 23.5, 4326)) then
        problem := format('lies outside Vietnam (after conversion from EPSG:%s it is at %s)',
                          srid, ST_AsText(ST_PointOnSurface(g), 5));
        return;
    end if;
    geom := g;
end
$$;
