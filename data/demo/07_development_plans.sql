-- Demo data 7/7: the five seed plans for digital infrastructure (Kế hoạch phát
-- triển hạ tầng số) with their targets, tasks and reporting duties, and the
-- figures their progress is measured by.
--
-- REAL: the plans' issuers, signers, bases, periods, targets, tasks (the
-- annex of Minh Long's plan, the "tổ chức thực hiện" sections of the others)
-- and reporting dates, in the plans' own words (seeds in the team's shared
-- folder). Where a copy leaves the number or date blank, so does the demo.
-- SYNTHETIC: every task's status and progress note, every household,
-- population, filed and declared figure (see data/README.md).

set local jit = off;

-- A deterministic pseudo-random number in [0, 1) from a text key (no random()).
create or replace function pg_temp.demo_u(key text) returns double precision
language sql immutable as $$
    select ('x' || substr(md5(key), 1, 6))::bit(24)::int / 16777216.0
$$;

-- One plan from a JSON document: the plan, its targets, tasks and duties.
create or replace function pg_temp.demo_plan(unit bigint, doc jsonb) returns bigint
language plpgsql as $$
declare
    plan_id bigint;
begin
    insert into plan (number, issued_on, issued_text, issuer, signer, title, unit_id, period_from, period_to, basis, note)
    values (doc ->> 'number', (doc ->> 'issued_on')::date, doc ->> 'issued_text', doc ->> 'issuer', doc ->> 'signer',
            doc ->> 'title', unit, (doc ->> 'from')::int, (doc ->> 'to')::int, doc ->> 'basis', doc ->> 'note')
    returning id into plan_id;
    insert into plan_target (plan_id, indicator, target_value, year, sentence, section, position)
    select plan_id, t ->> 0, (t ->> 1)::float8, (t ->> 2)::int, t ->> 3, t ->> 4, (n - 1)::int
    from jsonb_array_elements(doc -> 'targets') with ordinality as x (t, n);
    insert into plan_task (plan_id, code, title, lead, partners, operators_lead, due_text, due_on, yearly, status, evidence, position)
    select plan_id, t ->> 'code', t ->> 'title', t ->> 'lead', t ->> 'partners', coalesce((t ->> 'operators')::boolean, false),
           t ->> 'due_text', (t ->> 'due_on')::date, coalesce((t ->> 'yearly')::boolean, false),
           coalesce(t ->> 'status', 'not_started'), t ->> 'evidence', (n - 1)::int
    from jsonb_array_elements(doc -> 'tasks') with ordinality as x (t, n);
    insert into plan_reporting_duty (plan_id, reporter, recipient, what, due_day, due_month, before, reporter_kind, sentence, position)
    select plan_id, d ->> 'reporter', d ->> 'recipient', d ->> 'what', (d ->> 'day')::int, (d ->> 'month')::int, true,
           d ->> 'kind', d ->> 'sentence', (n - 1)::int
    from jsonb_array_elements(coalesce(doc -> 'duties', '[]')) with ordinality as x (d, n);
    return plan_id;
end
$$;

