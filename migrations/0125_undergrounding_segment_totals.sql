-- The figures of each street segment kept as sums (issue 15, item 3): per
-- segment (area, street name, ward) and owner operator, the overhead metres,
-- the metres along a free duct, and the cables of 50 m or more. The flags and
-- the dashboard read these rows instead of summing every cable piece of a city
-- (385,728 pieces in the synthetic city, whose distinct cable count sorted on
-- disk on every request).
--
-- A segment of the dashboard is every `undergrounding_segment` row of the same
-- area, name and ward: a street kept as several rows (a way per block, as in
-- OpenStreetMap) is one segment, and a cable along two of its rows is one cable.
--
-- Kept by a statement-level trigger on `undergrounding_piece`: whatever adds or
-- removes pieces (a cable, a duct, an area, a street, a ward changed; a
-- cascade from a deleted cable) recomputes the sums of the segments it
-- touched, once per statement. Segments that are deleted take their sums with
-- them: `undergrounding_refresh_areas` and the rebuild delete them first, and
-- a deleted area or ward cascades.
--
-- The functions below are their first versions: from this migration on they
-- belong to server/sql/050_undergrounding.sql, with 0115's.

create table undergrounding_segment_total (
    area_id       bigint not null references undergrounding_area (id) on delete cascade,
    segment_name  text not null,
    -- Null: the part outside every ward.
    ward_id       bigint references admin_unit (id) on delete cascade,
    owner_id      bigint not null,
    metres        double precision not null,
    debt_metres   double precision not null,
    cable_count   bigint not null,
    unique nulls not distinct (area_id, segment_name, ward_id, owner_id)
);
create index undergrounding_segment_total_ward on undergrounding_segment_total (ward_id);
create index undergrounding_segment_group on undergrounding_segment (area_id, segment_name, ward_id);

-- The sums of the segments the given segment rows belong to, from their pieces.
create function undergrounding_refresh_totals(segments bigint[]) returns void
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

create function undergrounding_piece_changed() returns trigger
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
create trigger undergrounding_piece_inserted after insert on undergrounding_piece
    referencing new table as new_rows for each statement execute function undergrounding_piece_changed();
create trigger undergrounding_piece_deleted after delete on undergrounding_piece
    referencing old table as old_rows for each statement execute function undergrounding_piece_changed();

-- 0115's functions that delete segments: their sums go first.
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

-- What the pieces already hold.
select undergrounding_refresh_totals(array(select id from undergrounding_segment));
