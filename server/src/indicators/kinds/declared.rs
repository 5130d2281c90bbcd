//! What departments count and declare, with the evidence they cite (a
//! report of the police on electronic identification, a survey of the
//! culture-society office): shares of people, households, agencies or places.

use super::Kind;
use crate::indicators::{Aggregate, Better, Combine, How, Measure, Meta, Source};

const fn declared(
    code: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
    measure: Measure,
    method_vi: &'static str,
) -> Kind {
    Kind {
        meta: Meta {
            code,
            name_vi,
            name_en,
            source: Source::Declared,
            measure,
            better: Better::Higher,
            aggregate: match measure {
                Measure::Percent => Aggregate::Share,
                _ => Aggregate::Sum,
            },
            combine: Combine::Max,
            method_vi,
        },
        how: How::Stored,
    }
}

pub static ADULTS_WITH_SMARTPHONE_PCT: Kind = declared(
    "adults_with_smartphone_pct",
    "Tỷ lệ dân số trưởng thành có điện thoại thông minh",
    "Adults with a smartphone",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai theo số liệu điều tra, khảo sát, kèm tài liệu chứng minh.",
);

pub static HOUSEHOLDS_WITH_SMART_DEVICE_PCT: Kind = declared(
    "households_with_smart_device_pct",
    "Tỷ lệ hộ gia đình có ít nhất 01 thiết bị thông minh",
    "Households with at least one smart device",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai theo số liệu điều tra, khảo sát, kèm tài liệu chứng minh.",
);

pub static ADULTS_WITH_DIGITAL_SIGNATURE_PCT: Kind = declared(
    "adults_with_digital_signature_pct",
    "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử",
    "Adults with a digital or electronic signature",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai theo số liệu của các tổ chức cung cấp dịch vụ chứng thực chữ ký số, kèm tài liệu chứng minh.",
);

pub static ADULTS_WITH_EID_PCT: Kind = declared(
    "adults_with_eid_pct",
    "Tỷ lệ dân số trưởng thành có tài khoản định danh điện tử",
    "Adults with an electronic identification account",
    Measure::Percent,
    "Kê khai theo số liệu của Công an phường (tài khoản định danh điện tử VNeID mức 2), kèm tài liệu chứng minh.",
);

pub static POPULATION_WITH_DIGITAL_ID_PCT: Kind = declared(
    "population_with_digital_id_pct",
    "Tỷ lệ người dân có định danh số",
    "Residents with a digital identity",
    Measure::Percent,
    "Kê khai theo số liệu của Công an phường, kèm tài liệu chứng minh.",
);

pub static ADULTS_WITH_CITIZEN_EMAIL_PCT: Kind = declared(
    "adults_with_citizen_email_pct",
    "Tỷ lệ người dân trưởng thành có tài khoản thư điện tử công dân",
    "Adults with a citizen e-mail account",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai, kèm tài liệu chứng minh.",
);

pub static IOT_CONNECTIONS_PER_PERSON: Kind = declared(
    "iot_connections_per_person",
    "Số kết nối Internet vạn vật (IoT) bình quân mỗi người dân",
    "IoT connections per resident",
    Measure::PerPerson,
    "Kê khai theo số liệu doanh nghiệp viễn thông cung cấp, chia cho dân số.",
);

pub static CENTRE_AREAS_WITH_5G_PCT: Kind = declared(
    "centre_areas_with_5g_pct",
    "Tỷ lệ khu vực trung tâm và điểm có thiết bị quan trắc có dịch vụ di động 5G",
    "Centre areas and monitoring points with 5G service",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai theo danh mục khu vực trung tâm, điểm quan trắc và kết quả đo kiểm.",
);

pub static COMMUNITY_HOUSES_WITH_FREE_WIFI_PCT: Kind = declared(
    "community_houses_with_free_wifi_pct",
    "Tỷ lệ nhà văn hóa tổ dân phố có Wi-Fi miễn phí tốc độ cao",
    "Neighbourhood community houses with free high-speed Wi-Fi",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai theo danh sách nhà văn hóa tổ dân phố.",
);

pub static AGENCIES_USING_IPV6_PCT: Kind = declared(
    "agencies_using_ipv6_pct",
    "Tỷ lệ cơ quan, đơn vị thuộc phường sử dụng IPv6",
    "Agencies of the ward using IPv6",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai theo kết quả kiểm tra kết nối.",
);

pub static DEPARTMENTS_ON_SHARED_LAN_PCT: Kind = declared(
    "departments_on_shared_lan_pct",
    "Tỷ lệ ban ngành, bộ phận chuyên môn sử dụng chung mạng nội bộ của UBND phường",
    "Departments on the ward's shared internal network",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai.",
);

pub static SYSTEMS_ON_SPECIALISED_NETWORK_PCT: Kind = declared(
    "systems_on_specialised_network_pct",
    "Tỷ lệ hệ thống thông tin dùng chung kết nối mạng truyền số liệu chuyên dùng",
    "Shared information systems on the specialised data network",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai.",
);

pub static ENTERPRISES_IOT_CAPABLE_PCT: Kind = declared(
    "enterprises_iot_capable_pct",
    "Tỷ lệ doanh nghiệp trên địa bàn có khả năng ứng dụng IoT",
    "Enterprises able to use IoT",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai theo khảo sát doanh nghiệp.",
);

pub static INTERNAL_NETWORKS_SECURED_PCT: Kind = declared(
    "internal_networks_secured_pct",
    "Tỷ lệ hệ thống mạng nội bộ triển khai đầy đủ phương án an toàn thông tin theo cấp độ",
    "Internal networks secured as their security level requires",
    Measure::Percent,
    "Bộ phận chuyên môn kê khai theo hồ sơ cấp độ an toàn thông tin được phê duyệt.",
);
