-- Every geometry that comes in is checked by checked_geometry (migration
-- 0002). Until now some input made it raise an error (a server error for the
-- person who sent it) instead of naming a problem:
-- - a coordinate outside the domain of the declared CRS (1e300 in UTM), which
--   PROJ cannot convert;
-- - an empty geometry, which was said to lie "outside Vietnam … POINT EMPTY";
-- - a line of one point, which GEOS cannot test;
-- - heights other than 0, which were dropped without a word.
-- Now each of these is a problem in words, and projected coordinates that
-- land outside Vietnam are tried the other way round, since surveyors write
-- X for the northing.

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
    if not ST_CoveredBy(g, ST_MakeEnvelope(102.0, 6.0, 118.0, 23.5, 4326)) then
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
    if flipped is not null and ST_CoveredBy(flipped, ST_MakeEnvelope(102.0, 6.0, 118.0, 23.5, 4326)) then
        if srid = 4326 then
            return format('%s looks like latitude and longitude swapped; GeoJSON puts longitude first',
                          ST_AsText(ST_PointOnSurface(submitted), 6));
        end if;
        return format('X and Y look swapped: %s in EPSG:%s lies outside Vietnam, but the other way round (%s) it is in Vietnam; '
                      'survey files write X for the northing, GIS software reads X as the easting',
                      ST_AsText(ST_PointOnSurface(ST_Force2D(submitted)), 3), srid,
                      ST_AsText(ST_PointOnSurface(ST_FlipCoordinates(ST_Force2D(submitted))), 3));
    end if;
    return format('lies outside Vietnam (after conversion from EPSG:%s it is at %s)',
                  srid, ST_AsText(ST_PointOnSurface(g), 5));
end
$$;
