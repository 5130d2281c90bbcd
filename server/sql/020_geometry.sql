-- The checks every submitted geometry goes through (REST, import, OGC):
-- checked_geometry and its helpers. Keep checked_geometry's signature: the
-- import pipeline and the kinds' SQL call it by its out columns.
-- vietnam_bbox() is made from coordinates::VIETNAM_EXTENT at start-up.

-- in_vietnam (moved from migrations/0053_in_vietnam.sql)
create or replace function in_vietnam(g geometry) returns boolean
language sql stable parallel safe as $$
    select ST_CoveredBy(g, vietnam_bbox())
       and ST_CoveredBy(g, (select e.geom from vietnam_extent e))
$$;

-- tm3_meridian (moved from migrations/0053_in_vietnam.sql)
create or replace function tm3_meridian(srid integer) returns double precision
language sql immutable as $$
    select case
        when srid between 5896 and 5899 then 102 + 3 * (srid - 5896)
        when srid between 910200 and 910950 and (srid - 900000) % 25 = 0 then (srid - 900000) / 100.0
    end
$$;

-- place_outside_vietnam (moved from migrations/0054_geometry_problem_codes.sql)
create or replace function place_outside_vietnam(g geometry, out place text, out country text, out country_vi text, out at geometry)
language plpgsql stable as $$
declare
    outside geometry;
begin
    outside := ST_Difference(g, (select e.geom from vietnam_extent e));
    at := ST_PointOnSurface(case when outside is null or ST_IsEmpty(outside) then g else outside end);
    select n.name, n.name_vi into country, country_vi
    from neighbour_country n where ST_Intersects(n.geom, at) limit 1;
    place := case
        when country is not null then 'country'
        when ST_Intersects(at, ST_MakeEnvelope(99.0, 3.0, 121.0, 26.0, 4326)) then 'sea'
        else 'elsewhere'
    end;
end
$$;

-- fitting_meridians (moved from migrations/0054_geometry_problem_codes.sql)
create or replace function fitting_meridians(submitted geometry, srid integer) returns text[]
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
            fits := fits || meridian_label(tm3_meridian(candidate));
        end if;
    end loop;
    return fits;
end
$$;

-- meridian_label (moved from migrations/0054_geometry_problem_codes.sql)
create or replace function meridian_label(m double precision) returns text
language sql immutable as $$
    select format('%s°%s′', floor(m)::int, lpad(round((m - floor(m)) * 60)::int::text, 2, '0'))
$$;

-- outside_vietnam_problem (moved from migrations/0054_geometry_problem_codes.sql)
create or replace function outside_vietnam_problem(submitted geometry, srid integer, g geometry,
                                        out problem text, out code text, out params jsonb)
language plpgsql stable as $$
declare
    flat geometry := ST_Force2D(submitted);
    p geometry := ST_PointOnSurface(ST_Force2D(submitted));
    flipped geometry;
    place record;
    fits text[];
    converted text := case when srid = 4326 then '' else format(', converted from EPSG:%s', srid) end;
    where_text text;
begin
    begin
        flipped := ST_Transform(ST_FlipCoordinates(ST_SetSRID(flat, srid)), 4326);
    exception when others then
        flipped := null;
    end;
    if flipped is not null and in_vietnam(flipped) then
        code := 'axes_swapped';
        params := jsonb_build_object('x', round(ST_X(p)::numeric, 6), 'y', round(ST_Y(p)::numeric, 6), 'srid', srid);
        if srid = 4326 then
            problem := format('%s looks like latitude and longitude swapped; GeoJSON puts longitude first',
                              ST_AsText(p, 6));
        else
            problem := format('X and Y look swapped: %s in EPSG:%s lies outside Vietnam, but the other way round (%s) it is in Vietnam; '
                              'survey files write X for the northing, GIS software reads X as the easting',
                              ST_AsText(p, 3), srid, ST_AsText(ST_FlipCoordinates(p), 3));
        end if;
        return;
    end if;
    select * into place from place_outside_vietnam(g);
    where_text := case place.place
        when 'country' then format('lies in %s, outside Vietnam (at %s%s)', place.country, ST_AsText(place.at, 5), converted)
        when 'sea' then format('lies in the sea outside Vietnam''s waters (at %s%s)', ST_AsText(place.at, 5), converted)
        else format('lies outside Vietnam (at %s%s)', ST_AsText(place.at, 5), converted)
    end;
    params := jsonb_strip_nulls(jsonb_build_object(
        'place', place.place, 'country', place.country, 'country_vi', place.country_vi,
        'x', round(ST_X(place.at)::numeric, 6), 'y', round(ST_Y(place.at)::numeric, 6), 'srid', srid));
    fits := fitting_meridians(flat, srid);
    if cardinality(fits) > 0 then
        code := 'wrong_meridian';
        params := params || jsonb_build_object('declared', meridian_label(tm3_meridian(srid)), 'fits', to_jsonb(fits));
        problem := where_text || format('. The numbers would lie in Vietnam with the central meridian %s (choose the province''s zone: tm3=<province> or crs=TM3:<meridian>); the declared %s is probably the wrong zone',
                                        array_to_string(fits, ', '), meridian_label(tm3_meridian(srid)));
        return;
    end if;
    code := 'not_in_vietnam';
    problem := where_text;
end
$$;

-- checked_geometry (moved from migrations/0054_geometry_problem_codes.sql)
create or replace function checked_geometry(submitted geometry, srid integer,
                                 out geom geometry, out problem text, out code text, out params jsonb)
language plpgsql stable as $$
declare
    g geometry;
    detail valid_detail;
    corner geometry;
    outside record;
