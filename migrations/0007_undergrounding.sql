-- Undergrounding plans and projects, sharing analysis, and dig-once interest.

-- An undergrounding area is a street (drawn as its centre line) or a zone
-- (a polygon). Its footprint is what cable "in it" means: the street's
-- corridor (centre line ± corridor_m, where the pavement poles stand) or the
-- zone itself.
alter table undergrounding_area
    add column area_type text not null default 'street' check (area_type in ('street', 'zone')),
    add column corridor_m double precision not null default 15 check (corridor_m between 1 and 100),
    add column footprint geometry(Geometry, 4326),
    add column updated_at timestamptz not null default now();

create function undergrounding_area_footprint() returns trigger
language plpgsql as $$
begin
    new.footprint := case
        when GeometryType(new.geom) in ('POLYGON', 'MULTIPOLYGON') then new.geom
        else ST_Buffer(new.geom::geography, new.corridor_m, 'endcap=flat join=round')::geometry
    end;
    new.ward_id := coalesce(new.ward_id, ward_for(new.geom));
    return new;
end
$$;

create trigger undergrounding_area_footprint
    before insert or update of geom, corridor_m on undergrounding_area
    for each row execute function undergrounding_area_footprint();

update undergrounding_area set geom = geom;
create index undergrounding_area_footprint on undergrounding_area using gist (footprint);

-- Projects that put cable underground along a street or route.
create table undergrounding_project (
    id             bigint generated always as identity primary key,
    name           text not null check (length(name) between 1 and 300),
    area_id        bigint references undergrounding_area (id),
    geom           geometry(Geometry, 4326) not null,
    footprint      geometry(Geometry, 4326) not null,
    corridor_m     double precision not null default 15,
    duct_design    text,
    starts_on      date,
    ends_on        date,
    status         text not null default 'planned' check (status in ('planned', 'in_progress', 'completed', 'closed', 'cancelled')),
    budget_source  text,
    ward_id        bigint references admin_unit (id),
    created_by     bigint references app_user (id),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    version        integer not null default 1
);
create index undergrounding_project_footprint on undergrounding_project using gist (footprint);

-- Operators taking part, and their confirmation that their overhead cable is gone.
create table project_operator (
    project_id         bigint not null references undergrounding_project (id),
    operator_id        bigint not null references operator (id),
    removal_confirmed_at timestamptz,
    confirmed_by       bigint references app_user (id),
    photo              bytea,
    photo_type         text,
    photo_sha256       text,
    removed_cables     bigint[] not null default '{}',
    primary key (project_id, operator_id)
);

-- Progress reports: km of duct built to date.
create table project_progress (
    id           bigint generated always as identity primary key,
    project_id   bigint not null references undergrounding_project (id),
    day          date not null,
    km_built     double precision not null check (km_built >= 0),
    note         text,
    reported_by  bigint references app_user (id),
    created_at   timestamptz not null default now()
);
create index project_progress_project on project_progress (project_id, day);

-- Daily figures per ward, so the dashboard can draw km remaining over time.
create table undergrounding_snapshot (
    day          date not null,
    ward_id      bigint not null references admin_unit (id),
    overhead_km_in_areas double precision not null,
    overhead_km  double precision not null,
    debt_km      double precision not null,
    primary key (day, ward_id)
);

-- Operators interested in co-building with an announced civil work.
create table civil_work_interest (
    civil_work_id  bigint not null references civil_work (id) on delete cascade,
    operator_id    bigint not null references operator (id),
    note           text,
    created_by     bigint references app_user (id),
    created_at     timestamptz not null default now(),
    primary key (civil_work_id, operator_id)
);

-- Overhead cable still standing: what undergrounding must remove.
create view standing_overhead_cable as
select a.id, a.owner_id, a.ward_id, a.geom, a.code
from asset a
join cable c on c.asset_id = a.id
where c.placement = 'overhead' and a.status in ('operational', 'inactive', 'under_construction');

-- Duct banks with at least one free pipe.
create view duct_with_free_pipe as
select a.id, a.owner_id, a.geom, (select count(*) from duct_pipe p where p.duct_id = a.id and p.state = 'free') as free_pipes
from asset a
where a.kind = 'duct' and a.status = 'operational'
  and exists (select 1 from duct_pipe p where p.duct_id = a.id and p.state = 'free');
