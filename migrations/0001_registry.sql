-- The registry of passive telecom infrastructure: admin units, operators, assets
-- (a common core plus one detail table per kind), sharing, and the change history.
-- Append-only: later changes go in new numbered files.

create extension if not exists postgis;
create extension if not exists btree_gist;

-- Provinces and wards (the two tiers of local government since 1/7/2025).
-- A unit is identified by its GSO code *and* its validity period, because the
-- 2025 reorganisation merged provinces and wards: a code can end, and a name can
-- be reused by a new unit with other boundaries.
create table admin_unit (
    id           bigint generated always as identity primary key,
    gso_code     text check (gso_code ~ '^[0-9]{2,5}$'),
    level        text not null check (level in ('province', 'ward')),
    name         text not null check (length(name) between 1 and 200),
    unit_type    text not null,
    parent_id    bigint references admin_unit (id),
    valid_from   date not null default '1900-01-01',
    valid_to     date,
    -- Central meridian (degrees) of the province's VN-2000 TM-3 zone.
    tm3_meridian double precision check (tm3_meridian between 102 and 118),
    boundary     geometry(MultiPolygon, 4326),
    constraint admin_unit_validity check (valid_to is null or valid_to >= valid_from),
    constraint admin_unit_ward_has_province check ((level = 'ward') = (parent_id is not null))
);
create unique index admin_unit_code_period on admin_unit (gso_code, valid_from) where gso_code is not null;
create index admin_unit_boundary on admin_unit using gist (boundary);

-- Organisations that own or rent infrastructure: telecom operators, and the
-- power and lighting utilities whose poles carry telecom cable.
create table operator (
    id            bigint generated always as identity primary key,
    code          text not null unique check (code ~ '^[A-Z0-9][A-Z0-9_-]{1,19}$'),
    legal_name    text not null check (length(legal_name) between 1 and 300),
    short_name    text not null check (length(short_name) between 1 and 100),
    sector        text not null default 'telecom' check (sector in ('telecom', 'power', 'lighting', 'other')),
    contact_name  text,
    contact_phone text,
    contact_email text,
    created_at    timestamptz not null default now()
);

-- Streets: context for the map and the unit of undergrounding plans.
create table street (
    id       bigint generated always as identity primary key,
    name     text not null,
    class    text not null default 'local' check (class in ('main', 'secondary', 'local', 'alley')),
    geom     geometry(LineString, 4326) not null
);
create index street_geom on street using gist (geom);

-- Every registered asset, whatever its kind. Kind-specific attributes live in
-- one detail table per kind (tower, pole, duct, ...), keyed by asset_id.
create table asset (
    id          bigint generated always as identity primary key,
    kind        text not null check (kind in ('tower', 'pole', 'duct', 'manhole', 'trench', 'cable', 'cabinet')),
    code        text not null check (length(code) between 1 and 64),
    name        text check (length(name) <= 200),
    owner_id    bigint not null references operator (id),
    status      text not null check (status in ('proposed', 'planned', 'under_construction', 'operational', 'inactive', 'decommissioned')),
    accuracy_m  double precision check (accuracy_m > 0 and accuracy_m <= 1000),
    -- Slots that tenants can take: antenna positions on a tower, cable
    -- attachments on a pole, rack positions in a cabinet. Ducts count pipes instead.
    capacity    integer check (capacity between 0 and 1000),
    ward_id     bigint references admin_unit (id),
    geom        geometry(Geometry, 4326) not null,
    note        text check (length(note) <= 4000),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    version     integer not null default 1 check (version >= 1),
    constraint asset_code_per_owner unique (owner_id, kind, code),
    constraint asset_geometry_fits_kind check (
        case kind
            when 'duct' then GeometryType(geom) = 'LINESTRING'
            when 'trench' then GeometryType(geom) = 'LINESTRING'
            when 'cable' then GeometryType(geom) in ('LINESTRING', 'MULTILINESTRING')
            else GeometryType(geom) = 'POINT'
        end)
);
create index asset_geom on asset using gist (geom);
create index asset_kind_id on asset (kind, id);
create index asset_owner on asset (owner_id);
create index asset_ward on asset (ward_id);

-- The ward an asset lies in: for a point the ward that covers it, for a line the
-- ward holding the longest part of it. Only wards valid today count.
create function ward_for(g geometry) returns bigint
language sql stable as $$
    select w.id
    from admin_unit w
    where w.level = 'ward'
      and w.valid_from <= current_date
      and (w.valid_to is null or w.valid_to >= current_date)
      and ST_Intersects(w.boundary, g)
    order by case when GeometryType(g) = 'POINT' then 0
                  else -ST_Length(ST_Intersection(w.boundary, g)::geography) end,
             w.id
    limit 1
$$;

create function asset_derive_ward() returns trigger
language plpgsql as $$
begin
    new.ward_id := ward_for(new.geom);
    return new;
end
$$;

create trigger asset_derive_ward
    before insert or update of geom on asset
    for each row execute function asset_derive_ward();

