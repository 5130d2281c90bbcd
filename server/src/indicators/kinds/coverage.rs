//! The shares plans set targets in, worked out of the operators' filings and
//! the households and population of each neighbourhood unit: "80% các hộ gia
//! đình có kết nối Internet băng rộng cố định cáp quang", "90% dân số được
//! phủ sóng 4G/5G", "100% tổ dân phố có hạ tầng băng rộng cố định cáp
//! quang". A neighbourhood unit no operator filed for counts as not covered.

use super::Kind;
use crate::indicators::{Aggregate, Better, Combine, How, Measure, Meta, Per, Source};

const fn share(
    code: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
    how: How,
    method_vi: &'static str,
) -> Kind {
    Kind {
        meta: Meta {
            code,
            name_vi,
            name_en,
            source: Source::Filed,
            measure: Measure::Percent,
            better: Better::Higher,
            aggregate: Aggregate::Share,
            combine: Combine::Max,
            method_vi,
        },
        how,
    }
}

pub static FIBRE_HOUSEHOLDS_PASSED_PCT: Kind = share(
    "fibre_households_passed_pct",
    "Tỷ lệ hộ gia đình được phủ cáp quang",
    "Households passed by fibre",
    How::Share {
        numerator: &["fibre_households_passed"],
        per: Per::Households,
    },
    "Tổng số hộ được phủ cáp quang (doanh nghiệp báo cáo) trên tổng số hộ của các tổ dân phố/thôn (số liệu thống kê của phường).",
);

pub static FIBRE_HOUSEHOLDS_SUBSCRIBED_PCT: Kind = share(
    "fibre_households_subscribed_pct",
    "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cố định cáp quang",
    "Households with a fibre broadband connection",
    How::Share {
        numerator: &["fibre_households_subscribed"],
        per: Per::Households,
    },
    "Tổng số hộ thuê bao cáp quang (doanh nghiệp báo cáo) trên tổng số hộ của các tổ dân phố/thôn.",
);

pub static GIGABIT_HOUSEHOLDS_PCT: Kind = share(
    "gigabit_households_pct",
    "Tỷ lệ người sử dụng có khả năng truy nhập cáp quang tốc độ từ 1 Gb/s",
    "Users who can get 1 Gb/s fibre",
    How::Share {
        numerator: &["fibre_households_gigabit"],
        per: Per::Households,
    },
    "Số hộ có thể được cung cấp gói cước cáp quang từ 1 Gb/s trên tổng số hộ (người sử dụng tính theo hộ gia đình).",
);

pub static NEIGHBOURHOODS_WITH_FIBRE_PCT: Kind = share(
    "neighbourhoods_with_fibre_pct",
    "Tỷ lệ tổ dân phố/thôn có hạ tầng băng rộng cố định cáp quang",
    "Neighbourhood units with fixed fibre broadband",
    How::UnitsWith {
        figure: "fibre_households_passed",
        at_least_share: 0.0,
        per: Per::Households,
        or_figure: None,
    },
    "Số tổ dân phố/thôn có ít nhất một hộ được doanh nghiệp phủ cáp quang, trên tổng số tổ dân phố/thôn.",
);

pub static NEIGHBOURHOODS_WITH_MOBILE_BROADBAND_PCT: Kind = share(
    "neighbourhoods_with_mobile_broadband_pct",
    "Tỷ lệ tổ dân phố/thôn có hạ tầng băng rộng di động",
    "Neighbourhood units with mobile broadband",
    How::UnitsWith {
        figure: "population_covered_4g",
        at_least_share: 0.5,
        per: Per::Population,
        or_figure: Some("population_covered_5g"),
    },
    "Số tổ dân phố/thôn có ít nhất một nửa dân số trong vùng phủ sóng 4G hoặc 5G, trên tổng số tổ dân phố/thôn.",
);

pub static POPULATION_4G5G_COVERED_PCT: Kind = share(
    "population_4g5g_covered_pct",
    "Tỷ lệ dân số được phủ sóng 4G/5G",
    "Population covered by 4G or 5G",
    How::Share {
        numerator: &["population_covered_4g", "population_covered_5g"],
        per: Per::Population,
    },
    "Dân số trong vùng phủ sóng 4G hoặc 5G (lấy số lớn hơn ở mỗi tổ dân phố/thôn) trên tổng dân số.",
);

pub static POPULATION_5G_COVERED_PCT: Kind = share(
    "population_5g_covered_pct",
    "Tỷ lệ dân số được phủ sóng 5G",
    "Population covered by 5G",
    How::Share {
        numerator: &["population_covered_5g"],
        per: Per::Population,
    },
    "Dân số trong vùng phủ sóng 5G (tính từ vùng phủ doanh nghiệp nộp) trên tổng dân số của các tổ dân phố/thôn.",
);

pub static HOUSEHOLDS_5G_COVERED_PCT: Kind = share(
    "households_5g_covered_pct",
    "Tỷ lệ hộ gia đình trong vùng phủ sóng 5G",
    "Households covered by 5G",
    How::Share {
        numerator: &["households_covered_5g"],
        per: Per::Households,
    },
    "Số hộ trong vùng phủ sóng 5G trên tổng số hộ của các tổ dân phố/thôn.",
);