begin
    params := '{}'::jsonb;
    if submitted is null or ST_IsEmpty(submitted) then
        code := 'empty_geometry';
        problem := 'empty geometry: it has no coordinates';
        return;
    end if;
    if not exists (select 1 from spatial_ref_sys s where s.srid = checked_geometry.srid) then
        code := 'unknown_crs';
        params := jsonb_build_object('srid', srid);
        problem := format('EPSG:%s is not a coordinate reference system this server knows', srid);
        return;
    end if;
    if ST_Zmflag(submitted) in (2, 3) and (ST_ZMin(submitted) <> 0 or ST_ZMax(submitted) <> 0) then
        code := 'has_height';
        params := jsonb_build_object('height', case when ST_ZMax(submitted) <> 0 then ST_ZMax(submitted) else ST_ZMin(submitted) end);
        problem := format('has heights (a third coordinate from %s to %s); Hatang keeps positions in 2D and would lose them: '
                          'give positions without a height and the height in its attribute (height_m)',
                          ST_ZMin(submitted), ST_ZMax(submitted));
        return;
    end if;
    g := ST_Force2D(ST_SetSRID(submitted, srid));
    if GeometryType(g) in ('LINESTRING', 'MULTILINESTRING') and ST_NPoints(ST_RemoveRepeatedPoints(g)) < 2 then
        code := 'too_few_points';
        params := jsonb_build_object('distinct', ST_NPoints(ST_RemoveRepeatedPoints(g)));
        problem := 'a line needs at least two distinct points';
        return;
    end if;
    if srid <> 4326 then
        corner := ST_PointOnSurface(ST_Envelope(ST_Force2D(submitted)));
        begin
            g := ST_Transform(g, 4326);
        exception when others then
            g := null;
        end;
        if g is null or not (ST_XMin(g) >= -180 and ST_XMax(g) <= 180 and ST_YMin(g) >= -90 and ST_YMax(g) <= 90) then
            code := 'outside_crs_domain';
            params := jsonb_build_object('srid', srid, 'x', ST_X(corner), 'y', ST_Y(corner));
            problem := format('the coordinates (%s) are outside the area where EPSG:%s is defined, so they cannot be converted to WGS84',
                              ST_AsText(corner, 3), srid);
            return;
        end if;
    end if;
    begin
        detail := ST_IsValidDetail(g);
    exception when others then
        code := 'invalid_geometry';
        params := jsonb_build_object('reason', sqlerrm);
        problem := 'invalid geometry: ' || sqlerrm;
        return;
    end;
    if not detail.valid then
        if detail.reason ilike 'self-intersection%' or detail.reason ilike 'ring self-intersection%' then
            code := 'self_intersection';
            params := jsonb_build_object('x', round(ST_X(detail.location)::numeric, 6), 'y', round(ST_Y(detail.location)::numeric, 6));
            problem := format('the polygon crosses itself at %s; draw its outline without crossings', ST_AsText(detail.location, 6));
        else
            code := 'invalid_geometry';
            params := jsonb_strip_nulls(jsonb_build_object('reason', detail.reason,
                'x', round(ST_X(detail.location)::numeric, 6), 'y', round(ST_Y(detail.location)::numeric, 6)));
            problem := case when detail.location is not null
                then format('invalid geometry: %s at %s', detail.reason, ST_AsText(detail.location, 6))
                else 'invalid geometry: ' || detail.reason end;
        end if;
        return;
    end if;
    if GeometryType(g) in ('LINESTRING', 'MULTILINESTRING') and not ST_IsSimple(g) then
        code := 'line_crosses_itself';
        problem := 'the line crosses or touches itself';
        return;
    end if;
    if not in_vietnam(g) then
        select * into outside from outside_vietnam_problem(submitted, srid, g);
        problem := outside.problem;
        code := outside.code;
        params := outside.params;
        return;
    end if;
    params := null;
    geom := g;
end
$$;

-- import_to_wgs84 (moved from migrations/0021_import_jobs.sql)
create or replace function import_to_wgs84(g geometry, srid integer) returns geometry
language plpgsql stable as $$
begin
    return ST_Transform(ST_SetSRID(g, srid), 4326);
exception when others then
    return null;
end
$$;

-- import_checked_geometry (moved from migrations/0054_geometry_problem_codes.sql)
create or replace function import_checked_geometry(submitted geometry, srid integer,
                                        out geom geometry, out problem text, out code text, out params jsonb)
language plpgsql stable as $$
begin
    select c.geom, c.problem, c.code, c.params into geom, problem, code, params from checked_geometry(submitted, srid) c;
exception when others then
    geom := null;
    code := 'outside_crs_domain';
    params := jsonb_build_object('srid', srid, 'reason', sqlerrm);
    problem := format('cannot be converted from EPSG:%s to WGS84 (%s)', srid, sqlerrm);
end
$$;

-- metres_box: the box, in degrees, that holds everything within `metres` of g.
-- ST_DWithin on geography casts (`a.geom::geography`) cannot use the GiST
-- index on a.geom, so a query of "within N m" scans every row; written as
--     a.geom && metres_box(b, n) and ST_DWithin(a.geom::geography, b::geography, n)
-- the index finds the few rows in the box first, also in a generic plan (the
-- box has no column of a's table in it). The box errs on the large side: a
-- degree of longitude is at least 111,319.49 m × cos(latitude) on the WGS 84
-- ellipsoid (taken at g's latitude farthest from the equator), a degree of
-- latitude at least 110,574 m, and 0.1 % more for the geodesic.
create or replace function metres_box(g geometry, metres double precision) returns geometry
language sql immutable strict parallel safe as $$
    select ST_Expand(g,
                     metres * 1.001 / (111319.49 * cos(radians(least(89.0, greatest(abs(ST_YMin(g)), abs(ST_YMax(g))))))) + 1e-7,
                     metres * 1.001 / 110574.0 + 1e-7)
$$;
