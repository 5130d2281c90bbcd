-- "In Vietnam" is Vietnam's land and waters (migration 0052), not a bounding
-- box that also holds Laos and Cambodia (issue 13). in_vietnam is the one
-- test every geometry that comes in passes (checked_geometry); a geometry
-- outside is refused with the place it fell in: a neighbouring country, or
-- the sea beyond Vietnam's waters.

-- Whether g lies in Vietnam's land and territorial waters (Hoàng Sa and
-- Trường Sa included). The box is a quick first test.
create function in_vietnam(g geometry) returns boolean
language sql stable parallel safe as $$
    select ST_CoveredBy(g, ST_MakeEnvelope(102.0, 6.0, 118.0, 23.5, 4326))
       and ST_CoveredBy(g, (select e.geom from vietnam_extent e))
$$;

-- Where a geometry (in WGS84) outside Vietnam lies, in words.
create function where_outside_vietnam(g geometry, srid integer) returns text
language plpgsql stable as $$
declare
    outside geometry;
    p geometry;
    country text;
    converted text := case when srid = 4326 then '' else format(', converted from EPSG:%s', srid) end;
begin
    outside := ST_Difference(g, (select e.geom from vietnam_extent e));
    p := ST_PointOnSurface(case when outside is null or ST_IsEmpty(outside) then g else outside end);
    select n.name into country from neighbour_country n where ST_Intersects(n.geom, p) limit 1;
    if country is not null then
        return format('lies in %s, outside Vietnam (at %s%s)', country, ST_AsText(p, 5), converted);
    end if;
    if ST_Intersects(p, ST_MakeEnvelope(99.0, 3.0, 121.0, 26.0, 4326)) then
        return format('lies in the sea outside Vietnam''s waters (at %s%s)', ST_AsText(p, 5), converted);
    end if;
    return format('lies outside Vietnam (at %s%s)', ST_AsText(p, 5), converted);
end
$$;

create or replace function checked_geometry(submitted geometry, srid integer, out geom geometry, out problem text)
language plpgsql stable as $$
declare
    g geometry;
    detail valid_detail;
begin
    if submitted is null or ST_IsEmpty(submitted) then
        problem := 'empty geometry: it has no coordinates';
        return;
    end if;
    if not exists (select 1 from spatial_ref_sys s where s.srid = checked_geometry.srid) then
        problem := format('EPSG:%s is not a coordinate reference system this server knows', srid);
        return;
    end if;
    if ST_Zmflag(submitted) in (2, 3) and (ST_ZMin(submitted) <> 0 or ST_ZMax(submitted) <> 0) then
        problem := format('has heights (a third coordinate from %s to %s); Hatang keeps positions in 2D and would lose them: '
                          'give positions without a height and the height in its attribute (height_m)',
                          ST_ZMin(submitted), ST_ZMax(submitted));
        return;
    end if;
    g := ST_Force2D(ST_SetSRID(submitted, srid));
    if GeometryType(g) in ('LINESTRING', 'MULTILINESTRING') and ST_NPoints(ST_RemoveRepeatedPoints(g)) < 2 then
        problem := 'a line needs at least two distinct points';
        return;
    end if;
    if srid <> 4326 then
        begin
            g := ST_Transform(g, 4326);
        exception when others then
            problem := format('the coordinates (%s) are outside the area where EPSG:%s is defined, so they cannot be converted to WGS84',
                              ST_AsText(ST_PointOnSurface(ST_Envelope(submitted)), 3), srid);
            return;
        end;
        if not (ST_XMin(g) >= -180 and ST_XMax(g) <= 180 and ST_YMin(g) >= -90 and ST_YMax(g) <= 90) then
            problem := format('the coordinates (%s) are outside the area where EPSG:%s is defined, so they cannot be converted to WGS84',
                              ST_AsText(ST_PointOnSurface(ST_Envelope(submitted)), 3), srid);
            return;
        end if;
    end if;
    begin
        detail := ST_IsValidDetail(g);
    exception when others then
        problem := 'invalid geometry: ' || sqlerrm;
        return;
    end;
    if not detail.valid then
        problem := case
            when detail.reason ilike 'self-intersection%' or detail.reason ilike 'ring self-intersection%' then
                format('the polygon crosses itself at %s; draw its outline without crossings', ST_AsText(detail.location, 6))
            when detail.location is not null then
                format('invalid geometry: %s at %s', detail.reason, ST_AsText(detail.location, 6))
            else 'invalid geometry: ' || detail.reason
        end;
        return;
    end if;
    if GeometryType(g) in ('LINESTRING', 'MULTILINESTRING') and not ST_IsSimple(g) then
        problem := 'the line crosses or touches itself';
        return;
    end if;
    if not in_vietnam(g) then
        problem := outside_vietnam_problem(submitted, srid, g);
        return;
    end if;
    geom := g;
