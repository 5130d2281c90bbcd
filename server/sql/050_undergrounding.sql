-- The undergrounding figures kept in tables (issue 15, item 3): the functions
-- that keep undergrounding_segment, _piece, _free_duct, _cable_ward (migration
-- 0115) and _segment_total (migration 0125) right as cables, ducts, areas,
-- streets and wards change, and the statement-level trigger functions that
-- call them. The tables and the triggers themselves are schema, in those
-- migrations; what the functions compute is here.
--
-- Each trigger runs once per statement over the rows it changed, so a bulk
-- insert of cables (COPY included) is computed set-wise once. Loads that
-- switch triggers off (session_replication_role = replica) must call
-- undergrounding_figures_rebuild() afterwards.

-- The segments of one area (street areas are their own segment; a zone has one
-- per street meeting it), each clipped to every ward it crosses; a sliver of
-- 1 m² or less where a street only touches a ward's edge is not a segment.
create or replace function undergrounding_area_segments(area undergrounding_area)
returns table (street_id bigint, segment_name text, ward_id bigint, fp geometry)
language sql stable as $$
    with segment as (
        select null::bigint as street_id, area.name as segment_name, area.footprint as fp
        where area.area_type = 'street' and area.footprint is not null
        union all
        select s.id, s.name,
               ST_Intersection(ST_Buffer(s.geom::geography, area.corridor_m, 'endcap=flat join=round')::geometry, area.footprint)
        from street s
        where area.area_type = 'zone' and s.geom && area.footprint and ST_Intersects(s.geom, area.footprint)
    ),
    in_ward as (
        select sg.street_id, sg.segment_name, w.id as ward_id,
               case when ST_CoveredBy(sg.fp, w.boundary) then sg.fp
                    else ST_CollectionExtract(ST_Intersection(sg.fp, w.boundary), 3) end as fp
        from segment sg
        join admin_unit w on w.level = 'ward' and w.boundary && sg.fp and ST_Intersects(sg.fp, w.boundary)
    )
    select street_id, segment_name, ward_id, fp from in_ward
    where not ST_IsEmpty(fp) and ST_Area(fp::geography) > 1
    union all
    select sg.street_id, sg.segment_name, null, x.rest
    from segment sg
    cross join lateral (
        select ST_CollectionExtract(ST_Difference(sg.fp, coalesce(ST_Union(w.boundary), ST_GeomFromText('POLYGON EMPTY', 4326))), 3) as rest
        from admin_unit w
        where w.level = 'ward' and (w.valid_to is null or w.valid_to >= current_date)
          and w.boundary && sg.fp and ST_Intersects(sg.fp, w.boundary)
    ) x
    where not ST_IsEmpty(x.rest) and ST_Area(x.rest::geography) > 1
$$;

-- The corridors of the given duct banks, if they have a free pipe (all when null).
create or replace function undergrounding_refresh_free_ducts(ducts bigint[]) returns void
language plpgsql as $$
begin
    if ducts is null then
        delete from undergrounding_free_duct;
        insert into undergrounding_free_duct (duct_id, geom, corridor)
        select d.id, d.geom, ST_Buffer(d.geom::geography, 15, 'endcap=flat')::geometry
        from duct_with_free_pipe d;
        return;
    end if;
    delete from undergrounding_free_duct where duct_id = any(ducts);
    insert into undergrounding_free_duct (duct_id, geom, corridor)
    select d.id, d.geom, ST_Buffer(d.geom::geography, 15, 'endcap=flat')::geometry
    from duct_with_free_pipe d
    where d.id = any(ducts);
end
$$;

-- Metres of a piece of cable along a duct bank with a free pipe (within its
-- 15 m corridor; overlapping corridors count once); with a boundary, only the
-- duct banks that meet it count.
create or replace function undergrounding_debt_metres(piece geometry, boundary geometry) returns double precision
language sql stable as $$
    select coalesce((select ST_Length(ST_Intersection(piece, ST_Union(f.corridor))::geography)
                     from undergrounding_free_duct f
                     where f.corridor && piece and ST_Intersects(f.corridor, piece)
                       and (boundary is null or ST_Intersects(f.geom, boundary))), 0)
$$;

-- A cable's piece in a ward: its metres, those in any undergrounding area
-- (counted once where areas overlap; a piece wholly inside one area counts
-- whole, else it is cut by the union of just the areas it meets) and those
-- along a duct with a free pipe that meets the ward.
create or replace function undergrounding_cable_in_ward(piece geometry, boundary geometry)
returns table (metres double precision, in_areas_metres double precision, debt_metres double precision)
language sql stable as $$
    select ST_Length(piece::geography),
           coalesce(case when exists (select 1 from undergrounding_area u
                                      where u.footprint && piece and ST_CoveredBy(piece, u.footprint))
                         then ST_Length(piece::geography)
                         else (select ST_Length(ST_Intersection(piece, ST_Union(u.footprint))::geography)
                               from undergrounding_area u
                               where u.footprint && piece and ST_Intersects(u.footprint, piece))
                    end, 0),
           undergrounding_debt_metres(piece, boundary)
