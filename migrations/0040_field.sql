-- In the field: reports of incidents and complaints (from residents, through
-- the web form or Open311, and from staff), inspections with checklists built
-- from the rules, violations with their legal basis and deadline, the photos
-- taken in the street, and the idempotency keys that let a phone retry a
-- request made offline without creating it twice.

-- Photos (scaled down in the browser, type checked by content on the server).
-- The bytes are kept apart so that the change log never copies them.
create table field_photo (
    id           bigint generated always as identity primary key,
    -- What the photo documents: a report, the operator's fix, an inspection
    -- finding, a violation's fix or its verification.
    purpose      text not null check (purpose in ('report', 'fix', 'finding', 'violation_fix', 'verification')),
    incident_id  bigint,
    finding_id   bigint,
    violation_id bigint,
    media_type   text not null check (media_type in ('image/jpeg', 'image/png', 'image/webp')),
    size_bytes   integer not null check (size_bytes > 0),
    sha256       text not null,
    filename     text,
    -- Where and when the camera said it was taken (read from EXIF in the browser), if it said.
    taken_at     timestamptz,
    taken_geom   geometry(Point, 4326),
    uploaded_by  bigint references app_user (id),
    created_at   timestamptz not null default now()
);
create index field_photo_incident on field_photo (incident_id) where incident_id is not null;
create index field_photo_finding on field_photo (finding_id) where finding_id is not null;
create index field_photo_violation on field_photo (violation_id) where violation_id is not null;

create table field_photo_content (
    photo_id  bigint primary key references field_photo (id) on delete cascade,
    content   bytea not null
);