end
$$;

-- Why a geometry that converted fine is not in Vietnam, naming a swap of the
-- axes when the other order fits.
create or replace function outside_vietnam_problem(submitted geometry, srid integer, g geometry) returns text
language plpgsql stable as $$
declare
    flipped geometry;
begin
    begin
        flipped := ST_Transform(ST_FlipCoordinates(ST_Force2D(ST_SetSRID(submitted, srid))), 4326);
    exception when others then
        flipped := null;
    end;
    if flipped is not null and in_vietnam(flipped) then
        if srid = 4326 then
            return format('%s looks like latitude and longitude swapped; GeoJSON puts longitude first',
                          ST_AsText(ST_PointOnSurface(submitted), 6));
        end if;
        return format('X and Y look swapped: %s in EPSG:%s lies outside Vietnam, but the other way round (%s) it is in Vietnam; '
                      'survey files write X for the northing, GIS software reads X as the easting',
                      ST_AsText(ST_PointOnSurface(ST_Force2D(submitted)), 3), srid,
                      ST_AsText(ST_PointOnSurface(ST_FlipCoordinates(ST_Force2D(submitted))), 3));
    end if;
    return where_outside_vietnam(g, srid) || coalesce(fitting_meridian(submitted, srid), '');
end
$$;

-- The central meridian of a VN-2000 TM-3 SRID: EPSG:5896-5899 (102°, 105°,
-- 108°, 111°) or Hatang's 9xxxxx (migration 0020); null for other SRIDs.
create function tm3_meridian(srid integer) returns double precision
language sql immutable as $$
    select case
        when srid between 5896 and 5899 then 102 + 3 * (srid - 5896)
        when srid between 910200 and 910950 and (srid - 900000) % 25 = 0 then (srid - 900000) / 100.0
    end
$$;

-- For TM-3 coordinates that land outside Vietnam: the meridians with which
-- they land inside (a file read in the wrong province's zone), in words.
create function fitting_meridian(submitted geometry, srid integer) returns text
language plpgsql stable as $$
declare
    m double precision := tm3_meridian(srid);
    fits text[] := '{}';
    candidate integer;
    g geometry;
begin
    if m is null then
        return null;
    end if;
    for candidate in select s from generate_series(910200, 910950, 25) s where tm3_meridian(s) <> m loop
        begin
            g := ST_Transform(ST_Force2D(ST_SetSRID(submitted, candidate)), 4326);
        exception when others then
            continue;
        end;
        if in_vietnam(g) then
            fits := fits || format('%s°%s′', floor(tm3_meridian(candidate))::int,
                                   lpad(round((tm3_meridian(candidate) - floor(tm3_meridian(candidate))) * 60)::int::text, 2, '0'));
        end if;
    end loop;
    if cardinality(fits) = 0 then
        return null;
    end if;
    return format('. The numbers would lie in Vietnam with the central meridian %s (choose the province''s zone: tm3=<province> or crs=TM3:<meridian>); the declared %s°%s′ is probably the wrong zone',
                  array_to_string(fits, ', '), floor(m)::int, lpad(round((m - floor(m)) * 60)::int::text, 2, '0'));
end
$$;
