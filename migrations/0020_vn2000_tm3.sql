-- VN-2000 TM-3 zones: the 3°-wide Transverse Mercator projections (scale
-- 0.9999 on the central meridian, false easting 500 000 m) that Vietnamese
-- provinces survey in, one per quarter-degree central meridian from 102°00′ to
-- 109°30′. Only 102°, 105° and 108° have EPSG codes (5896–5898), so Hatang
-- defines them all under SRID 900000 + meridian × 100 (108°00′ → 910800,
-- 107°30′ → 910750), authority 'HATANG'.
--
-- The datum shift is not written here: it is read from PostGIS's own entry for
-- VN-2000 (EPSG:4756), so these zones convert exactly as EPSG:4756, 3405, 3406
-- and 5896–5899 do on this server.
insert into spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
select 900000 + m.hundredths,
       'HATANG',
       900000 + m.hundredths,
       format('PROJCS["VN-2000 / TM-3 %s",GEOGCS["VN-2000",DATUM["Vietnam_2000",SPHEROID["WGS 84",6378137,298.257223563],TOWGS84[%s]],'
              'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
              'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",%s],PARAMETER["scale_factor",0.9999],'
              'PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH]]',
              m.label, shift.towgs84, m.degrees),
       format('+proj=tmerc +lat_0=0 +lon_0=%s +k=0.9999 +x_0=500000 +y_0=0 +ellps=%s +towgs84=%s +units=m +no_defs',
              m.degrees, shift.ellps, shift.towgs84)
from (
    select h as hundredths,
           trim_scale(h / 100.0)::text as degrees,
           format('%s°%s′', h / 100, lpad(((h % 100) * 60 / 100)::text, 2, '0')) as label
    from generate_series(10200, 10950, 25) as h
) m
cross join (
    select substring(proj4text from '\+towgs84=([^ ]+)') as towgs84,
           substring(proj4text from '\+ellps=([^ ]+)') as ellps
    from spatial_ref_sys
    where srid = 4756
) shift
where shift.towgs84 is not null
on conflict (srid) do nothing;

do $$
begin
    if not exists (select 1 from spatial_ref_sys where srid = 910800) then
        raise exception 'VN-2000 TM-3 zones not created: spatial_ref_sys has no datum shift (+towgs84) for EPSG:4756';
    end if;
end
$$;