-- Reports of incidents and complaints (phản ánh, sự cố).
create table incident (
    id                   bigint generated always as identity primary key,
    -- The tracking code the reporter gets and Open311's service_request_id: PA-2026-000123.
    reference            text not null unique,
    incident_type        text not null,
    description          text not null default '' check (length(description) <= 4000),
    geom                 geometry(Point, 4326) not null,
    location_source      text not null default 'map' check (location_source in ('gps', 'map', 'photo', 'asset')),
    accuracy_m           double precision check (accuracy_m >= 0 and accuracy_m <= 100000),
    address              text check (length(address) <= 500),
    ward_id              bigint references admin_unit (id),
    -- The asset the report is about, when the reporter or the ward named one.
    asset_id             bigint references asset (id),
    -- The operator the ward assigned the report to, and the one proposed from the nearest asset.
    operator_id          bigint references operator (id),
    proposed_operator_id bigint references operator (id),
    state                text not null default 'new',
    resolution           text check (resolution in ('fixed', 'handled', 'rejected', 'duplicate')),
    duplicate_of         bigint references incident (id),
    channel              text not null check (channel in ('web', 'open311', 'staff', 'inspection')),
    reporter_user_id     bigint references app_user (id),
    reporter_token_id    bigint references api_token (id),
    -- Personal data: shown to the ward's staff only, never to operators or the public.
    contact_name         text check (length(contact_name) <= 200),
    contact_email        text check (length(contact_email) <= 200),
    contact_phone        text check (length(contact_phone) <= 50),
    -- What an Open311 client said about itself (its api_key's name, device_id).
    client               text check (length(client) <= 200),
    -- The idempotency key the report was sent with, so a retry finds it.
    client_key           text unique,
    received_on          date not null,
    triaged_on           date,
    assigned_on          date,
    closed_on            date,
    escalation_level     integer not null default 0 check (escalation_level between 0 and 2),
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    version              integer not null default 1
);
create index incident_geom on incident using gist (geom);
create index incident_ward on incident (ward_id, state);
create index incident_operator on incident (operator_id, state);

alter table field_photo add constraint field_photo_incident_fk foreign key (incident_id) references incident (id);

-- Every step of a report, with who took it and why: its timeline, the public
-- status page (the steps marked public, without names) and its clock.
create table incident_event (
    id             bigint generated always as identity primary key,
    incident_id    bigint not null references incident (id),
    action         text not null,
    from_state     text,
    to_state       text not null,
    actor          text not null,
    actor_user_id  bigint references app_user (id),
    at             timestamptz not null default now(),
    day            date not null,
    note           text check (length(note) <= 4000),
    data           jsonb
);
create index incident_event_incident on incident_event (incident_id, id);

-- The checklist items inspectors tick, per kind of asset: each is a rule with
-- its legal basis and the working days an operator has to put it right.
create table inspection_rule (
    rule_key     text primary key check (rule_key ~ '^[a-z0-9_]+(\.[a-z0-9_]+)*$'),
    asset_kinds  text[] not null check (asset_kinds <@ array['tower', 'pole', 'duct', 'manhole', 'trench', 'cable', 'cabinet']),
    title_vi     text not null,
    title_en     text not null,
    guidance_vi  text,
    citation     text not null,
    -- Not yet checked against the text of the regulation.
    provisional  boolean not null default false,
    -- A failed check is a violation to open, or only advice.
    severity     text not null default 'violation' check (severity in ('violation', 'advice')),
    fix_days     integer not null default 10 check (fix_days between 1 and 365),
    sort         integer not null default 0,
    valid_from   date not null default '2020-01-01',
    valid_to     date
);

-- Planned inspection rounds: an area or a street, a day, an inspector.
create table inspection_round (
    id              bigint generated always as identity primary key,
    reference       text not null unique,
    title           text not null check (length(title) between 1 and 300),
    -- As UK Street Manager's categories: routine rounds, a random sample of
    -- the assets in an area, a round after complaints, the follow-up of
    -- violations, and the check of permitted works.
    category        text not null check (category in ('routine', 'sample', 'complaint', 'follow_up', 'permit')),
    geom            geometry(Geometry, 4326) not null,
    -- A street is drawn as a line; the round covers this many metres either side.
    corridor_m      double precision not null default 20 check (corridor_m between 1 and 500),
    ward_id         bigint references admin_unit (id),
    planned_on      date not null,
    inspector_id    bigint references app_user (id),
    state           text not null default 'planned' check (state in ('planned', 'in_progress', 'completed', 'cancelled')),
    sample_percent  integer check (sample_percent between 1 and 100),
    note            text check (length(note) <= 4000),
    created_by      bigint references app_user (id),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    version         integer not null default 1
);
create index inspection_round_geom on inspection_round using gist (geom);
create index inspection_round_ward on inspection_round (ward_id, planned_on);

-- The assets a round is to look at (all in its area, or its sample).
create table inspection_item (
    round_id  bigint not null references inspection_round (id),
    asset_id  bigint not null references asset (id),
    -- A follow-up round checks the violation it was planned for.
    violation_id bigint,
    primary key (round_id, asset_id)
);

-- What an inspector found at one asset (or one place): the checklist's answers,
-- a note, photos. `asset_version` is the version the inspector saw, so that a
-- finding made offline on an asset changed meanwhile is shown, not lost.
create table inspection_finding (
    id              bigint generated always as identity primary key,
    round_id        bigint not null references inspection_round (id),
    asset_id        bigint references asset (id),
    asset_version   integer,
    geom            geometry(Point, 4326) not null,
    note            text check (length(note) <= 4000),
    -- Cables at a pole belong to the operators who hang them: the one responsible.
    responsible_operator_id bigint references operator (id),
    observed_at     timestamptz not null default now(),
    created_by      bigint references app_user (id),
    client_key      text unique,
    created_at      timestamptz not null default now()
);
create index inspection_finding_round on inspection_finding (round_id);
create index inspection_finding_asset on inspection_finding (asset_id);

alter table field_photo add constraint field_photo_finding_fk foreign key (finding_id) references inspection_finding (id);

create table inspection_answer (
    finding_id  bigint not null references inspection_finding (id),
    rule_key    text not null references inspection_rule (rule_key),
    result      text not null check (result in ('pass', 'fail', 'not_applicable')),
    primary key (finding_id, rule_key)
);

-- Violations: a rule broken, its legal basis, the operator responsible, the
-- deadline to put it right, and the follow-up inspection that checks it.
create table violation (
    id                  bigint generated always as identity primary key,
    reference           text not null unique,
    source              text not null check (source in ('inspection', 'detection', 'incident', 'manual')),
    finding_id          bigint references inspection_finding (id),
    incident_id         bigint references incident (id),
    -- What a detection list found: `unpermitted:asset:12`, `as_built:permit:7`, ...
    detection_key       text,
    rule_key            text,
    asset_id            bigint references asset (id),
    permit_id           bigint references permit_application (id),
    operator_id         bigint not null references operator (id),
    ward_id             bigint references admin_unit (id),
    geom                geometry(Geometry, 4326) not null,
    title               text not null check (length(title) between 1 and 300),
    legal_basis         text not null check (length(legal_basis) between 1 and 1000),
    description         text not null default '' check (length(description) <= 4000),
    state               text not null default 'open',
    opened_on           date not null,
    fix_due             date not null,
    fixed_on            date,
    closed_on           date,
    follow_up_round_id  bigint references inspection_round (id),
    escalation_level    integer not null default 0 check (escalation_level between 0 and 2),
    created_by          bigint references app_user (id),
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    version             integer not null default 1
);
create index violation_geom on violation using gist (geom);
create index violation_operator on violation (operator_id, state);
create index violation_ward on violation (ward_id, state);
-- One open violation per thing a detection list found.
create unique index violation_detection_open on violation (detection_key) where detection_key is not null and state <> 'cancelled';
-- One violation per rule a finding failed.
create unique index violation_finding_rule on violation (finding_id, rule_key) where finding_id is not null;

alter table field_photo add constraint field_photo_violation_fk foreign key (violation_id) references violation (id);
alter table inspection_item add constraint inspection_item_violation_fk foreign key (violation_id) references violation (id);

create table violation_event (
    id             bigint generated always as identity primary key,
    violation_id   bigint not null references violation (id),
    action         text not null,
    from_state     text,
    to_state       text not null,
    actor          text not null,
    actor_user_id  bigint references app_user (id),
    at             timestamptz not null default now(),
    day            date not null,
    note           text check (length(note) <= 4000),
    data           jsonb
);
create index violation_event_violation on violation_event (violation_id, id);

-- Requests sent with an `Idempotency-Key` header, and what they were answered:
-- a retry of the same request gets the first answer and changes nothing.
create table idempotency_key (
    scope         text not null,
    key           text not null,
    method        text not null,
    path          text not null,
    request_hash  text not null,
    state         text not null default 'processing' check (state in ('processing', 'done')),
    status        integer,
    content_type  text,
    location      text,
    body          bytea,
    created_at    timestamptz not null default now(),
    completed_at  timestamptz,
    primary key (scope, key)
);
create index idempotency_key_created on idempotency_key (created_at);

-- Public reports by address (a hash of it), for the rate limit.
create table public_submission (
    id            bigint generated always as identity primary key,
    address_hash  text not null,
    at            timestamptz not null default now()
);
create index public_submission_address on public_submission (address_hash, at);

-- Proof-of-work challenges already used (each is good for one report).
create table used_challenge (
    digest      text primary key,
    expires_at  timestamptz not null
);

-- Secrets the server keeps across restarts and instances (the key that signs challenges).
create table server_secret (
    name   text primary key,
    value  bytea not null
);

-- Notifications now point at anything in the app, not only at an application.
alter table notification add column link text;

-- Deadlines of reports, by type, in working days (data: the ward changes them).
insert into rule_setting (rule_key, province_code, valid_from, valid_to, value, citation, note, provisional) values
    ('incident.deadlines', null, '2020-01-01', null,
     '{"triage_days": 1, "warning_days": 1, "escalate_after_days": 2,
       "fix_days": {"pole_fallen": 1, "cable_low": 2, "cable_tangled": 10, "cover_damaged": 2,
                    "tower_unsafe": 2, "works_unpermitted": 5, "vandalism": 3, "outage": 1, "other": 5}}',
     'Cấu hình mẫu của phường: thời hạn xử lý phản ánh theo loại (ngày làm việc)',
     'Phân loại trong 1 ngày làm việc; sự cố mất an toàn xử lý trong 1–2 ngày; nhắc khi còn 1 ngày; báo cấp trên khi quá hạn 2 ngày.', true),
    ('violation.as_built_distance', null, '2020-01-01', null,
     '{"metres": 50}',
     'Cấu hình hệ thống: công trình hoàn công cách vị trí được cấp phép quá khoảng cách này thì cần kiểm tra',
     null, true),
    ('permit.required', null, '2016-08-15', null,
     '{"tower_classes": ["A1a", "A1b", "A2a", "A2b"], "kinds": ["tower", "pole", "duct", "trench"]}',
     'Luật Xây dựng 50/2014/QH13, Điều 89 (sửa đổi 2020); Thông tư liên tịch 15/2016/TTLT-BTTTT-BXD, Điều 5 khoản 2 (cột A1 không cồng kềnh được miễn)',
     'Công trình hạ tầng kỹ thuật viễn thông thụ động phải có giấy phép xây dựng, trừ cột ăng ten không cồng kềnh (A1).', true);