----------------------------------------------------------------------------
-- Seed 001: Chánh Lộ (Quảng Ngãi city), the demo ward.
----------------------------------------------------------------------------
select pg_temp.demo_plan((select id from admin_unit where gso_code = '21031' and level = 'ward'), $doc$
{"issuer": "UBND phường Chánh Lộ", "signer": "Lê Việt Dũng",
 "title": "Kế hoạch phát triển hạ tầng số phường Chánh Lộ đến năm 2025 và định hướng đến năm 2030",
 "from": 2023, "to": 2030,
 "basis": "Thực hiện Kế hoạch số 58/KH-UBND ngày 22/3/2023 của UBND thành phố Quảng Ngãi về Phát triển Hạ tầng số thành phố Quảng Ngãi đến năm 2025 và định hướng đến năm 2030",
 "note": "Bản kế hoạch không ghi số và ngày ban hành (ban hành sau ngày 22/3/2023). Từ 01/7/2025 phường Chánh Lộ được sắp xếp vào phường Cẩm Thành (Nghị quyết số 1677/NQ-UBTVQH15); UBND phường Cẩm Thành tiếp tục theo dõi kế hoạch trên địa bàn phường Chánh Lộ cũ.",
 "targets": [
  ["neighbourhoods_with_mobile_broadband_pct", 100, 2025, "100% các tổ dân phố trên địa bàn phường có hạ tầng băng rộng di động.", "II.1.1"],
  ["adults_with_smartphone_pct", 80, 2025, "80% dân số ở độ tuổi trưởng thành có điện thoại thông minh.", "II.1.1"],
  ["population_4g5g_covered_pct", 90, 2025, "90% dân số được phủ sóng 4G/5G.", "II.1.1"],
  ["households_with_smart_device_pct", 80, 2025, "80% các hộ gia đình có ít nhất 01 thiết bị thông minh.", "II.1.1"],
  ["neighbourhoods_with_fibre_pct", 100, 2025, "100% tổ dân phố có hạ tầng băng rộng cố định cáp quang.", "II.1.2"],
  ["fibre_households_subscribed_pct", 80, 2025, "80% các hộ gia đình có kết nối Internet băng rộng cố định cáp quang.", "II.1.2"],
  ["departments_on_shared_lan_pct", 100, 2025, "100% các ban ngành, bộ phận chuyên môn sử dụng chung hệ thống mạng nội bộ tại UBND phường.", "II.1.3"],
  ["households_with_smart_device_pct", 100, 2030, "100% các hộ gia đình có ít nhất 01 thiết bị thông minh.", "II.2.1"],
  ["adults_with_smartphone_pct", 95, 2030, "95% dân số ở độ tuổi trưởng thành có điện thoại thông minh.", "II.2.1"],
  ["population_5g_covered_pct", 100, 2030, "100% các khu vực có dân cư sinh sống và làm việc được phủ sóng thông tin di động 5G.", "II.2.1"],
  ["fibre_households_subscribed_pct", 100, 2030, "100% các hộ gia đình có kết nối Internet băng rộng cố định cáp quang.", "II.2.2"],
  ["enterprises_iot_capable_pct", 100, 2030, "100% doanh nghiệp trên địa bàn phường có khả năng ứng dụng IoT để phát triển các dịch vụ số.", "II.2.3"],
  ["systems_on_specialised_network_pct", 100, 2030, "100% các hệ thống thông tin dùng chung của phường kết nối vào mạng truyền số liệu chuyên dùng.", "II.2.3"]],
 "tasks": [
  {"code": "III.1", "title": "Rà soát điều chỉnh, bổ sung kịp thời và tổ chức thực hiện Kế hoạch phát triển chính quyền điện tử hướng đến chính quyền số và kinh tế số, xã hội số trên địa bàn phường đến năm 2025 và định hướng đến năm 2030.", "lead": "Bộ phận Văn hóa - Thông tin", "partners": "Các ban ngành, bộ phận chuyên môn", "due_text": "2025", "due_on": "2025-12-31", "status": "done", "evidence": "Kế hoạch điều chỉnh đã trình UBND phường (minh họa)"},
  {"code": "III.2", "title": "Tăng cường tuyên truyền phổ biến các chủ trương, chính sách, pháp luật về thực hiện chuyển đổi số trên hệ thống Đài truyền thanh phường; Trang thông tin điện tử của UBND phường; tạo sự đồng thuận trong nhân dân khi triển khai phát triển hạ tầng số, trạm BTS công nghệ mới.", "lead": "Bộ phận Văn hóa - Thông tin", "partners": "Các ban ngành, bộ phận chuyên môn", "due_text": "Hằng năm", "yearly": true, "status": "in_progress"},
  {"code": "III.3", "title": "Tổ chức thực hiện phổ cập dịch vụ viễn thông băng rộng, máy tính bảng, điện thoại thông minh và thực hiện xây dựng hạ tầng số theo Chương trình triển khai trong từng giai đoạn của UBND thành phố.", "lead": "Bộ phận Văn hóa - Thông tin", "partners": "Các doanh nghiệp viễn thông", "due_text": "2025-2030", "due_on": "2030-12-31", "status": "in_progress"},
  {"code": "III.4", "title": "Thực hiện tốt công tác quản lý Nhà nước về phát triển hạ tầng số trên địa bàn; phối hợp, tạo điều kiện thuận lợi cho các doanh nghiệp viễn thông trong việc lắp đặt công trình hạ tầng kỹ thuật viễn thông theo quy định nhằm bảo đảm mỹ quan và an toàn cho người dân trên địa bàn phường.", "lead": "UBND phường", "partners": "Các doanh nghiệp viễn thông", "due_text": "Thường xuyên", "yearly": true, "status": "in_progress"},
  {"code": "III.5", "title": "Phối hợp trong việc chuyển đổi toàn bộ mạng lưới, hệ thống thông tin, ứng dụng công nghệ thông tin sang ứng dụng địa chỉ giao thức Internet thế hệ mới (IPv6).", "lead": "Bộ phận Văn hóa - Thông tin", "partners": "Các doanh nghiệp viễn thông", "due_text": "2025", "due_on": "2025-12-31", "status": "in_progress"},
  {"code": "III.6", "title": "Duy trì và đảm bảo kết nối thông suốt mạng truyền số liệu chuyên dùng 04 cấp (từ Trung ương đến cấp xã); sử dụng đồng bộ, tập trung các dịch vụ cung cấp trên mạng truyền số liệu chuyên dùng.", "lead": "Bộ phận Văn hóa - Thông tin", "due_text": "Thường xuyên", "yearly": true, "status": "in_progress"},
  {"code": "III.7", "title": "Tiếp tục triển khai nền tảng định danh và xác thực điện tử trên địa bàn phường; bảo đảm mỗi người dân có một định danh điện tử trên môi trường mạng.", "lead": "Các ban ngành, bộ phận chuyên môn", "partners": "Công an phường", "due_text": "2025", "due_on": "2025-12-31", "status": "done", "evidence": "Báo cáo của Công an phường về tài khoản định danh điện tử (minh họa)"},
  {"code": "III.8", "title": "Phối hợp triển khai số hóa Sổ hộ tịch và nhập dữ liệu hộ tịch từ sổ hộ tịch trên nền cơ sở dữ liệu quốc gia về dân cư.", "lead": "Bộ phận Tư pháp - Hộ tịch", "due_text": "2025", "due_on": "2025-12-31", "status": "not_started"},
  {"code": "III.11", "title": "Tiếp tục duy trì, bảo đảm an toàn thông tin theo mô hình 4 lớp. 100% máy chủ, máy trạm cơ quan UBND phường được triển khai giải pháp phòng chống mã độc.", "lead": "Bộ phận Văn hóa - Thông tin", "due_text": "Thường xuyên", "yearly": true, "status": "in_progress"},
  {"code": "V.1", "title": "Giám sát các tuyến cáp trục và cáp thuê bao do các doanh nghiệp triển khai trên địa bàn đảm bảo mỹ quan đô thị, báo cáo UBND phường chỉ đạo, phối hợp thực hiện chỉnh trang, hạ ngầm mạng cáp viễn thông theo quy định.", "lead": "Bộ phận Văn hóa - Thông tin", "partners": "Phòng VH-TT thành phố, các doanh nghiệp viễn thông, CNTT", "due_text": "Thường xuyên", "yearly": true, "status": "in_progress"},
  {"code": "V.2", "title": "Tham mưu cho UBND phường bố trí kinh phí để thực hiện việc phát triển hạ tầng số trong cơ quan UBND phường.", "lead": "Bộ phận Tài chính - Kế toán", "partners": "Bộ phận Văn hóa - Thông tin", "due_text": "Hằng năm", "yearly": true, "status": "in_progress"},
  {"code": "III.3b", "title": "Phối hợp các doanh nghiệp viễn thông triển khai cáp quang và phủ sóng 4G/5G đến các tổ dân phố (nội dung thuộc mục III.3 và V.1 của Kế hoạch; doanh nghiệp báo cáo số liệu theo đợt thu thập của phường).", "lead": "Các doanh nghiệp viễn thông", "partners": "Bộ phận Văn hóa - Thông tin", "operators": true, "due_text": "2025", "due_on": "2025-12-31", "status": "in_progress"}],
 "duties": [
  {"reporter": "Các ban ngành, bộ phận chuyên môn UBND phường", "recipient": "UBND phường (qua bộ phận Văn hóa - Thông tin phường)", "what": "Báo cáo kết quả triển khai thực hiện Kế hoạch", "day": 1, "month": 12, "kind": "department",
   "sentence": "Định kỳ trước ngày 01/12 hàng năm, báo cáo kết quả triển khai thực hiện về UBND phường (qua bộ phận Văn hóa - Thông tin phường)"},
  {"reporter": "UBND phường (bộ phận Văn hóa - Thông tin tổng hợp, tham mưu)", "recipient": "UBND thành phố", "what": "Báo cáo kết quả phát triển hạ tầng số của phường", "day": 5, "month": 12, "kind": "unit",
   "sentence": "để tổng hợp tham mưu UBND phường báo cáo UBND thành phố trước ngày 05/12 hàng năm"}]}
$doc$::jsonb);