$$;

-- The ward pieces of the given cables (all standing overhead cables when
-- null). Each piece is cut first (a materialized step, so the cut is made
-- once and not again in every test that uses it).
create or replace function undergrounding_refresh_cable_wards(cables bigint[]) returns void
language plpgsql as $$
begin
    if cables is null then
        delete from undergrounding_cable_ward;
        cables := array(select id from standing_overhead_cable);
    end if;
    if cardinality(cables) = 0 then
        return;
    else
        delete from undergrounding_cable_ward where cable_id = any(cables);
    end if;
    insert into undergrounding_cable_ward (ward_id, cable_id, owner_id, metres, in_areas_metres, debt_metres)
    with piece as materialized (
        select w.id as ward_id, w.boundary, c.id as cable_id, c.owner_id,
               case when ST_CoveredBy(c.geom, w.boundary) then c.geom
                    else ST_Intersection(c.geom, w.boundary) end as piece
        from standing_overhead_cable c
        join admin_unit w on w.level = 'ward' and w.boundary && c.geom and ST_Intersects(c.geom, w.boundary)
        where c.id = any(cables)
    )
    select p.ward_id, p.cable_id, p.owner_id, f.metres, f.in_areas_metres, f.debt_metres
    from piece p
    cross join lateral undergrounding_cable_in_ward(p.piece, p.boundary) f;
end
$$;

-- The pieces of the given cables in every segment, cut once (a materialized
-- step). Where the cable lies wholly in the segment the cut is skipped.
create or replace function undergrounding_refresh_cable_pieces(cables bigint[]) returns void
language plpgsql as $$
begin
    if cardinality(cables) = 0 then
        return;
    end if;
    delete from undergrounding_piece where cable_id = any(cables);
    insert into undergrounding_piece (segment_id, cable_id, owner_id, metres, debt_metres)
    with piece as materialized (
        select sg.id as segment_id, c.id as cable_id, c.owner_id,
               case when ST_CoveredBy(c.geom, sg.fp) then c.geom else ST_Intersection(c.geom, sg.fp) end as inside
        from standing_overhead_cable c
        join undergrounding_segment sg on sg.fp && c.geom and ST_Intersects(c.geom, sg.fp)
        where c.id = any(cables)
    )
    select segment_id, cable_id, owner_id, ST_Length(inside::geography), undergrounding_debt_metres(inside, null)
    from piece;
end
$$;

-- The pieces of every standing overhead cable in the given segments.
create or replace function undergrounding_refresh_segment_pieces(segments bigint[]) returns void
language plpgsql as $$
begin
    if cardinality(segments) = 0 then
        return;
    end if;
    delete from undergrounding_piece where segment_id = any(segments);
    insert into undergrounding_piece (segment_id, cable_id, owner_id, metres, debt_metres)
    with piece as materialized (
        select sg.id as segment_id, c.id as cable_id, c.owner_id,
               case when ST_CoveredBy(c.geom, sg.fp) then c.geom else ST_Intersection(c.geom, sg.fp) end as inside
        from undergrounding_segment sg
        cross join lateral (select c.id, c.owner_id, c.geom from standing_overhead_cable c
                            where c.geom && sg.fp and ST_Intersects(c.geom, sg.fp) offset 0) c
        where sg.id = any(segments)
    )
    select segment_id, cable_id, owner_id, ST_Length(inside::geography), undergrounding_debt_metres(inside, null)
    from piece;
end
$$;

-- The sums of the segments (area, street name, ward) that the given segment
-- rows belong to, from all their rows' pieces: a cable along two rows of one
-- street is one cable.
create or replace function undergrounding_refresh_totals(segments bigint[]) returns void
language plpgsql as $$
begin
    if cardinality(segments) = 0 then
        return;
    end if;
    delete from undergrounding_segment_total t
    using (select distinct area_id, segment_name, ward_id from undergrounding_segment where id = any(segments)) g
    where t.area_id = g.area_id and t.segment_name = g.segment_name and t.ward_id is not distinct from g.ward_id;
    insert into undergrounding_segment_total (area_id, segment_name, ward_id, owner_id, metres, debt_metres, cable_count)
    select sg.area_id, sg.segment_name, sg.ward_id, p.owner_id, sum(p.metres), sum(p.debt_metres),
           count(distinct p.cable_id) filter (where p.metres >= 50)
    from (select distinct area_id, segment_name, ward_id from undergrounding_segment where id = any(segments)) g
    join undergrounding_segment sg
      on sg.area_id = g.area_id and sg.segment_name = g.segment_name and sg.ward_id is not distinct from g.ward_id
    join undergrounding_piece p on p.segment_id = sg.id
    group by sg.area_id, sg.segment_name, sg.ward_id, p.owner_id;
