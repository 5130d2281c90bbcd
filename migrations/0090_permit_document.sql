-- The printed construction permit: which form it follows, the legal bases it
-- cites (căn cứ) and what its holder must do, for each period, as the rule
-- `document.permit`. Like every rule this is data: an admin corrects it through
-- /api/v1/rules when a new decree replaces the form.
--
-- Since 1/7/2025 the ward's (commune's) People's Committee issues construction
-- permits (Decree 140/2025/NĐ-CP of 12/6/2025, in force 1/7/2025); the
-- procedure and the forms are those of the Construction Law 2014 (amended
-- 2020) and Decree 175/2024/NĐ-CP of 30/12/2024, whose Phụ lục II holds the
-- forms of the application (Mẫu số 1) and of the permits.
--
-- From 1/7/2026 the Construction Law 135/2025/QH15 applies. The decree
-- detailing it is cited by secondary sources as Decree 217/2026/NĐ-CP (same
-- date); neither its text nor its Phụ lục II has been checked here, so that
-- period is marked provisional until someone compares it with the Official
-- Gazette (Công báo).

insert into rule_setting (rule_key, province_code, valid_from, valid_to, value, citation, note, provisional) values
    ('document.permit', null, '2025-07-01', '2026-06-30', $json$
    {"form": "Mẫu giấy phép xây dựng, Phụ lục II Nghị định số 175/2024/NĐ-CP",
     "bases": [
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;",
        "Căn cứ Luật Xây dựng số 50/2014/QH13 ngày 18 tháng 6 năm 2014; Luật sửa đổi, bổ sung một số điều của Luật Xây dựng số 62/2020/QH14 ngày 17 tháng 6 năm 2020;",
        "Căn cứ Luật Viễn thông số 24/2023/QH15 ngày 24 tháng 11 năm 2023;",
        "Căn cứ Nghị định số 175/2024/NĐ-CP ngày 30 tháng 12 năm 2024 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý hoạt động xây dựng;",
        "Căn cứ Nghị định số 140/2025/NĐ-CP ngày 12 tháng 6 năm 2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Xây dựng;"
     ],
     "duties": [
        "Chịu trách nhiệm trước pháp luật nếu xâm phạm quyền, lợi ích hợp pháp của các chủ sở hữu công trình liền kề.",
        "Thực hiện đúng quy định của pháp luật về đất đai, về đầu tư xây dựng, về viễn thông và nội dung Giấy phép xây dựng này.",
        "Thông báo cho cơ quan cấp giấy phép xây dựng đến kiểm tra khi định vị công trình, thi công móng và phần ngầm của công trình.",
        "Xuất trình Giấy phép xây dựng khi cơ quan có thẩm quyền yêu cầu và treo biển báo tại địa điểm thi công; gắn biển tên chủ sở hữu trên công trình (QCVN 33:2019/BTTTT).",
        "Khi điều chỉnh thiết kế làm thay đổi nội dung quy định tại khoản 1 Điều 98 Luật Xây dựng năm 2014 thì phải đề nghị điều chỉnh giấy phép xây dựng và chờ quyết định của cơ quan cấp giấy phép.",
        "Gửi bản sao Giấy phép xây dựng cho Sở Xây dựng và Sở Khoa học và Công nghệ trong 07 ngày làm việc kể từ ngày được cấp."
     ],
     "department": "Phòng Kinh tế, Hạ tầng và Đô thị",
     "department_symbol": "KTHTĐT"}$json$,
     'Nghị định 175/2024/NĐ-CP, Phụ lục II (mẫu giấy phép xây dựng); Nghị định 140/2025/NĐ-CP, Điều 4 (thẩm quyền của Ủy ban nhân dân cấp xã)',
     'Căn cứ pháp lý và nghĩa vụ của chủ đầu tư in trên giấy phép xây dựng.', false),
    ('document.permit', null, '2026-07-01', null, $json$
    {"form": "Mẫu giấy phép xây dựng, Phụ lục II Nghị định hướng dẫn Luật Xây dựng số 135/2025/QH15 (dẫn theo nguồn thứ cấp: Nghị định số 217/2026/NĐ-CP)",
     "bases": [
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;",
        "Căn cứ Luật Xây dựng số 135/2025/QH15;",
        "Căn cứ Luật Viễn thông số 24/2023/QH15 ngày 24 tháng 11 năm 2023;",
        "Căn cứ Nghị định số 217/2026/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Xây dựng;",
        "Căn cứ Nghị định số 140/2025/NĐ-CP ngày 12 tháng 6 năm 2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Xây dựng;"
     ],
     "duties": [
        "Chịu trách nhiệm trước pháp luật nếu xâm phạm quyền, lợi ích hợp pháp của các chủ sở hữu công trình liền kề.",
        "Thực hiện đúng quy định của pháp luật về đất đai, về đầu tư xây dựng, về viễn thông và nội dung Giấy phép xây dựng này.",
        "Thông báo cho cơ quan cấp giấy phép xây dựng đến kiểm tra khi định vị công trình, thi công móng và phần ngầm của công trình.",
        "Xuất trình Giấy phép xây dựng khi cơ quan có thẩm quyền yêu cầu và treo biển báo tại địa điểm thi công; gắn biển tên chủ sở hữu trên công trình (QCVN 33:2019/BTTTT).",
        "Khi điều chỉnh thiết kế làm thay đổi nội dung của Giấy phép xây dựng này thì phải đề nghị điều chỉnh giấy phép xây dựng và chờ quyết định của cơ quan cấp giấy phép.",
        "Gửi bản sao Giấy phép xây dựng cho Sở Xây dựng và Sở Khoa học và Công nghệ trong 07 ngày làm việc kể từ ngày được cấp."
     ],
     "department": "Phòng Kinh tế, Hạ tầng và Đô thị",
     "department_symbol": "KTHTĐT"}$json$,
     'Luật Xây dựng 135/2025/QH15 (áp dụng từ 01/7/2026); Nghị định 140/2025/NĐ-CP, Điều 4',
     'Số hiệu nghị định hướng dẫn và mẫu giấy phép theo nguồn thứ cấp; cần đối chiếu Công báo trước khi dùng.', true);