----------------------------------------------------------------------------
-- Seed 000: Trương Quang Trọng (Quảng Ngãi city), before 1/7/2025.
----------------------------------------------------------------------------
select pg_temp.demo_plan((select id from admin_unit where gso_code = '21172' and valid_from = '2014-04-01'), $doc$
{"issuer": "UBND phường Trương Quang Trọng", "signer": "Trương Thanh Thảo",
 "title": "Kế hoạch phát triển Hạ tầng số phường Trương Quang Trọng đến năm 2025 và định hướng đến năm 2030",
 "from": 2025, "to": 2030,
 "basis": "Căn cứ Kế hoạch số 20/KH-UBND ngày 23/01/2025 của UBND thành phố Quảng Ngãi về phát triển Hạ tầng số thành phố Quảng Ngãi đến năm 2025 và định hướng đến năm 2030",
 "note": "Bản kế hoạch không ghi số và ngày ban hành. Từ 01/7/2025 phường Trương Quang Trọng mới được thành lập trên cơ sở phường Trương Quang Trọng và các xã Tịnh Ấn Tây, Tịnh Ấn Đông, Tịnh An (Nghị quyết số 1677/NQ-UBTVQH15). \"Phổ cập cáp quang đến các hộ gia đình\" được đo bằng tỷ lệ hộ được phủ cáp quang (mục tiêu 100%).",
 "targets": [
  ["fibre_households_passed_pct", 100, 2025, "Phổ cập cáp quang đến các hộ gia đình, các tổ dân phố;", "III.1"],
  ["neighbourhoods_with_fibre_pct", 100, 2025, "Phổ cập cáp quang đến các hộ gia đình, các tổ dân phố;", "III.1"],
  ["centre_areas_with_5g_pct", 100, 2025, "100% các khu vực trung tâm phường và các điểm có thiết bị quan trắc trên địa bàn phường có dịch vụ di động 5G;", "III.1"],
  ["neighbourhoods_with_mobile_broadband_pct", 100, 2025, "100% các tổ dân phố trên địa bàn phường có hạ tầng băng rộng di động;", "III.1"],
  ["adults_with_smartphone_pct", 100, 2025, "100% dân số ở độ tuổi trưởng thành có điện thoại thông minh;", "III.1"],
  ["iot_connections_per_person", 1, 2025, "Trung bình mỗi người dân có 01 kết nối Internet vạn vật (IoT- Internet of Things);", "III.1"],
  ["population_with_digital_id_pct", 100, 2025, "Mỗi người dân có 01 định danh số;", "III.1"],
  ["adults_with_digital_signature_pct", 50, 2025, "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử đạt trên 50%;", "III.1"],
  ["gigabit_households_pct", 100, 2030, "100% người sử dụng có khả năng truy nhập cáp quang với tốc độ 1Gb/s trở lên;", "III.2"],
  ["population_5g_covered_pct", 99, 2030, "Mạng băng rộng di động 5G phủ sóng 99% dân số;", "III.2"],
  ["adults_with_digital_signature_pct", 70, 2030, "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử đạt trên 70%;", "III.2"]],
 "tasks": [
  {"code": "VII.1.a", "title": "Tham mưu ban hành và triển khai kế hoạch phát triển, quản lý hạ tầng số (đặc biệt là hạ tầng kỹ thuật viễn thông thụ động).", "lead": "Bộ phận Văn phòng Thống kê", "due_text": "2025", "due_on": "2025-12-31", "status": "done"},
  {"code": "VII.1.d", "title": "Tham mưu tạo điều kiện thuận lợi để các doanh nghiệp phát triển hạ tầng CNTT, viễn thông đảm bảo phù hợp với quy hoạch và định hướng phát triển của phường; giám sát các tuyến cáp trục và cáp thuê bao do các doanh nghiệp triển khai trên địa bàn đảm bảo mỹ quan đô thị, báo cáo UBND thành phố chỉ đạo thực hiện chỉnh trang, hạ ngầm mạng cáp viễn thông theo quy định.", "lead": "Bộ phận Văn phòng Thống kê", "partners": "Các doanh nghiệp viễn thông", "due_text": "Thường xuyên", "yearly": true, "status": "in_progress"},
  {"code": "VII.1.e", "title": "Định kỳ hàng năm tổng hợp, báo cáo UBND thành phố, phòng Văn hóa thông tin kết quả triển khai thực hiện theo quy định.", "lead": "Bộ phận Văn phòng Thống kê", "due_text": "Hằng năm", "yearly": true},
  {"code": "VII.2.a", "title": "Tuyên truyền trên Trang thông tin điện tử về các nội dung Kế hoạch này; tuyên truyền kết quả, thành tựu trong quá trình phát triển hạ tầng số phục vụ Chương trình chuyển đổi số của phường.", "lead": "Bộ phận Văn hóa xã hội (phụ trách VHTT)", "due_text": "Thường xuyên", "yearly": true},
  {"code": "VII.3", "title": "Chủ trì, phối hợp với các bộ phận tham mưu trình cấp thẩm quyền bố trí kinh phí để thực hiện các nội dung của Kế hoạch theo phân cấp quản lý ngân sách hiện hành.", "lead": "Bộ phận Tài chính kế toán", "due_text": "Hằng năm", "yearly": true},
  {"code": "VII.4.a", "title": "Chủ động phối hợp, hỗ trợ các doanh nghiệp đầu tư hạ tầng số trong việc bảo vệ, xử lý các vụ việc phá hoại hạ tầng số, cản trở xây dựng, lắp đặt các công trình viễn thông trên địa bàn.", "lead": "Bộ phận Địa chính XDĐT&MT", "partners": "Các doanh nghiệp viễn thông", "due_text": "Thường xuyên", "yearly": true},
  {"code": "VII.4.c", "title": "Phối hợp tham mưu giải quyết thủ tục hành chính về cấp giấy phép xây dựng công trình hạ tầng kỹ thuật viễn thông thụ động theo thẩm quyền, đảm bảo thông suốt, hiệu lực, hiệu quả.", "lead": "Bộ phận Địa chính XDĐT&MT", "due_text": "Thường xuyên", "yearly": true},
  {"code": "VII.5", "title": "Đẩy mạnh công tác thông tin tuyên truyền, phối hợp với các bộ phận xây dựng và duy trì hoạt động chuyên trang, chuyên mục về chuyển đổi số nói chung và phát triển hạ tầng số nói riêng trên hệ thống truyền thanh phường.", "lead": "Bộ phận Đài truyền Thanh phường", "due_text": "Thường xuyên", "yearly": true}],
 "duties": [
  {"reporter": "Các bộ phận", "recipient": "UBND phường (qua Văn phòng thống kê)", "what": "Báo cáo kết quả thực hiện Kế hoạch", "day": 10, "month": 12, "kind": "department",
   "sentence": "định kỳ hàng năm trước ngày 10/12, báo cáo UBND phường (qua Văn phòng thống kê) về kết quả thực hiện"}]}
$doc$::jsonb);