-- The checklists. Clause numbers of QCVN 33:2019/BTTTT (Quy chuẩn kỹ thuật
-- quốc gia về lắp đặt mạng cáp ngoại vi viễn thông) other than the owner's
-- label (§2.7.2) are marked provisional until checked against the text.
insert into inspection_rule (rule_key, asset_kinds, title_vi, title_en, guidance_vi, citation, provisional, severity, fix_days, sort) values
    ('cable.owner_label', array['pole', 'cable'],
     'Cáp treo có thẻ ghi tên chủ sở hữu tại cột', 'Overhead cable carries its owner''s label at the pole',
     'Mỗi sợi cáp tại mỗi cột phải có thẻ (màu vàng với cáp viễn thông) ghi tên doanh nghiệp, loại cáp, số điện thoại.',
     'QCVN 33:2019/BTTTT, mục 2.7.2', false, 'violation', 10, 10),
    ('cable.clearance_road', array['pole', 'cable'],
     'Cáp vượt đường đủ độ cao tối thiểu so với mặt đường', 'Cable crossing a road is high enough above it',
     'Đo điểm võng thấp nhất của cáp vượt lòng đường ô tô.',
     'QCVN 33:2019/BTTTT, mục 2.3 (khoảng cách an toàn của cáp treo)', true, 'violation', 2, 20),
    ('cable.clearance_pavement', array['pole', 'cable'],
     'Cáp dọc hè phố đủ độ cao tối thiểu', 'Cable along the pavement is high enough',
     'Đo điểm võng thấp nhất của cáp treo dọc hè, ngõ.',
     'QCVN 33:2019/BTTTT, mục 2.3 (khoảng cách an toàn của cáp treo)', true, 'violation', 2, 30),
    ('cable.tidy', array['pole', 'cable'],
     'Cáp gọn gàng, không chùng võng, không cuộn treo trên cột', 'Cable is tidy: no slack, no coils hung on the pole',
     'Cáp thừa phải được thu hồi; cuộn cáp dự phòng đặt đúng vị trí, buộc gọn.',
     'QCVN 33:2019/BTTTT, mục 2.7 (lắp đặt cáp treo)', true, 'violation', 10, 40),
    ('cable.disused_removed', array['pole', 'cable'],
     'Không còn cáp bỏ không sử dụng trên cột', 'No disused cable is left on the pole',
     null,
     'Thông tư liên tịch 21/2013/TTLT-BXD-BCT-BTTTT, Điều 12 (thu hồi cáp không sử dụng)', true, 'violation', 15, 50),
    ('pole.upright', array['pole'],
     'Cột đứng thẳng, không nghiêng, không nứt gãy', 'The pole stands upright, not leaning or cracked',
     null,
     'QCVN 33:2019/BTTTT, mục 2.6 (cột treo cáp)', true, 'violation', 2, 60),
    ('pole.shared_use_permitted', array['pole'],
     'Cáp treo trên cột điện có thỏa thuận sử dụng chung', 'Cable on a power pole has a shared-use agreement',
     null,
     'Thông tư liên tịch 21/2013/TTLT-BXD-BCT-BTTTT (sử dụng chung cột điện để treo cáp viễn thông)', true, 'violation', 20, 70),
    ('manhole.cover_flush', array['manhole', 'duct'],
     'Nắp bể cáp ngang mặt đường, hè; không bập bênh, không vỡ', 'Manhole cover is flush, stable and unbroken',
     'Nắp phải ngang bằng mặt đường, mặt hè, không bập bênh, ngăn được chất thải rơi xuống bể.',
     'QCVN 33:2019/BTTTT, mục 2.2.3 (bể cáp, nắp bể cáp; như QCVN 33:2011 mục 2.2.3.2)', true, 'violation', 2, 80),
    ('manhole.owner_marked', array['manhole'],
     'Nắp bể có ký hiệu của đơn vị quản lý', 'Manhole cover is marked with its owner',
     null,
     'QCVN 33:2019/BTTTT, mục 2.2.3 (bể cáp, nắp bể cáp)', true, 'violation', 10, 90),
    ('tower.safe', array['tower'],
     'Cột ăng ten không nghiêng, dây co, bu lông, tiếp địa đầy đủ', 'Tower is plumb, with its guys, bolts and earthing complete',
     null,
     'QCVN 32:2020/BTTTT (chống sét cho trạm viễn thông) và hồ sơ thiết kế được duyệt', true, 'violation', 2, 100),
    ('tower.permit_sign', array['tower'],
     'Công trình đang thi công có biển báo và giấy phép tại công trường', 'Works in progress show their sign and permit on site',
     null,
     'Luật Xây dựng 50/2014/QH13, Điều 109 và 111 (điều kiện khởi công, công khai giấy phép)', true, 'violation', 5, 110),
    ('cabinet.closed_labelled', array['cabinet'],
     'Tủ cáp đóng kín, có khóa, có nhãn chủ sở hữu', 'Cabinet is closed, locked and labelled with its owner',
     null,
     'QCVN 33:2019/BTTTT, mục 2.7.2 (nhãn, thẻ nhận biết)', true, 'violation', 5, 120),
    ('permit.conditions_met', array['tower', 'pole', 'duct', 'trench', 'cable'],
     'Thi công đúng vị trí và điều kiện ghi trong giấy phép', 'Works match the site and conditions of the permit',
     'Đối chiếu với giấy phép và bản vẽ mặt bằng trong hồ sơ cấp phép trên Hạ tầng.',
     'Giấy phép xây dựng do UBND phường cấp (Nghị định 140/2025/NĐ-CP, Điều 4); Luật Xây dựng 50/2014/QH13, Điều 89', false, 'violation', 10, 130),
    ('site.reinstated', array['duct', 'trench', 'manhole', 'cable'],
     'Mặt đường, hè được hoàn trả sau khi đào', 'Road and pavement are reinstated after digging',
     null,
     'Nghị định 11/2010/NĐ-CP về quản lý và bảo vệ kết cấu hạ tầng giao thông đường bộ (hoàn trả mặt bằng)', true, 'violation', 5, 140);

-- Who changed what: every table people write here is in the change log.
create trigger incident_log after insert or update or delete on incident
    for each row execute function log_change('id');
create trigger field_photo_log after insert or update or delete on field_photo
    for each row execute function log_change('id');
create trigger inspection_rule_log after insert or update or delete on inspection_rule
    for each row execute function log_change('rule_key');
create trigger inspection_round_log after insert or update or delete on inspection_round
    for each row execute function log_change('id');
create trigger inspection_item_log after insert or update or delete on inspection_item
    for each row execute function log_change('round_id', 'asset_id');
create trigger inspection_finding_log after insert or update or delete on inspection_finding
    for each row execute function log_change('id');
create trigger inspection_answer_log after insert or update or delete on inspection_answer
    for each row execute function log_change('finding_id', 'rule_key');
create trigger violation_log after insert or update or delete on violation
    for each row execute function log_change('id');
