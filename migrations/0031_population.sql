-- Households and population ("serviceable locations"): per neighbourhood unit
-- (or any unit) as of a date, from the ward's statistics sheet, and optional
-- household or building points. Coverage figures divide by these.

create table unit_population (
    id               bigint generated always as identity primary key,
    unit_id          bigint not null references admin_unit (id) on delete cascade,
    as_of            date not null,
    households       integer check (households between 0 and 100000000),
    population       integer check (population between 0 and 200000000),
    -- People of 18 and over (targets count "dân số trưởng thành").
    adults           integer check (adults between 0 and 200000000),
    -- Where the figure comes from: the sheet and its issuer.
    source           text not null check (length(source) between 1 and 500),
    -- Invented figures (the demo) are marked and shown as such.
    synthetic        boolean not null default false,
    supplied_by      text not null,
    created_by       bigint references app_user (id),
    created_at       timestamptz not null default now(),
    constraint unit_population_once unique (unit_id, as_of),
    constraint unit_population_something check (households is not null or population is not null),
    constraint unit_population_adults check (adults is null or population is null or adults <= population)
);

-- A household or building location, for coverage computed by points
-- (FCC-style serviceable locations) instead of by area.
create table household_point (
    id          bigint generated always as identity primary key,
    unit_id     bigint references admin_unit (id) on delete set null,
    kind        text not null default 'household' check (kind in ('household', 'building')),
    households  integer not null default 1 check (households between 0 and 10000),
    population  integer check (population between 0 and 100000),
    address     text check (length(address) <= 300),
    geom        geometry(Point, 4326) not null,
    source      text not null check (length(source) between 1 and 500),
    synthetic   boolean not null default false,
    created_by  bigint references app_user (id),
    created_at  timestamptz not null default now()
);
create index household_point_geom on household_point using gist (geom);
create index household_point_unit on household_point (unit_id);

-- A point belongs to the neighbourhood unit valid today that covers it.
create function household_point_unit() returns trigger
language plpgsql as $$
begin
    if new.unit_id is null or tg_op = 'UPDATE' then
        new.unit_id := (select u.id from admin_unit u
                        where u.level = 'neighbourhood'
                          and u.valid_from <= current_date and (u.valid_to is null or u.valid_to >= current_date)
                          and ST_Intersects(u.boundary, new.geom)
                        order by u.id limit 1);
    end if;
    return new;
end
$$;

create trigger household_point_unit before insert or update of geom on household_point
    for each row execute function household_point_unit();

create trigger unit_population_log after insert or update or delete on unit_population
    for each row execute function log_change('unit_id', 'as_of');
create trigger household_point_log after insert or update or delete on household_point
    for each row execute function log_change('id');