----------------------------------------------------------------------------
-- Seed 002: Minh Long district (Quảng Ngãi), with the annex of tasks.
----------------------------------------------------------------------------
select pg_temp.demo_plan((select id from admin_unit where gso_code = '531' and level = 'district'), $doc$
{"number": null, "issued_text": "tháng 02 năm 2025", "issuer": "UBND huyện Minh Long", "signer": "Đinh Văn Diết",
 "title": "Kế hoạch phát triển Hạ tầng số huyện Minh Long đến năm 2025 và định hướng đến năm 2030",
 "from": 2025, "to": 2030,
 "basis": "Thực hiện Kế hoạch số 252/KH-UBND ngày 31/12/2024 của UBND tỉnh Quảng Ngãi về phát triển Hạ tầng số tỉnh Quảng Ngãi đến năm 2025 và định hướng đến năm 2030",
 "note": "Bản kế hoạch để trống số và ngày (\"Số: /KH-UBND\", \"ngày tháng 02 năm 2025\"). Huyện Minh Long không còn từ 01/7/2025; các xã Minh Long và Sơn Mai (Nghị quyết số 1677/NQ-UBTVQH15) tiếp nhận địa bàn.",
 "targets": [
  ["fibre_households_passed_pct", 100, 2025, "Phổ cập cáp quang đến các hộ gia đình, thôn, khu dân cư;", "III.1"],
  ["centre_areas_with_5g_pct", 100, 2025, "100% khu vực trung tâm huyện, trung tâm UBND các xã và các điểm có thiết bị quan trắc trên địa bàn huyện có dịch vụ di động 5G;", "III.1"],
  ["neighbourhoods_with_mobile_broadband_pct", 100, 2025, "100% các thôn, khu dân cư trên địa bàn huyện có hạ tầng băng rộng di động;", "III.1"],
  ["adults_with_smartphone_pct", 100, 2025, "100% dân số ở độ tuổi trưởng thành có điện thoại thông minh;", "III.1"],
  ["iot_connections_per_person", 1, 2025, "Trung bình mỗi người dân có 01 kết nối Internet vạn vật (IoT - Internet of Things);", "III.1"],
  ["population_with_digital_id_pct", 100, 2025, "Mỗi người dân có 01 định danh số;", "III.1"],
  ["adults_with_digital_signature_pct", 50, 2025, "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử đạt trên 50%;", "III.1"],
  ["gigabit_households_pct", 100, 2030, "100% người sử dụng có khả năng truy nhập cáp quang với tốc độ 1Gb/s trở lên;", "III.2"],
  ["population_5g_covered_pct", 99, 2030, "Mạng băng rộng di động 5G phủ sóng 99% dân số;", "III.2"],
  ["iot_connections_per_person", 4, 2030, "Số lượng kết nối IoT đạt mức trung bình cao của tỉnh hoặc trung bình mỗi người dân 04 kết nối IoT;", "III.2"],
  ["adults_with_digital_signature_pct", 70, 2030, "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử đạt trên 70%;", "III.2"]],
 "tasks": [
  {"code": "1.1", "title": "Triển khai kịp thời các cơ chế, chính sách mới của cơ quan có thẩm quyền nhằm tạo điều kiện, thúc đẩy để các doanh nghiệp phát triển hạ tầng viễn thông băng rộng, ... trên địa bàn huyện theo kế hoạch của doanh nghiệp.", "lead": "Phòng Văn hóa và Thông tin", "partners": "Các phòng, ban, ngành, UBND cấp xã, các doanh nghiệp viễn thông", "due_text": "2025-2030", "due_on": "2030-12-31", "status": "in_progress"},
  {"code": "1.2", "title": "Triển khai quy hoạch hạ tầng kỹ thuật viễn thông thụ động huyện đến năm 2030 và định hướng đến năm 2050 theo định hướng của UBND tỉnh", "lead": "Phòng Văn hóa và Thông tin", "partners": "Các phòng, ban, ngành, UBND cấp xã, các doanh nghiệp viễn thông", "due_text": "2025", "due_on": "2025-12-31", "status": "in_progress"},
  {"code": "2.1", "title": "Phát triển cột ăng ten thu phát sóng thông tin di (4G/5G/6G) trên phạm vi toàn huyện; Phát triển hạ tầng băng rộng cố định tốc độ cao (Gb/s, Tb/s) đáp ứng yêu cầu chuyển đổi số, đặc biệt là khu vực vùng sâu, vùng xa, vùng lõm sóng; tăng cường phát triển thuê bao băng rộng cố định cáp quang tới hộ gia đình.", "lead": "Các doanh nghiệp viễn thông", "partners": "Phòng Văn hóa và Thông tin, UBND cấp xã", "operators": true, "due_text": "2025-2030", "due_on": "2030-12-31", "status": "in_progress"},
  {"code": "2.2", "title": "- Đầu tư, phát triển hạ tầng viễn thông băng thông rộng tốc độ cao; nghiên cứu, triển khai sử dụng thông tin liên lạc vệ tinh để phủ sóng các khu vực đặc biệt khó khăn thuộc vùng sâu, vùng xa. - Đẩy mạnh phát triển thuê bao băng thông rộng cố định tới các thôn, khu dân cư, hộ gia đình; phổ cập dịch vụ truy nhập Internet băng thông rộng tốc độ cao tới các cơ quan, tổ chức, bệnh viện, trường học,... - Tiếp tục tổ chức thực hiện, sử dụng hiệu quả nguồn kinh phí từ Quỹ dịch vụ viễn thông công ích để thực hiện hỗ trợ phổ cập dịch vụ viễn thông băng rộng, máy tính bảng, điện thoại thông minh và thực hiện xây dựng hạ tầng số theo Chương trình triển khai trong từng giai đoạn.", "lead": "Các doanh nghiệp viễn thông", "partners": "Các cơ quan, ban, ngành có liên quan; UBND cấp xã", "operators": true, "due_text": "2025-2030", "due_on": "2030-12-31", "status": "in_progress"},
  {"code": "2.3", "title": "Phát triển hạ tầng kết nối mạng Internet vạn vật (IoT) đáp ứng được yêu cầu của các lĩnh vực giao thông, năng lượng, điện, nước,... phục vụ phát triển đô thị thông minh và kết nối, chia sẻ dữ liệu cho các huyện/thị xã/thành phố.", "lead": "Các các doanh nghiệp viễn thông, Các đơn vị có liên quan", "partners": "Các cơ quan, ban, ngành; UBND cấp xã", "operators": true, "due_text": "2025-2030", "due_on": "2030-12-31"},
  {"code": "2.4", "title": "Đẩy mạnh chia sẻ, sử dụng chung cơ sở hạ tầng kỹ thuật viễn thông thụ động để tăng hiệu quả đầu tư, phát triển hạ tầng của doanh nghiệp, bảo đảm mỹ quan và an toàn cho người dân; triển khai các phương pháp chia sẻ hạ tầng tiên tiến (thụ động/tích cực) tích hợp với các hạ tầng liên ngành có tính thiết yếu (điện, nước, giao thông, xây dựng, chiếu sáng công cộng...).", "lead": "Các các doanh nghiệp viễn thông", "partners": "Điện lực Nghĩa Hành – Minh Long: Phòng Kinh tế và Hạ tầng; UBND cấp xã và các đơn vị có liên quan", "operators": true, "due_text": "2025-2030", "due_on": "2030-12-31", "status": "in_progress"},
  {"code": "2.5", "title": "Chuyển đổi toàn bộ mạng lưới, hệ thống thông tin, ứng dụng công nghệ thông tin sang ứng dụng địa chỉ giao thức Internet thế hệ mới (IPv6).", "lead": "Phòng Văn hóa và Thông tin", "partners": "Các cơ quan, ban, ngành; UBND cấp xã; Các doanh nghiệp viễn thông", "due_text": "2025", "due_on": "2025-12-31", "status": "in_progress"},
  {"code": "3.1", "title": "Triển khai tích hợp cảm biến và ứng dụng công nghệ số vào các hạ tầng thiết yếu như giao thông, năng lượng, điện, nước, đô thị để chuyển đổi thành một bộ phận cấu thành quan trọng của hạ tầng số.", "lead": "Các cơ quan, ban, ngành;", "partners": "Các cơ quan, ban, ngành; UBND cấp xã; Các doanh nghiệp công nghệ số", "due_text": "2025-2030", "due_on": "2030-12-31"},
  {"code": "3.2", "title": "Phát triển hạ tầng vật lý - số trong các lĩnh vực có tác động lớn như giao thông thông minh, y tế thông minh, giáo dục thông minh, nhà máy thông minh, nông nghiệp thông minh, du lịch thông minh... để nâng cao tính cạnh tranh của nền kinh tế.", "lead": "Các cơ quan, ban, ngành;", "partners": "Phòng Văn hóa và Thông tin, Các doanh nghiệp số", "due_text": "2025-2030", "due_on": "2030-12-31"},
  {"code": "4.1", "title": "Triển khai nền tảng thanh toán trực tuyến theo hướng mở rộng các đối tác, đa dạng hình thức thanh toán và triển khai nhân rộng cho các dịch vụ sự nghiệp công (học phí, viện phí, phí rác thải,...) và các giao dịch dân sự (thương mại điện tử,...).", "lead": "Các ngân hàng trên địa bàn huyện", "partners": "Công an huyện; các cơ quan, ban, ngành; UBND cấp xã; các doanh nghiệp viễn thông", "due_text": "2025-2030", "due_on": "2030-12-31"},
  {"code": "4.2", "title": "Triển khai có hiệu quả các nền tảng: tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP); nền tảng hợp trực tuyến; nền tảng giám sát trực tuyến phục vụ công tác quản lý nhà nước; nền tảng Cổng dữ liệu mở; nền tảng dữ liệu không gian dùng chung của tỉnh và các nền tảng dùng chung khác.", "lead": "Phòng Văn hóa và Thông tin, các cơ quan, đơn vị có liên quan", "partners": "Các cơ quan, ban, ngành; UBND cấp huyện; UBND cấp xã", "due_text": "2025-2030", "due_on": "2030-12-31"},
  {"code": "4.3", "title": "Triển khai nền tảng trợ lý ảo phục vụ người dân, doanh nghiệp; nền tảng phân tích, xử lý dữ liệu tổng hợp tập trung; nền tảng số quản trị tổng thể, thống nhất toàn tỉnh phục vụ hoạt động chỉ đạo, điều hành và quản trị nội bộ của cơ quan nhà nước.", "lead": "Văn phòng HĐND&UBND huyện; Phòng Văn hóa và Thông tin", "partners": "Các cơ quan, ban, ngành; UBND cấp xã", "due_text": "2025-2030", "due_on": "2030-12-31"},
  {"code": "4.4", "title": "Tiếp tục triển khai các nền tảng trợ lý ảo phục vụ công chức, viên chức; App G-Quảng Ngãi và App C-Quảng Ngãi.", "lead": "Phòng Văn hóa và Thông tin", "partners": "Các cơ quan, ban, ngành; UBND cấp xã", "due_text": "2025-2030", "due_on": "2030-12-31"},
  {"code": "4.5", "title": "Triển khai, khai thác và sử dụng hiệu quả cơ sở dữ liệu Quốc gia, cơ sở dữ liệu chuyên ngành; các nền tảng số Quốc gia dùng chung theo ngành, lĩnh vực do các bộ, ngành Trung ương chủ trì và công bố.", "lead": "Các cơ quan, ban, ngành; UBND cấp xã", "due_text": "2025-2030", "due_on": "2030-12-31"},
  {"code": "5", "title": "Tổ chức tập huấn, tuyên truyền với nhiều hình thức khác nhau nhằm nâng cao nhận thức về an ninh, an toàn thông tin trên mạng viễn thông và Internet.", "lead": "Phòng Văn hóa và Thông tin", "partners": "Các cơ quan, ban, ngành; UBND cấp xã", "due_text": "Thường xuyên hàng năm", "yearly": true},
  {"code": "6.1", "title": "Truyền thông về “Phát triển hạ tầng số với hệ sinh thái mở, tạo niềm tin số” tạo sự đồng thuận xã hội, sự ủng hộ của Nhà nước; Tổ chức tuyên truyền, phổ biến nội dung, chính sách pháp luật để nâng cao nhận thức cho người dân và toàn xã hội về phát triển hạ tầng số.", "lead": "Các cơ quan, ban, ngành; UBND cấp xã", "partners": "Phòng Văn hóa và Thông tin", "due_text": "Thường xuyên hàng năm", "yearly": true},
  {"code": "6.2", "title": "Tổ chức phổ cập kỹ năng số cho người dân, hướng dẫn người dân sử dụng các dịch vụ số.", "lead": "Phòng Văn hóa và Thông tin", "partners": "Các cơ quan, ban, ngành; UBND cấp xã", "due_text": "Thường xuyên hàng năm", "yearly": true}],
 "duties": [
  {"reporter": "Các cơ quan, ban, ngành, Ủy ban nhân dân các xã và các doanh nghiệp viễn thông trên địa bàn huyện", "recipient": "UBND huyện (qua Phòng Văn hóa và Thông tin)", "what": "Báo cáo kết quả thực hiện Kế hoạch", "day": 15, "month": 12, "kind": "department",
   "sentence": "định kỳ hàng năm (trước ngày 15/12), báo cáo UBND huyện (qua Phòng Văn hóa và Thông tin) về kết quả thực hiện"},
  {"reporter": "Các doanh nghiệp Viễn thông, Internet", "recipient": "UBND huyện (qua Phòng Văn hóa và Thông tin)", "what": "Gửi Kế hoạch của doanh nghiệp (phát triển hạ tầng viễn thông trên địa bàn huyện)", "day": 15, "month": 12, "kind": "operators",
   "sentence": "Gửi Kế hoạch về UBND huyện (qua Phòng Văn hóa và Thông tin) trước ngày 15/12 hàng năm để theo dõi, quản lý và phối hợp thực hiện."}]}
$doc$::jsonb);