create table tower (
    asset_id               bigint primary key references asset (id),
    tower_class            text not null check (tower_class in ('A1', 'A1a', 'A1b', 'A2a', 'A2b', 'other')),
    height_m               double precision not null check (height_m > 0 and height_m <= 300),
    host_building_height_m double precision check (host_building_height_m > 0 and host_building_height_m <= 500),
    structure              text not null check (structure in ('monopole', 'lattice', 'guyed', 'rooftop_pole', 'camouflaged', 'other')),
    placement              text not null check (placement in ('ground', 'rooftop')),
    technologies           text[] not null default '{}' check (technologies <@ array['2G', '3G', '4G', '5G']),
    constraint tower_rooftop_has_building check (placement = 'ground' or host_building_height_m is not null)
);

create table pole (
    asset_id  bigint primary key references asset (id),
    material  text not null check (material in ('concrete', 'steel', 'wood', 'composite', 'other')),
    height_m  double precision not null check (height_m > 0 and height_m <= 50),
    purpose   text not null default 'telecom' check (purpose in ('telecom', 'power', 'lighting', 'combined'))
);

create table duct (
    asset_id          bigint primary key references asset (id),
    layers            smallint not null check (layers between 1 and 5),
    pipe_count        smallint not null check (pipe_count between 1 and 24),
    pipe_diameter_mm  smallint check (pipe_diameter_mm between 10 and 250),
    cover_depth_mm    integer check (cover_depth_mm between 100 and 10000),
    surface           text check (surface in ('pavement', 'road', 'verge', 'other')),
    from_manhole_id   bigint references asset (id),
    to_manhole_id     bigint references asset (id)
);

-- One row per pipe of a duct bank: which pipes are free is what an operator
-- looking for a path needs to know.
create table duct_pipe (
    duct_id      bigint not null references duct (asset_id),
    pipe_no      smallint not null check (pipe_no >= 1),
    layer        smallint check (layer between 1 and 5),
    state        text not null check (state in ('free', 'partly_occupied', 'occupied', 'damaged')),
    occupant_id  bigint references operator (id),
    primary key (duct_id, pipe_no),
    constraint duct_pipe_occupied_has_occupant check (state not in ('occupied', 'partly_occupied') or occupant_id is not null),
    constraint duct_pipe_free_has_no_occupant check (state <> 'free' or occupant_id is null)
);

create table manhole (
    asset_id        bigint primary key references asset (id),
    covers          smallint not null check (covers between 1 and 8),
    cover_material  text check (cover_material in ('concrete', 'cast_iron', 'composite', 'steel')),
    depth_m         double precision check (depth_m > 0 and depth_m <= 10)
);

create table trench (
    asset_id     bigint primary key references asset (id),
    trench_type  text not null check (trench_type in ('trench', 'tunnel')),
    width_m      double precision check (width_m > 0 and width_m <= 30),
    depth_m      double precision check (depth_m > 0 and depth_m <= 50)
);

create table cable (
    asset_id    bigint primary key references asset (id),
    placement   text not null check (placement in ('overhead', 'underground')),
    medium      text not null check (medium in ('fibre', 'copper', 'coax')),
    role        text not null check (role in ('trunk', 'subscriber')),
    core_count  integer check (core_count between 1 and 10000)
);

-- The poles, ducts or trenches that carry a cable, in order along the route.
create table cable_support (
    cable_id    bigint not null references cable (asset_id),
    seq         integer not null check (seq >= 1),
    support_id  bigint not null references asset (id),
    primary key (cable_id, seq),
    unique (cable_id, support_id)
);
create index cable_support_support on cable_support (support_id);

create table cabinet (
    asset_id      bigint primary key references asset (id),
    cabinet_type  text not null check (cabinet_type in ('fibre_distribution', 'copper_crossconnect', 'active_equipment', 'power', 'other')),
    mounting      text not null check (mounting in ('ground', 'pole', 'wall'))
);

-- Sharing: an operator other than the owner using an asset for a period.
-- contract_ref and monthly_fee_vnd are commercially sensitive.
create table tenancy (
    id               bigint generated always as identity primary key,
    asset_id         bigint not null references asset (id),
    tenant_id        bigint not null references operator (id),
    since            date not null,
    until            date,
    capacity_used    integer not null default 1 check (capacity_used between 0 and 1000),
    contract_ref     text check (length(contract_ref) <= 200),
    monthly_fee_vnd  bigint check (monthly_fee_vnd >= 0),
    note             text check (length(note) <= 4000),
    created_at       timestamptz not null default now(),
    constraint tenancy_period check (until is null or until >= since),
    constraint tenancy_no_overlap exclude using gist (
        asset_id with =, tenant_id with =, daterange(since, until, '[]') with &&)
);
create index tenancy_asset on tenancy (asset_id);

-- Operators sharing an asset today, and the capacity they take.
create view asset_sharing as
select a.id as asset_id,
       count(distinct t.tenant_id) filter (where t.tenant_id <> a.owner_id) as tenant_count,
       coalesce(sum(t.capacity_used), 0) as capacity_used
from asset a
left join tenancy t
       on t.asset_id = a.id
      and t.since <= current_date
      and (t.until is null or t.until >= current_date)
group by a.id;

-- Every change to an asset or its tenancies, with who made it and the asset's
-- document before and after.
create table asset_history (
    id        bigint generated always as identity primary key,
    asset_id  bigint not null references asset (id),
    action    text not null check (action in ('create', 'update', 'decommission', 'tenancy')),
    actor     text not null,
    at        timestamptz not null default now(),
    version   integer not null,
    reason    text check (length(reason) <= 4000),
    before    jsonb,
    after     jsonb
);
create index asset_history_asset on asset_history (asset_id, id);
