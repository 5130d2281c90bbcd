//! What operators file each half-year (through the filings module), per
//! neighbourhood unit and operator: fixed broadband (households passed,
//! households that can get 1 Gb/s, households subscribed, the highest speed
//! offered), and mobile coverage by technology — population and households
//! covered, which Hatang works out by intersecting the operator's coverage
//! polygons with the neighbourhood units (by area, or by household points
//! where they exist; the value's `method` says which).

use super::Kind;
use crate::indicators::{Aggregate, Better, Combine, How, Measure, Meta, Source};

const fn filed(
    code: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
    measure: Measure,
    aggregate: Aggregate,
    combine: Combine,
    method_vi: &'static str,
) -> Kind {
    Kind {
        meta: Meta {
            code,
            name_vi,
            name_en,
            source: Source::Filed,
            measure,
            better: Better::Higher,
            aggregate,
            combine,
            method_vi,
        },
        how: How::Stored,
    }
}

pub static FIBRE_HOUSEHOLDS_PASSED: Kind = filed(
    "fibre_households_passed",
    "Số hộ gia đình có thể kết nối cáp quang (hộ được phủ)",
    "Households passed by fibre",
    Measure::Count,
    Aggregate::Sum,
    Combine::Max,
    "Doanh nghiệp báo cáo theo tổ dân phố/thôn; nhiều doanh nghiệp cùng phủ một tổ dân phố thì lấy số lớn nhất (không cộng trùng).",
);

pub static FIBRE_HOUSEHOLDS_GIGABIT: Kind = filed(
    "fibre_households_gigabit",
    "Số hộ gia đình có thể truy nhập cáp quang tốc độ từ 1 Gb/s",
    "Households that can get 1 Gb/s fibre",
    Measure::Count,
    Aggregate::Sum,
    Combine::Max,
    "Doanh nghiệp báo cáo theo tổ dân phố/thôn số hộ có thể được cung cấp gói cước từ 1 Gb/s; lấy số lớn nhất giữa các doanh nghiệp.",
);

pub static FIBRE_HOUSEHOLDS_SUBSCRIBED: Kind = filed(
    "fibre_households_subscribed",
    "Số hộ gia đình có kết nối Internet cáp quang (thuê bao)",
    "Households subscribed to fibre",
    Measure::Count,
    Aggregate::Sum,
    Combine::Sum,
    "Doanh nghiệp báo cáo theo tổ dân phố/thôn số hộ đang sử dụng dịch vụ; cộng các doanh nghiệp, không vượt quá số hộ.",
);

pub static FIBRE_MAX_SPEED_MBPS: Kind = filed(
    "fibre_max_speed_mbps",
    "Tốc độ truy nhập cáp quang cao nhất được cung cấp (Mb/s)",
    "Highest fibre speed offered (Mb/s)",
    Measure::Mbps,
    Aggregate::Max,
    Combine::Max,
    "Doanh nghiệp báo cáo theo tổ dân phố/thôn gói cước tốc độ cao nhất đang cung cấp.",
);

pub static POPULATION_COVERED_4G: Kind = filed(
    "population_covered_4g",
    "Dân số trong vùng phủ sóng 4G",
    "Population covered by 4G",
    Measure::Count,
    Aggregate::Sum,
    Combine::Max,
    "Tính từ vùng phủ sóng doanh nghiệp nộp (GeoJSON/GeoPackage/Shapefile) giao với tổ dân phố/thôn: theo tỷ lệ diện tích, hoặc theo điểm hộ gia đình nếu có.",
);

pub static POPULATION_COVERED_5G: Kind = filed(
    "population_covered_5g",
    "Dân số trong vùng phủ sóng 5G",
    "Population covered by 5G",
    Measure::Count,
    Aggregate::Sum,
    Combine::Max,
    "Tính từ vùng phủ sóng 5G doanh nghiệp nộp giao với tổ dân phố/thôn: theo tỷ lệ diện tích, hoặc theo điểm hộ gia đình nếu có.",
);

pub static HOUSEHOLDS_COVERED_4G: Kind = filed(
    "households_covered_4g",
    "Số hộ gia đình trong vùng phủ sóng 4G",
    "Households covered by 4G",
    Measure::Count,
    Aggregate::Sum,
    Combine::Max,
    "Như dân số trong vùng phủ sóng 4G, tính theo số hộ.",
);

pub static HOUSEHOLDS_COVERED_5G: Kind = filed(
    "households_covered_5g",
    "Số hộ gia đình trong vùng phủ sóng 5G",
    "Households covered by 5G",
    Measure::Count,
    Aggregate::Sum,
    Combine::Max,
    "Như dân số trong vùng phủ sóng 5G, tính theo số hộ.",
);