----------------------------------------------------------------------------
-- Seed 003: Thủy Nguyên ward (Hải Phòng), 2026–2030.
----------------------------------------------------------------------------
select pg_temp.demo_plan((select id from admin_unit where gso_code = '11560'), $doc$
{"issuer": "UBND phường Thủy Nguyên", "signer": "Bùi Văn Biên",
 "title": "Kế hoạch phát triển hạ tầng số trên địa bàn phường Thuỷ Nguyên giai đoạn 2026 - 2030",
 "from": 2026, "to": 2030,
 "basis": "Thực hiện Kế hoạch số 317/KH-UBND ngày 02/12/2025 của Ủy ban nhân dân thành phố về việc phát triển hạ tầng số trên địa bàn thành phố Hải Phòng giai đoạn 2026 – 2030",
 "note": "Bản kế hoạch không ghi số, ngày; Phụ lục 01 (chỉ tiêu) và Phụ lục 02 (nhiệm vụ) không có trong bản sao. Người ký: KT. Chủ tịch, Phó Chủ tịch. Đo lường theo Bộ chỉ số DTI và Bộ tiêu chí DII (Quyết định số 885/QĐ-BTTTT ngày 25/5/2023 của Bộ Thông tin và Truyền thông: 24 tiêu chí, 6 nhóm). Kế hoạch không nêu ngày báo cáo định kỳ.",
 "targets": [
  ["gigabit_households_pct", 100, 2030, "100% người sử dụng có khả năng truy nhập cáp quang với tốc độ 1Gbps trở lên và được tiếp cận, sử dụng các giải pháp an toàn bảo mật khi truy cập mạng Internet.", "II.2"],
  ["adults_with_smartphone_pct", 100, 2030, "Mỗi người dân trưởng thành có 01 smartphone, có 01 tài khoản thư điện tử (Email) công dân", "II.2"],
  ["adults_with_citizen_email_pct", 100, 2030, "Mỗi người dân trưởng thành có 01 smartphone, có 01 tài khoản thư điện tử (Email) công dân", "II.2"],
  ["community_houses_with_free_wifi_pct", 100, 2030, "Tỷ lệ Nhà Văn hóa tổ dân phố trên địa bàn phường có Wifi kết nối Internet tốc độ cao phục vụ miễn phí đạt 100%.", "II.2"],
  ["population_5g_covered_pct", 100, 2030, "Mạng băng rộng di động 5G phủ sóng 100% dân số.", "II.2"],
  ["agencies_using_ipv6_pct", 100, 2030, "100% các cơ quan, đơn vị thuộc phường sử dụng IPv6; sẵn sàng cho IPv6 only, Internet of Things.", "II.2"]],
 "tasks": [
  {"code": "III.1", "title": "Phối hợp, triển khai hạ tầng băng rộng cố định tốc độ cao (Gbps, Tbps), đẩy mạnh phát triển thuê bao băng rộng cố định FTTH tới hộ gia đình; đảm bảo mạng Internet băng thông rộng, tốc độ cao được phủ 100% các cơ quan nhà nước, trường học, bệnh viện… trên địa bàn phường.", "lead": "Các doanh nghiệp viễn thông trên địa bàn", "partners": "Phòng Kinh tế, Hạ tầng và Đô thị", "operators": true, "due_text": "2026-2030", "due_on": "2030-12-31", "status": "in_progress"},
  {"code": "III.7", "title": "Phối hợp, triển khai các hệ thống đo lường, giám sát và quản lý nhà nước về hạ tầng số theo Bộ chỉ số Chuyển đổi số (DTI) và Bộ tiêu chí đánh giá phát triển hạ tầng số (DII); đo lường tốc độ truy nhập Internet băng rộng qua ứng dụng I-Speed; khảo sát, thu thập số liệu, công bố kết quả thực hiện các mục tiêu.", "lead": "Phòng Văn hóa – Xã hội", "partners": "Các doanh nghiệp viễn thông", "due_text": "Hằng năm", "yearly": true, "status": "in_progress"},
  {"code": "V.1", "title": "Phối hợp Sở Khoa học và Công nghệ trong công tác quản lý nhà nước về viễn thông. Tăng cường công tác kiểm tra và xử lý nghiêm các trường hợp vi phạm về xây dựng, phát triển hạ tầng kỹ thuật viễn thông thụ động theo đúng quy định của pháp luật.", "lead": "Phòng Văn hóa – Xã hội", "partners": "Sở Khoa học và Công nghệ", "due_text": "Thường xuyên", "yearly": true},
  {"code": "V.2", "title": "Chủ trì cùng các cơ quan, đơn vị liên quan đề xuất xây dựng và triển khai các biện pháp thực thi pháp luật về an toàn thông tin mạng, an ninh mạng, bảo vệ dữ liệu cá nhân.", "lead": "Công an phường", "due_text": "Thường xuyên", "yearly": true},
  {"code": "V.3", "title": "Tham mưu Ủy ban nhân dân phường lên phương án bố trí kinh phí triển khai thực hiện các nhiệm vụ tại Kế hoạch; tạo điều kiện trong việc cấp phép xây dựng các công trình xây dựng thuộc hạ tầng số; hướng dẫn các doanh nghiệp viễn thông xây dựng và phát triển hạ tầng kỹ thuật viễn thông thụ động phù hợp với quy hoạch kiến trúc, đô thị của phường.", "lead": "Phòng Kinh tế, Hạ tầng và Đô thị", "due_text": "2026-2030", "due_on": "2030-12-31", "status": "in_progress"},
  {"code": "V.5", "title": "Tuyên truyền vận động tổ chức, cá nhân về tầm quan trọng của công tác phát triển hạ tầng số, trong đó có hạ tầng viễn thông và đặc biệt là việc xây dựng các trạm phát sóng di động BTS.", "lead": "Trung tâm Dịch vụ sự nghiệp công phường", "due_text": "Thường xuyên", "yearly": true},
  {"code": "V.6", "title": "Chấp hành nghiêm các quy định về sử dụng chung hạ tầng kỹ thuật; tăng cường việc chia sẻ, sử dụng chung hạ tầng viễn thông và hạ tầng kỹ thuật liên ngành; tích cực tham gia, đồng hành cùng thành phố phát triển hệ thống Wifi công cộng trên địa bàn.", "lead": "Các doanh nghiệp viễn thông trên địa bàn", "operators": true, "due_text": "2026-2030", "due_on": "2030-12-31"}]}
$doc$::jsonb);