end
$$;

-- Pieces added or removed, by whatever did it (once per statement).
create or replace function undergrounding_piece_changed() returns trigger
language plpgsql as $$
begin
    if TG_OP = 'INSERT' then
        perform undergrounding_refresh_totals(array(select distinct segment_id from new_rows));
    else
        perform undergrounding_refresh_totals(array(select distinct segment_id from old_rows));
    end if;
    return null;
end
$$;

-- The segments of the given areas, made again with their pieces and sums (an
-- area that no longer exists just loses its segments).
create or replace function undergrounding_refresh_areas(areas bigint[]) returns void
language plpgsql as $$
declare
    made bigint[];
begin
    if cardinality(areas) = 0 then
        return;
    end if;
    delete from undergrounding_segment_total where area_id = any(areas);
    delete from undergrounding_segment where area_id = any(areas);
    with inserted as (
        insert into undergrounding_segment (area_id, street_id, segment_name, ward_id, fp)
        select a.id, s.street_id, s.segment_name, s.ward_id, s.fp
        from undergrounding_area a
        cross join lateral undergrounding_area_segments(a) s
        where a.id = any(areas)
        returning id
    )
    select array_agg(id) into made from inserted;
    perform undergrounding_refresh_segment_pieces(made);
end
$$;

-- After a change of duct banks or their pipes: their corridors, and the
-- figures of the cables near where a corridor was or is (`gone`: where duct
-- banks deleted with their corridors were).
create or replace function undergrounding_refresh_ducts(ducts bigint[], gone geometry[]) returns void
language plpgsql as $$
declare
    before geometry[];
    after geometry[];
    cables bigint[];
begin
    if cardinality(ducts) = 0 then
        return;
    end if;
    before := array(select geom from undergrounding_free_duct where duct_id = any(ducts) order by duct_id);
    perform undergrounding_refresh_free_ducts(ducts);
    after := array(select geom from undergrounding_free_duct where duct_id = any(ducts) order by duct_id);
    if before = after and cardinality(gone) = 0 then
        return;
    end if;
    cables := array(select distinct c.id from standing_overhead_cable c
                    join unnest(before || after || gone) g on c.geom && ST_Expand(g, 0.0002));
    perform undergrounding_refresh_cable_pieces(cables);
    perform undergrounding_refresh_cable_wards(cables);
end
$$;

-- Everything again, from the registry: after a load with triggers off.
create or replace function undergrounding_figures_rebuild() returns void
language plpgsql as $$
begin
    delete from undergrounding_segment_total;
    delete from undergrounding_piece;
    delete from undergrounding_segment;
    perform undergrounding_refresh_free_ducts(null);
    perform undergrounding_refresh_areas(array(select id from undergrounding_area));
    perform undergrounding_refresh_cable_wards(null);
end
$$;

-- A cable's detail row: placement.
create or replace function undergrounding_cable_changed() returns trigger
language plpgsql as $$
declare
    cables bigint[];
begin
    if TG_OP = 'INSERT' then
        cables := array(select asset_id from new_rows);
    elsif TG_OP = 'DELETE' then
        cables := array(select asset_id from old_rows);
    else
        cables := array(select n.asset_id from new_rows n join old_rows o on o.asset_id = n.asset_id
                        where n.placement is distinct from o.placement
                        union select asset_id from new_rows where asset_id not in (select asset_id from old_rows));
    end if;
    perform undergrounding_refresh_cable_pieces(cables);
    perform undergrounding_refresh_cable_wards(cables);
    return null;
end
$$;

-- An asset's geometry, status, owner or kind: a cable's figures, or the
-- corridor of a duct bank.
create or replace function undergrounding_asset_changed() returns trigger
language plpgsql as $$
declare
    cables bigint[];
    ducts bigint[];
