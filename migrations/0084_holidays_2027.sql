-- Which years the working-day calendar holds, and on what authority. A
-- deadline counted into a year without its holidays is counted wrong, so the
-- administrators are warned well before such a year starts (see calendar::warn).
create table holiday_year (
    year         integer primary key check (year between 2000 and 2100),
    citation     text not null check (length(citation) between 1 and 1000),
    -- The days were worked out from the law, not yet from the year's notice.
    provisional  boolean not null default false,
    note         text check (length(note) <= 2000),
    updated_at   timestamptz not null default now()
);

create trigger holiday_year_log after insert or update or delete on holiday_year
    for each row execute function log_change('year');

insert into holiday_year (year, citation, provisional, note) values
    (2025, 'Bộ luật Lao động 45/2019/QH14, Điều 112; thông báo nghỉ lễ, Tết năm 2025 của Bộ Lao động – Thương binh và Xã hội', false, null),
    (2026, 'Bộ luật Lao động 45/2019/QH14, Điều 112; phương án nghỉ Tết Âm lịch 2026 của Bộ Nội vụ (nghỉ 9 ngày, 14–22/02/2026)', false, null),
    (2027, 'Bộ luật Lao động 45/2019/QH14, Điều 112 khoản 1 và 3', true,
     'Ngày nghỉ tính theo Điều 112: Tết Âm lịch Đinh Mùi (mùng 1 là thứ Bảy 06/02/2027, theo âm lịch Việt Nam, múi giờ UTC+7) nghỉ 5 ngày từ 29 tháng Chạp, hai ngày trùng thứ Bảy, Chủ nhật được nghỉ bù vào ngày làm việc kế tiếp; Giỗ Tổ Hùng Vương 10/3 âm lịch là thứ Sáu 16/4/2027; 01/5 là thứ Bảy, nghỉ bù thứ Hai 03/5; Quốc khánh 02/9 và một ngày liền kề (chọn thứ Sáu 03/9). Thủ tướng quyết định cụ thể ngày nghỉ Tết và ngày liền kề Quốc khánh hằng năm: đối chiếu với thông báo năm 2027 khi có và bỏ đánh dấu “tạm tính”.');

-- 2027, worked out from the Labour Code (see the note above).
insert into holiday (day, name, day_off) values
    ('2027-01-01', 'Tết Dương lịch', true),
    ('2027-02-05', 'Tết Nguyên đán Đinh Mùi (29 tháng Chạp)', true),
    ('2027-02-08', 'Tết Nguyên đán Đinh Mùi (mùng 3)', true),
    ('2027-02-09', 'Tết Nguyên đán Đinh Mùi (mùng 4)', true),
    ('2027-02-10', 'Nghỉ bù Tết Nguyên đán (mùng 1 là thứ Bảy)', true),
    ('2027-02-11', 'Nghỉ bù Tết Nguyên đán (mùng 2 là Chủ nhật)', true),
    ('2027-04-16', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', true),
    ('2027-04-30', 'Ngày Chiến thắng', true),
    ('2027-05-03', 'Nghỉ bù Ngày Quốc tế Lao động (01/5 là thứ Bảy)', true),
    ('2027-09-02', 'Quốc khánh', true),
    ('2027-09-03', 'Quốc khánh (ngày liền kề)', true)
on conflict (day) do nothing;