----------------------------------------------------------------------------
-- Seed 004: Phú Sơn ward (Bỉm Sơn town, Thanh Hóa), before 1/7/2025.
----------------------------------------------------------------------------
select pg_temp.demo_plan((select id from admin_unit where gso_code = '14823'), $doc$
{"issuer": "UBND phường Phú Sơn", "signer": "Nguyễn Xuân Lâm",
 "title": "Kế hoạch phát triển hạ tầng số đến năm 2025 và định hướng đến năm 2030 trên địa bàn phường Phú Sơn",
 "from": 2025, "to": 2030,
 "basis": "Thực hiện Kế hoạch số 370/KH-UBND ngày 10/02/2025 của UBND thị xã Bỉm Sơn về việc phát triển hạ tầng số đến năm 2025 và định hướng đến năm 2030 trên địa bàn thị xã Bỉm Sơn",
 "note": "Bản kế hoạch không ghi số và ngày; không nêu ngày báo cáo định kỳ. Từ 01/7/2025 phường Phú Sơn được sắp xếp vào phường Quang Trung (Nghị quyết số 1686/NQ-UBTVQH15). \"100% các địa điểm tại phường được phủ sóng 5G\" được đo bằng tỷ lệ dân số trong vùng phủ sóng 5G.",
 "targets": [
  ["fibre_households_passed_pct", 95, 2025, "Phối hợp đơn vị VT phổ cập mạng cáp quang đến 95% các hộ gia đình.", "I.3.1"],
  ["internal_networks_secured_pct", 100, 2025, "100% hệ thống thông tin mạng nội bộ tại cơ quan được triển khai đầy đủ các phương án an toàn thông tin theo Hồ sơ cấp độ an toàn thông tin được phê duyệt và đủ năng lực kết nối mạng truyền số liệu chuyên dùng phục vụ cơ quan Đảng ủy, UBND phường.", "I.3.1"],
  ["iot_connections_per_person", 1, 2025, "Trung bình mỗi người dân có 01 kết nối Internet vạn vật (IoT - Internet of Things).", "I.3.1"],
  ["adults_with_eid_pct", 80, 2025, "Tỷ lệ dân số trưởng thành (từ 18 tuổi trở lên) có tài khoản định danh điện tử đạt 80%.", "I.3.1"],
  ["adults_with_digital_signature_pct", 50, 2025, "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử đạt trên 50%.", "I.3.1"],
  ["gigabit_households_pct", 100, 2030, "100% người sử dụng có khả năng truy nhập cáp quang với tốc độ 1Gb/s trở lên.", "I.3.2"],
  ["population_5g_covered_pct", 100, 2030, "100% các địa điểm tại phường được phủ sóng mạng băng rộng di động 5G.", "I.3.2"],
  ["adults_with_digital_signature_pct", 70, 2030, "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử đạt trên 70%.", "I.3.2"]],
 "tasks": [
  {"code": "IV.1", "title": "Chủ trì, hướng dẫn, tổ chức triển khai thực hiện kế hoạch; tổng hợp, tham mưu, báo cáo UBND Thị xã về tiến độ và kết quả thực hiện Kế hoạch đảm bảo theo quy định.", "lead": "Công chức Văn phòng - thống kê", "partners": "Các phòng, ban, cơ quan, đơn vị có liên quan", "due_text": "Hằng năm", "yearly": true},
  {"code": "IV.2", "title": "Tuyên truyền trên hệ thống truyền thanh phường, Trang thông tin điện tử, nền tảng số, mạng xã hội nhằm nâng cao nhận thức về ý nghĩa, tầm quan trọng của hạ tầng số; nâng cao kỹ năng số cơ bản cho CBCC-VC, người dân trên địa bàn.", "lead": "Công chức phụ trách VH-XH", "due_text": "Thường xuyên", "yearly": true},
  {"code": "IV.3", "title": "Phối hợp với phòng Tài chính kế hoạch thị xã đề nghị hỗ trợ ngân sách nhà nước; tham mưu cho UBND phường bố trí kinh phí để thực hiện Kế hoạch.", "lead": "Công chức Tài chính - kế toán", "partners": "Phòng Tài chính kế hoạch thị xã", "due_text": "Hằng năm", "yearly": true},
  {"code": "IV.4", "title": "Phối hợp với đơn vị viễn thông rà soát lập danh mục các tuyến đường cần phải xây dựng, sửa chữa, nâng cấp công trình hạ tầng viễn thông sử dụng chung; tiếp nhận thông tin phản ánh về các trường hợp xây dựng công trình hạ tầng viễn thông sử dụng chung không đúng quy định, không đảm bảo an toàn; các sự cố về công trình hạ tầng viễn thông sử dụng chung.", "lead": "Công chức Địa chính - xây dựng", "partners": "Các doanh nghiệp viễn thông", "due_text": "2025", "due_on": "2025-12-31"},
  {"code": "IV.4b", "title": "Cung cấp kịp thời thông tin liên quan về dự án nâng cấp, cải tạo các công trình giao thông trên địa bàn phường để các doanh nghiệp viễn thông biết, thực hiện kế hoạch xây dựng, lắp đặt các công trình hạ tầng kỹ thuật viễn thông.", "lead": "Công chức Địa chính - xây dựng", "partners": "Các doanh nghiệp viễn thông", "due_text": "Thường xuyên", "yearly": true}]}
$doc$::jsonb);