begin
    if TG_OP = 'UPDATE' then
        cables := array(select n.id from new_rows n join old_rows o on o.id = n.id
                        where (n.kind = 'cable' or o.kind = 'cable')
                          and (n.geom is distinct from o.geom or n.status is distinct from o.status
                               or n.owner_id is distinct from o.owner_id or n.kind is distinct from o.kind));
        ducts := array(select n.id from new_rows n join old_rows o on o.id = n.id
                       where (n.kind = 'duct' or o.kind = 'duct')
                         and (n.geom is distinct from o.geom or n.status is distinct from o.status
                              or n.kind is distinct from o.kind));
        perform undergrounding_refresh_cable_pieces(cables);
        perform undergrounding_refresh_cable_wards(cables);
        perform undergrounding_refresh_ducts(ducts, '{}');
    else
        -- Deleted cables and corridors went with their rows (on delete cascade).
        perform undergrounding_refresh_ducts(array(select id from old_rows where kind = 'duct'),
                                             array(select geom from old_rows where kind = 'duct' and geom is not null));
    end if;
    return null;
end
$$;

-- A duct bank's pipes: whether it has a free one.
create or replace function undergrounding_duct_pipe_changed() returns trigger
language plpgsql as $$
declare
    ducts bigint[];
begin
    if TG_OP = 'INSERT' then
        ducts := array(select distinct duct_id from new_rows);
    elsif TG_OP = 'DELETE' then
        ducts := array(select distinct duct_id from old_rows);
    else
        ducts := array(select duct_id from new_rows union select duct_id from old_rows);
    end if;
    perform undergrounding_refresh_ducts(ducts, '{}');
    return null;
end
$$;

-- An undergrounding area: its segments, and the in-area metres of the cables
-- meeting its old or new footprint.
create or replace function undergrounding_area_changed() returns trigger
language plpgsql as $$
declare
    areas bigint[];
    places geometry[];
begin
    if TG_OP = 'INSERT' then
        areas := array(select id from new_rows);
        places := array(select footprint from new_rows where footprint is not null);
    elsif TG_OP = 'DELETE' then
        areas := array(select id from old_rows);
        places := array(select footprint from old_rows where footprint is not null);
    else
        areas := array(select n.id from new_rows n join old_rows o on o.id = n.id
                       where (n.name, n.area_type, n.corridor_m, n.footprint) is distinct from (o.name, o.area_type, o.corridor_m, o.footprint));
        places := array(select footprint from new_rows where id = any(areas) and footprint is not null
                        union all select footprint from old_rows where id = any(areas) and footprint is not null);
    end if;
    if TG_OP <> 'DELETE' then
        perform undergrounding_refresh_areas(areas);
    end if;
    perform undergrounding_refresh_cable_wards(array(
        select distinct c.id from standing_overhead_cable c join unnest(places) g on c.geom && g and ST_Intersects(c.geom, g)));
    return null;
end
$$;

-- A street: the segments of the zones it crosses (before or after).
create or replace function undergrounding_street_changed() returns trigger
language plpgsql as $$
declare
    places geometry[];
begin
    if TG_OP = 'INSERT' then
        places := array(select geom from new_rows);
    elsif TG_OP = 'DELETE' then
        places := array(select geom from old_rows);
    else
        places := array(select geom from new_rows union all select geom from old_rows);
    end if;
    perform undergrounding_refresh_areas(array(
        select distinct u.id from undergrounding_area u join unnest(places) g on u.footprint && g and ST_Intersects(u.footprint, g)
        where u.area_type = 'zone'));
    return null;
end
$$;

-- A ward's boundary or period: the segments of the areas and the ward pieces
-- of the cables it covers (before or after).
create or replace function undergrounding_ward_changed() returns trigger
language plpgsql as $$
declare
    places geometry[];
begin
    if TG_OP = 'INSERT' then
        places := array(select boundary from new_rows where level = 'ward' and boundary is not null);
    elsif TG_OP = 'DELETE' then
        places := array(select boundary from old_rows where level = 'ward' and boundary is not null);
    else
        places := array(select n.boundary from new_rows n join old_rows o on o.id = n.id
                        where (n.level = 'ward' or o.level = 'ward') and n.boundary is not null
                          and ((n.boundary, n.level, n.valid_to) is distinct from (o.boundary, o.level, o.valid_to))
                        union all
                        select o.boundary from new_rows n join old_rows o on o.id = n.id
                        where (n.level = 'ward' or o.level = 'ward') and o.boundary is not null
                          and ((n.boundary, n.level, n.valid_to) is distinct from (o.boundary, o.level, o.valid_to)));
    end if;
    if cardinality(places) = 0 then
        return null;
    end if;
    perform undergrounding_refresh_areas(array(
        select distinct u.id from undergrounding_area u join unnest(places) g on u.footprint && g and ST_Intersects(u.footprint, g)));
    perform undergrounding_refresh_cable_wards(array(
        select distinct c.id from standing_overhead_cable c join unnest(places) g on c.geom && g and ST_Intersects(c.geom, g)));
    return null;
end
$$;
