-- Demo data 2/5: operators.
--
-- REAL: the organisations' names (the lighting company's is plausible, see
-- data/README.md). FICTITIOUS: every contact (department, phone, e-mail).

insert into operator (code, legal_name, short_name, sector, contact_name, contact_phone, contact_email)
values
    ('VNPT',     'Tập đoàn Bưu chính Viễn thông Việt Nam',        'VNPT',
     'telecom',  'Phòng Kỹ thuật – Đầu tư, VNPT Quảng Ngãi',       '0255 3812 345', 'kythuat.vnpt@example.vn'),
    ('VIETTEL',  'Tập đoàn Công nghiệp - Viễn thông Quân đội',     'Viettel',
     'telecom',  'Phòng Hạ tầng, Viettel Quảng Ngãi',              '0255 3827 100', 'hatang.viettel@example.vn'),
    ('MOBIFONE', 'Tổng công ty Viễn thông MobiFone',               'MobiFone',
     'telecom',  'Phòng Kỹ thuật, MobiFone Quảng Ngãi',            '0255 3836 900', 'kythuat.mobifone@example.vn'),
    ('FPT',      'Công ty Cổ phần Viễn thông FPT',                 'FPT Telecom',
     'telecom',  'Phòng Kỹ thuật, FPT Telecom Quảng Ngãi',         '0255 3845 678', 'kythuat.fpt@example.vn'),
    ('EVNCPC',   'Tổng công ty Điện lực miền Trung',               'EVNCPC – PC Quảng Ngãi',
     'power',    'Phòng Kỹ thuật, Công ty Điện lực Quảng Ngãi',    '0255 3851 200', 'kythuat.pcqn@example.vn'),
    ('QNG-CSDT', 'Công ty Cổ phần Môi trường Đô thị Quảng Ngãi',   'Môi trường Đô thị Quảng Ngãi',
     'lighting', 'Đội Điện chiếu sáng công cộng',                  '0255 3868 050', 'chieusang.qng@example.vn');