-- Progress notes on Chánh Lộ's tasks (SYNTHETIC), as the ward's staff wrote them.
insert into plan_task_note (task_id, note, status, evidence, author, created_at)
select t.id, n.note, n.status, n.evidence, 'user:canbo.camthanh', n.at::timestamptz
from plan_task t
join plan p on p.id = t.plan_id and p.unit_id = (select id from admin_unit where gso_code = '21031' and level = 'ward')
join (values
    ('III.1', 'Đã rà soát, trình UBND phường kế hoạch điều chỉnh (minh họa).', 'done', 'Tờ trình số 12/TTr-VHTT (minh họa)', '2025-09-15 09:00+07'),
    ('III.5', 'Đã chuyển 4/7 hệ thống sang IPv6; còn cổng thông tin và 2 máy chủ nội bộ (minh họa).', 'in_progress', null, '2025-11-20 10:00+07'),
    ('III.8', 'Chưa triển khai do chờ hướng dẫn của thành phố sau sắp xếp (minh họa).', null, null, '2026-03-10 14:00+07'),
    ('III.3b', 'VNPT, Viettel báo cáo đã kéo cáp quang đến 12/12 tổ dân phố; còn 1 tổ dân phố sóng 4G yếu (minh họa).', 'in_progress', 'Số liệu doanh nghiệp nộp đợt 6/2026', '2026-07-20 08:30+07')
) as n (code, note, status, evidence, at) on n.code = t.code
order by t.id;

----------------------------------------------------------------------------
-- Figures (SYNTHETIC): households and population of Chánh Lộ's tổ dân phố,
-- what operators filed for them, what the ward's departments declared, and
-- registry snapshots before today for the trend.
----------------------------------------------------------------------------
create temp table demo_tdp as
select u.id, u.name, row_number() over (order by length(u.name), u.name) as n,
       360 + round(pg_temp.demo_u('hh/' || u.name) * 160)::int as households
from admin_unit u
where u.level = 'neighbourhood' and u.parent_id = (select id from admin_unit where gso_code = '21031' and level = 'ward');

insert into unit_population (unit_id, as_of, households, population, adults, source, synthetic, supplied_by)
select t.id, y.as_of, round(t.households * y.growth)::int,
       round(t.households * y.growth * (3.6 + pg_temp.demo_u('pp/' || t.name) * 0.3))::int,
       round(t.households * y.growth * (3.6 + pg_temp.demo_u('pp/' || t.name) * 0.3) * 0.74)::int,
       'Bảng thống kê dân số theo tổ dân phố của phường Chánh Lộ (dữ liệu minh họa)', true, 'system'
from demo_tdp t
cross join (values ('2024-12-31'::date, 0.98), ('2025-12-31'::date, 1.0)) as y (as_of, growth)
order by t.id, y.as_of;

-- What operators filed per tổ dân phố each half-year. The share of
-- households passed rises over the filings; two operators overlap.
create temp table demo_filing (as_of date, wave int);
insert into demo_filing values ('2024-12-31', 0), ('2025-06-30', 1), ('2025-12-31', 2), ('2026-06-30', 3);

insert into indicator_value (indicator, unit_id, as_of, value, source, operator_id, method, supplied_by, filing_version, synthetic, note)
select k.indicator, t.id, f.as_of,
       round(case k.indicator
           when 'fibre_households_passed' then least(1.0, o.reach + 0.06 * f.wave + (pg_temp.demo_u(o.code || t.name) - 0.5) * 0.1) * t.households
           when 'fibre_households_gigabit' then least(1.0, o.reach + 0.06 * f.wave) * t.households * least(1.0, 0.25 + 0.2 * f.wave)
           when 'fibre_households_subscribed' then t.households * o.take * (0.88 + 0.04 * f.wave) * (0.9 + pg_temp.demo_u('s' || o.code || t.name) * 0.2)
           when 'fibre_max_speed_mbps' then case when f.wave >= 2 then 1000 else 300 end
       end::numeric, 0)::float8,
       'filed', op.id, 'upload', 'user:' || lower(o.code) || '.qng', 1, true, 'Số liệu minh họa'
from demo_tdp t
cross join demo_filing f
cross join (values ('VNPT', 0.80, 0.38), ('VIETTEL', 0.72, 0.30), ('FPT', 0.45, 0.08)) as o (code, reach, take)
cross join (values ('fibre_households_passed'), ('fibre_households_gigabit'), ('fibre_households_subscribed'), ('fibre_max_speed_mbps')) as k (indicator)
join operator op on op.code = o.code
where not (o.code = 'FPT' and t.n > 8)
order by t.id, f.as_of, op.id, k.indicator;

-- Coverage from the operators' polygons: per operator (filed) and the union
-- of all of them that Hatang works out (computed), by area. Tổ dân phố 11
-- lies behind a hill: weak 4G and 5G.
insert into indicator_value (indicator, unit_id, as_of, value, source, operator_id, method, supplied_by, filing_version, synthetic, note)
select k.indicator, t.id, f.as_of,
       round((select p.population from unit_population p where p.unit_id = t.id order by p.as_of desc limit 1)
             * case when k.tech = '4g' then case when t.n = 11 then 0.35 else least(1.0, o.g4 + 0.02 * f.wave) end
                    else least(case when t.n = 11 then 0.30 else 1.0 end,
                               greatest(0.0, o.g5 * f.wave + (pg_temp.demo_u('5g' || o.code || t.name) - 0.5) * 0.2)) end
             * case when k.indicator like 'households%' then 1.0 / 3.75 else 1.0 end)::float8,
       'filed', op.id, 'area_weighted', 'user:' || lower(o.code) || '.qng', 1, true, 'Số liệu minh họa'
from demo_tdp t
cross join demo_filing f
cross join (values ('VIETTEL', 0.97, 0.22), ('VNPT', 0.94, 0.16), ('MOBIFONE', 0.90, 0.10)) as o (code, g4, g5)
cross join (values ('population_covered_4g', '4g'), ('population_covered_5g', '5g'),
                   ('households_covered_4g', '4g'), ('households_covered_5g', '5g')) as k (indicator, tech)
join operator op on op.code = o.code
order by t.id, f.as_of, op.id, k.indicator;

insert into indicator_value (indicator, unit_id, as_of, value, source, method, supplied_by, synthetic, note)
select v.indicator, v.unit_id, v.as_of,
       least(max(v.value) * 1.08,
             (select case when v.indicator like 'households%' then p.households else p.population end
              from unit_population p where p.unit_id = v.unit_id order by p.as_of desc limit 1)),
       'computed', 'area_weighted', 'system', true, 'Hợp vùng phủ sóng của các doanh nghiệp (minh họa)'
from indicator_value v
where v.indicator in ('population_covered_4g', 'population_covered_5g', 'households_covered_4g', 'households_covered_5g')
  and v.source = 'filed'
group by v.indicator, v.unit_id, v.as_of
order by v.unit_id, v.as_of, v.indicator;

-- What the ward's departments declared, with what they cite.
insert into indicator_value (indicator, unit_id, as_of, value, numerator, denominator, source, method, supplied_by, evidence, synthetic)
select d.indicator, (select id from admin_unit where gso_code = '21031' and level = 'ward'), d.as_of::date, d.value,
       d.n, d.d, 'declared', 'declared', 'user:canbo.camthanh', d.evidence, true
from (values
    ('adults_with_smartphone_pct', '2024-11-25', 74.5, null::float8, null::float8, 'Báo cáo khảo sát của bộ phận Văn hóa - Thông tin năm 2024 (minh họa)'),
    ('adults_with_smartphone_pct', '2025-11-25', 81.2, null, null, 'Báo cáo khảo sát của bộ phận Văn hóa - Thông tin năm 2025 (minh họa)'),
    ('adults_with_smartphone_pct', '2026-11-25', 84.6, null, null, 'Báo cáo khảo sát của bộ phận Văn hóa - Thông tin năm 2026 (minh họa)'),
    ('households_with_smart_device_pct', '2024-11-25', 72.0, null, null, 'Báo cáo khảo sát hộ gia đình năm 2024 (minh họa)'),
    ('households_with_smart_device_pct', '2025-11-25', 79.5, null, null, 'Báo cáo khảo sát hộ gia đình năm 2025 (minh họa)'),
    ('households_with_smart_device_pct', '2026-11-25', 83.1, null, null, 'Báo cáo khảo sát hộ gia đình năm 2026 (minh họa)'),
    ('departments_on_shared_lan_pct', '2025-11-25', 100, 9, 9, 'Biên bản kiểm tra hệ thống mạng nội bộ UBND phường (minh họa)'),
    ('systems_on_specialised_network_pct', '2025-11-25', 71.43, 5, 7, 'Danh sách hệ thống thông tin dùng chung (minh họa)'),
    ('systems_on_specialised_network_pct', '2026-11-25', 85.71, 6, 7, 'Danh sách hệ thống thông tin dùng chung (minh họa)'),
    ('enterprises_iot_capable_pct', '2026-11-25', 41.0, null, null, 'Khảo sát doanh nghiệp trên địa bàn (minh họa)')
) as d (indicator, as_of, value, n, d, evidence)
order by d.indicator, d.as_of;

-- Registry snapshots at the end of 2024 and 2025 for Chánh Lộ: towers and
-- poles shared counted from the tenancies in force on those days (the demo's
-- assets all standing then), so the trend has points before today.
insert into indicator_value (indicator, unit_id, as_of, value, numerator, denominator, source, method, supplied_by, synthetic, note)
select k.indicator, w.id, d.day,
       round((100.0 * s.shared / nullif(s.total, 0))::numeric, 2)::float8, s.shared, s.total,
       'computed', 'registry', 'system', true, 'Tính lại từ thời hạn hợp đồng dùng chung (minh họa)'
from admin_unit w
cross join (values ('2024-12-31'::date), ('2025-12-31'::date)) as d (day)
cross join (values ('towers_shared_pct', 'tower'), ('poles_shared_pct', 'pole')) as k (indicator, kind)
cross join lateral (
    select count(*) filter (where exists (
               select 1 from tenancy x where x.asset_id = a.id and x.tenant_id <> a.owner_id
                 and x.since <= d.day and (x.until is null or x.until >= d.day)))::float8 as shared,
           count(*)::float8 as total
    from asset a
    where a.kind = k.kind and a.status in ('operational', 'inactive') and ST_Intersects(a.geom, w.boundary)) s
where w.gso_code = '21031' and w.level = 'ward' and s.total > 0
order by d.day, k.indicator;

drop table demo_filing;
drop table demo_tdp;
drop function pg_temp.demo_plan(bigint, jsonb);
drop function pg_temp.demo_u(text);
