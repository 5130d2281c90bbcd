//! What a yearly report says, and how it becomes a document and an annex.
//!
//! [`ReportFacts`] is the report as gathered (or as frozen when finalised:
//! it serialises to the JSON stored with each version, and its SHA-256 is the
//! version's hash). [`document`] lays it out as a Vietnamese administrative
//! report (Decree 30/2020/NĐ-CP): results against every target, the
//! infrastructure figures, the tasks done and late, difficulties and
//! proposals, a chart and a map; [`annex`] writes every figure with its source
//! as an XLSX workbook.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::documents::charts::{self, Bar};
use crate::documents::{Align, Block, Document, Run, Signature, Table, vn};

/// The unit reporting and where it sits.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnitFacts {
    pub id: i64,
    pub name: String,
    /// `phường`, `xã`, `tỉnh`, `thành phố`.
    pub unit_type: String,
    /// The unit above it (the province), as written (`tỉnh Quảng Ngãi`).
    pub parent: Option<String>,
}

impl UnitFacts {
    /// `phường Chánh Lộ`.
    pub fn written(&self) -> String {
        format!("{} {}", self.unit_type, self.name)
    }
}

/// The plan reported on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanFacts {
    pub id: i64,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub issuer: String,
    pub title: String,
}

/// One target and the year's result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TargetFacts {
    pub indicator: String,
    pub name: String,
    /// The plan's own sentence.
    pub sentence: String,
    pub target_value: f64,
    /// `at_least` or `at_most`.
    pub comparison: String,
    pub target_year: i32,
    /// `%`, `km`, `trạm`, …
    pub unit: String,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub gap: Option<f64>,
    /// `met`, `on_track`, `at_risk`, `behind`, `no_data`.
    pub status: String,
    /// `green`, `amber`, `red`, `grey`.
    pub light: String,
    /// Where the figure comes from, in words (`Tính từ sổ đăng ký`, `Doanh nghiệp báo cáo: VNPT, Viettel`).
    pub source: String,
    pub as_of: Option<NaiveDate>,
    /// How it is obtained.
    pub method: String,
}

/// A figure of the registry (sharing, undergrounding, permits).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FigureFacts {
    /// The group it is shown under (`Dùng chung hạ tầng`, `Ngầm hóa`, `Cấp phép`).
    pub group: String,
    pub name: String,
    pub value: Option<f64>,
    pub unit: String,
    pub decimals: usize,
    pub source: String,
    pub as_of: NaiveDate,
}

/// A task of the plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaskFacts {
    pub code: Option<String>,
    pub title: String,
    pub lead: String,
    pub due: Option<NaiveDate>,
    /// `done`, `in_progress`, `not_started`, …
    pub status: String,
    pub overdue: bool,
    pub evidence: Option<String>,
}

/// A contribution to the report (a department's or an operator's part).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartFacts {
    pub contributor: String,
    pub due: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    pub text: String,
}

/// Everything the report says.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportFacts {
    pub unit: UnitFacts,
    pub year: i32,
    /// Number and symbol once registered (`125/BC-UBND`).
    pub number: Option<String>,
    /// The report's date (the day it was finalised, or today for a draft).
    pub dated: NaiveDate,
    pub plan: PlanFacts,
    /// Who it goes to (`UBND thành phố Quảng Ngãi`), from the plan's reporting duty.
    pub recipient: Option<String>,
    /// The day it is due there.
    pub due: Option<NaiveDate>,
    pub targets: Vec<TargetFacts>,
    pub figures: Vec<FigureFacts>,
    pub tasks: Vec<TaskFacts>,
    pub parts: Vec<PartFacts>,
    pub difficulties: String,
    pub proposals: String,
    /// The map of the unit, as SVG (width [`MAP_WIDTH_MM`]).
    pub map_svg: Option<String>,
    pub map_height_mm: f64,
    /// A draft is marked as such; a finalised version carries its number.
    pub version: Option<i32>,
}

/// Width of the map figure on paper.
pub const MAP_WIDTH_MM: f64 = 160.0;

fn status_words(status: &str) -> &'static str {
    match status {
        "met" => "Đạt",
        "on_track" => "Đúng tiến độ",
        "at_risk" => "Có nguy cơ chậm",
        "behind" => "Chậm, chưa đạt",
        _ => "Chưa có số liệu",
    }
}

fn task_status_words(status: &str) -> &'static str {
    match status {
        "done" => "Hoàn thành",
        "in_progress" => "Đang thực hiện",
        "not_started" => "Chưa thực hiện",
        "cancelled" => "Dừng thực hiện",
        _ => "Đang thực hiện",
    }
}

/// `≥ 80,0%`, `≤ 5,0 km`.
fn target_text(t: &TargetFacts) -> String {
    let sign = if t.comparison == "at_most" {
        "≤"
    } else {
        "≥"
    };
    format!(
        "{sign} {}{}{}",
        vn::number(t.target_value, 1),
        if t.unit == "%" { "" } else { " " },
        t.unit
    )
}

fn value_text(value: Option<f64>, unit: &str, decimals: usize) -> String {
    match value {
        Some(v) => format!(
            "{}{}{}",
            vn::number(v, decimals),
            if unit == "%" || unit.is_empty() {
                ""
            } else {
                " "
            },
            unit
        ),
        None => "chưa có số liệu".into(),
    }
}

/// Paragraphs of free text, one per non-empty line.
fn free_text(text: &str, empty: &str) -> Vec<Block> {
    let lines: Vec<Block> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(Block::text)
        .collect();
    if lines.is_empty() {
        vec![Block::text(empty)]
    } else {
        lines
    }
}

/// The report as a document.
pub fn document(r: &ReportFacts) -> Document {
    let unit = r.unit.written();
    let plan_ref = match (&r.plan.number, r.plan.issued_on) {
        (Some(n), Some(d)) => format!(
            "Kế hoạch số {n} ngày {} của {}",
            vn::short_date(d),
            r.plan.issuer
        ),
        (Some(n), None) => format!("Kế hoạch số {n} của {}", r.plan.issuer),
        _ => format!("Kế hoạch của {}", r.plan.issuer),
    };
    let mut body = vec![Block::text(format!(
        "Thực hiện {plan_ref} về {}, Ủy ban nhân dân {unit} báo cáo kết quả thực hiện năm {} như sau:",
        lower_first(&r.plan.title),
        r.year
    ))];

    body.push(Block::heading(1, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"));
    let met = r.targets.iter().filter(|t| t.status == "met").count();
    body.push(Block::text(format!(
        "Kế hoạch đặt {} chỉ tiêu; đến {} đã đạt {met} chỉ tiêu, {} chỉ tiêu đúng tiến độ, {} chỉ tiêu chậm hoặc có nguy cơ chậm, {} chỉ tiêu chưa có số liệu.",
        r.targets.len(),
        vn::long_date(r.dated),
        r.targets.iter().filter(|t| t.status == "on_track").count(),
        r.targets.iter().filter(|t| t.status == "behind" || t.status == "at_risk").count(),
        r.targets.iter().filter(|t| t.status == "no_data").count(),
    )));
    body.push(Block::Table(Table {
        columns: [
            "TT",
            "Chỉ tiêu",
            "Mục tiêu",
            &format!("Kết quả năm {}", r.year),
            "Còn thiếu",
            "Đánh giá",
            "Nguồn số liệu",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![5, 29, 11, 12, 10, 12, 21],
        align: vec![
            Align::Center,
            Align::Left,
            Align::Center,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Left,
        ],
        rows: r
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| {
                vec![
                    (i + 1).to_string(),
                    format!("{} (năm {})", t.name, t.target_year),
                    target_text(t),
                    value_text(t.value, &t.unit, 1),
                    t.gap
                        .filter(|g| *g > 0.0)
                        .map(|g| value_text(Some(g), &t.unit, 1))
                        .unwrap_or_else(|| "—".into()),
                    status_words(&t.status).into(),
                    match t.as_of {
                        Some(d) => format!("{} ({})", t.source, vn::short_date(d)),
                        None => t.source.clone(),
                    },
                ]
            })
            .collect(),
    }));
    if !r.targets.is_empty() {
        let bars: Vec<Bar> = r
            .targets
            .iter()
            .map(|t| Bar {
                label: t.name.clone(),
                value: t.value,
                target: t.target_value,
                unit: t.unit.clone(),
                light: t.light.clone(),
            })
            .collect();
        let (svg, height) = charts::target_bars(&bars);
        body.push(Block::Figure {
            svg,
            width_mm: charts::WIDTH_MM,
            height_mm: height,
            caption: Some(format!(
                "Hình 1. Kết quả thực hiện các chỉ tiêu năm {}",
                r.year
            )),
        });
    }

    body.push(Block::heading(1, "II. HẠ TẦNG VIỄN THÔNG THỤ ĐỘNG"));
    body.push(Block::text(format!(
        "Số liệu tính từ sổ đăng ký hạ tầng kỹ thuật viễn thông thụ động của {unit} (hệ thống Hạ tầng), đến {}.",
        vn::long_date(r.dated)
    )));
    body.push(Block::Table(Table {
        columns: ["TT", "Nội dung", "Số liệu", "Nguồn"]
            .map(String::from)
            .to_vec(),
        widths: vec![6, 49, 18, 27],
        align: vec![Align::Center, Align::Left, Align::Right, Align::Left],
        rows: r
            .figures
            .iter()
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    format!("{}: {}", f.group, f.name),
                    value_text(f.value, &f.unit, f.decimals),
                    f.source.clone(),
                ]
            })
            .collect(),
    }));
    if let Some(svg) = &r.map_svg {
        body.push(Block::Figure {
            svg: svg.clone(),
            width_mm: MAP_WIDTH_MM,
            height_mm: r.map_height_mm,
            caption: Some(format!(
                "Hình 2. Hạ tầng viễn thông thụ động trên địa bàn {unit}"
            )),
        });
    }

    body.push(Block::heading(1, "III. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"));
    let done: Vec<&TaskFacts> = r.tasks.iter().filter(|t| t.status == "done").collect();
    let late: Vec<&TaskFacts> = r
        .tasks
        .iter()
        .filter(|t| t.status != "done" && t.overdue)
        .collect();
    let ongoing: Vec<&TaskFacts> = r
        .tasks
        .iter()
        .filter(|t| t.status != "done" && !t.overdue)
        .collect();
    let task_line = |t: &TaskFacts| {
        let due = t
            .due
            .map(|d| format!(", hạn {}", vn::short_date(d)))
            .unwrap_or_default();
        let evidence = t
            .evidence
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .map(|e| format!(" Kết quả: {e}"))
            .unwrap_or_default();
        Block::text(format!(
            "- {}{} (chủ trì: {}{due}).{evidence}",
            t.code
                .as_deref()
                .map(|c| format!("{c}. "))
                .unwrap_or_default(),
            t.title,
            t.lead
        ))
    };
    for (heading, tasks, empty) in [
        (
            format!("1. Nhiệm vụ đã hoàn thành ({})", done.len()),
            &done,
            "Chưa có nhiệm vụ hoàn thành.",
        ),
        (
            format!("2. Nhiệm vụ chậm tiến độ ({})", late.len()),
            &late,
            "Không có nhiệm vụ chậm tiến độ.",
        ),
        (
            format!("3. Nhiệm vụ đang thực hiện ({})", ongoing.len()),
            &ongoing,
            "Không có.",
        ),
    ] {
        body.push(Block::heading(2, heading));
        if tasks.is_empty() {
            body.push(Block::text(empty));
        }
        body.extend(tasks.iter().map(|t| task_line(t)));
    }
    if !r.parts.is_empty() {
        body.push(Block::heading(2, "4. Báo cáo của các đơn vị, doanh nghiệp"));
        for part in &r.parts {
            let when = match (part.submitted_on, part.due) {
                (Some(s), _) => format!("gửi ngày {}", vn::short_date(s)),
                (None, Some(d)) => format!("chưa gửi, hạn {}", vn::short_date(d)),
                (None, None) => "chưa gửi".into(),
            };
            body.push(Block::runs(vec![
                Run::bold(format!("- {} ", part.contributor)),
                Run::italic(format!("({when}): ")),
                Run::plain(part.text.trim().to_string()),
            ]));
        }
    }

    body.push(Block::heading(1, "IV. KHÓ KHĂN, VƯỚNG MẮC"));
    body.extend(free_text(&r.difficulties, "Không có."));
    body.push(Block::heading(1, "V. ĐỀ XUẤT, KIẾN NGHỊ"));
    body.extend(free_text(&r.proposals, "Không có."));
    body.push(Block::text(format!(
        "Trên đây là báo cáo kết quả thực hiện {} năm {} của Ủy ban nhân dân {unit}./.",
        lower_first(&r.plan.title),
        r.year
    )));

    let mut recipients = Vec::new();
    if let Some(recipient) = &r.recipient {
        recipients.push(format!("- {recipient} (để báo cáo);"));
    }
    recipients.push("- Thường trực Đảng ủy, HĐND (để báo cáo);".into());
    recipients.push("- Lưu: VT, VP.".into());
    let draft = r.version.is_none();
    Document {
        title: format!(
            "Báo cáo kết quả thực hiện kế hoạch phát triển hạ tầng số năm {} — {}",
            r.year, unit
        ),
        parent_body: None,
        issuer: format!("ỦY BAN NHÂN DÂN {}", unit.to_uppercase()),
        number: format!(
            "Số: {}",
            r.number.clone().unwrap_or_else(|| "      /BC-UBND".into())
        ),
        place_date: format!("{}, {}", r.unit.name, vn::long_date(r.dated)),
        kind: if draft {
            "BÁO CÁO (DỰ THẢO)".into()
        } else {
            "BÁO CÁO".into()
        },
        summary: Some(format!(
            "Kết quả thực hiện {} năm {}",
            lower_first(&r.plan.title),
            r.year
        )),
        bases: Vec::new(),
        body,
        recipients,
        signature: Signature {
            authority: vec!["TM. ỦY BAN NHÂN DÂN".into(), "KT. CHỦ TỊCH".into()],
            title: "PHÓ CHỦ TỊCH".into(),
            note: "(Ký, ghi rõ họ tên và đóng dấu)".into(),
            name: None,
        },
        annexes: Vec::new(),
        verification: None,
    }
}

/// `Kế hoạch Phát triển…` → `kế hoạch Phát triển…` (the title inside a sentence).
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The annex: every figure of the report with its source, one sheet per part.
pub fn annex(r: &ReportFacts) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let number = Format::new().set_num_format("#,##0.0");
    let title = Format::new().set_bold().set_font_size(13);
    let day = |d: NaiveDate| {
        rust_xlsxwriter::ExcelDateTime::from_ymd(d.year_u16(), d.month_u8(), d.day_u8())
    };

    let sheet = workbook.add_worksheet().set_name("Chỉ tiêu")?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "Phụ lục: kết quả các chỉ tiêu năm {} — {}",
            r.year,
            r.unit.written()
        ),
        &title,
    )?;
    let heads = [
        "TT",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Câu trong kế hoạch",
        "So sánh",
        "Mục tiêu",
        "Năm mục tiêu",
        "Đơn vị",
        "Kết quả",
        "Tử số",
        "Mẫu số",
        "Còn thiếu",
        "Đánh giá",
        "Nguồn",
        "Cách tính",
        "Số liệu đến ngày",
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (i, t) in r.targets.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.write_string(row, 1, &t.indicator)?;
        sheet.write_string(row, 2, &t.name)?;
        sheet.write_string(row, 3, &t.sentence)?;
        sheet.write_string(
            row,
            4,
            if t.comparison == "at_most" {
                "không quá"
            } else {
                "ít nhất"
            },
        )?;
        sheet.write_number_with_format(row, 5, t.target_value, &number)?;
        sheet.write_number(row, 6, f64::from(t.target_year))?;
        sheet.write_string(row, 7, &t.unit)?;
        for (col, v) in [
            (8, t.value),
            (9, t.numerator),
            (10, t.denominator),
            (11, t.gap),
        ] {
            if let Some(v) = v {
                sheet.write_number_with_format(row, col, v, &number)?;
            }
        }
        sheet.write_string(row, 12, status_words(&t.status))?;
        sheet.write_string(row, 13, &t.source)?;
        sheet.write_string(row, 14, &t.method)?;
        if let Some(d) = t.as_of {
            sheet.write_datetime_with_format(row, 15, day(d)?, &date)?;
        }
    }
    sheet.autofit();

    let sheet = workbook.add_worksheet().set_name("Hạ tầng")?;
    for (c, h) in [
        "TT",
        "Nhóm",
        "Nội dung",
        "Số liệu",
        "Đơn vị",
        "Nguồn",
        "Số liệu đến ngày",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, f) in r.figures.iter().enumerate() {
        let row = 1 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.write_string(row, 1, &f.group)?;
        sheet.write_string(row, 2, &f.name)?;
        if let Some(v) = f.value {
            sheet.write_number_with_format(row, 3, v, &number)?;
        }
        sheet.write_string(row, 4, &f.unit)?;
        sheet.write_string(row, 5, &f.source)?;
        sheet.write_datetime_with_format(row, 6, day(f.as_of)?, &date)?;
    }
    sheet.autofit();

    let sheet = workbook.add_worksheet().set_name("Nhiệm vụ")?;
    for (c, h) in [
        "TT",
        "Mã",
        "Nhiệm vụ",
        "Chủ trì",
        "Hạn",
        "Tình trạng",
        "Quá hạn",
        "Kết quả, minh chứng",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, t) in r.tasks.iter().enumerate() {
        let row = 1 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.write_string(row, 1, t.code.as_deref().unwrap_or(""))?;
        sheet.write_string(row, 2, &t.title)?;
        sheet.write_string(row, 3, &t.lead)?;
        if let Some(d) = t.due {
            sheet.write_datetime_with_format(row, 4, day(d)?, &date)?;
        }
        sheet.write_string(row, 5, task_status_words(&t.status))?;
        sheet.write_string(row, 6, if t.overdue { "có" } else { "không" })?;
        sheet.write_string(row, 7, t.evidence.as_deref().unwrap_or(""))?;
    }
    sheet.autofit();
    workbook.save_to_buffer()
}

trait Ymd {
    fn year_u16(&self) -> u16;
    fn month_u8(&self) -> u8;
    fn day_u8(&self) -> u8;
}

impl Ymd for NaiveDate {
    fn year_u16(&self) -> u16 {
        u16::try_from(chrono::Datelike::year(self)).unwrap_or(1900)
    }
    fn month_u8(&self) -> u8 {
        chrono::Datelike::month(self) as u8
    }
    fn day_u8(&self) -> u8 {
        chrono::Datelike::day(self) as u8
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> ReportFacts {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        ReportFacts {
            unit: UnitFacts { id: 1, name: "Chánh Lộ".into(), unit_type: "phường".into(), parent: Some("tỉnh Quảng Ngãi".into()) },
            year: 2026,
            number: None,
            dated: d(12, 2),
            plan: PlanFacts { id: 1, number: Some("45/KH-UBND".into()), issued_on: Some(d(3, 10)), issuer: "UBND phường Chánh Lộ".into(), title: "Kế hoạch phát triển hạ tầng số phường Chánh Lộ đến năm 2025, định hướng đến năm 2030".into() },
            recipient: Some("UBND thành phố Quảng Ngãi".into()),
            due: Some(d(12, 4)),
            targets: vec![
                TargetFacts { indicator: "fibre_households_passed_pct".into(), name: "Hộ gia đình có thể sử dụng cáp quang".into(), sentence: "100% hộ gia đình có khả năng tiếp cận cáp quang".into(), target_value: 100.0, comparison: "at_least".into(), target_year: 2025, unit: "%".into(), value: Some(87.5), numerator: Some(3500.0), denominator: Some(4000.0), gap: Some(12.5), status: "behind".into(), light: "red".into(), source: "Doanh nghiệp báo cáo: VNPT, Viettel".into(), as_of: Some(d(6, 30)), method: "Tổng số hộ có cáp quang đi qua / tổng số hộ".into() },
                TargetFacts { indicator: "towers_shared_pct".into(), name: "Trạm BTS dùng chung".into(), sentence: "30% trạm dùng chung".into(), target_value: 30.0, comparison: "at_least".into(), target_year: 2030, unit: "%".into(), value: Some(33.3), numerator: Some(4.0), denominator: Some(12.0), gap: Some(-3.3), status: "met".into(), light: "green".into(), source: "Tính từ sổ đăng ký".into(), as_of: Some(d(12, 2)), method: "Cột có từ 2 doanh nghiệp / tổng số cột".into() },
            ],
            figures: vec![FigureFacts { group: "Ngầm hóa".into(), name: "Cáp treo còn lại trên tuyến phải ngầm hóa".into(), value: Some(4.27), unit: "km".into(), decimals: 2, source: "Sổ đăng ký".into(), as_of: d(12, 2) }],
            tasks: vec![
                TaskFacts { code: Some("1".into()), title: "Rà soát hạ tầng dùng chung".into(), lead: "Phòng Kinh tế, Hạ tầng và Đô thị".into(), due: Some(d(6, 30)), status: "done".into(), overdue: false, evidence: Some("Đã rà soát 12 trạm".into()) },
                TaskFacts { code: Some("2".into()), title: "Ngầm hóa tuyến Hai Bà Trưng".into(), lead: "VNPT".into(), due: Some(d(10, 31)), status: "in_progress".into(), overdue: true, evidence: None },
            ],
            parts: vec![],
            difficulties: "Kinh phí ngầm hóa còn hạn chế.\n\nMột số tuyến phố chưa có quy hoạch cống bể.".into(),
            proposals: "Đề nghị UBND thành phố bố trí kinh phí.".into(),
            map_svg: None,
            map_height_mm: 0.0,
            version: None,
        }
    }

    #[test]
    fn the_report_has_every_target_task_and_the_officials_text() {
        let doc = document(&sample());
        let text = doc.paragraphs().join("\n");
        for expected in [
            "ỦY BAN NHÂN DÂN PHƯỜNG CHÁNH LỘ",
            "BÁO CÁO (DỰ THẢO)",
            "Chánh Lộ, ngày 02 tháng 12 năm 2026",
            "Hộ gia đình có thể sử dụng cáp quang (năm 2025)",
            "87,5%",
            "≥ 100,0%",
            "12,5%",
            "33,3%",
            "4,27 km",
            "1. Nhiệm vụ đã hoàn thành (1)",
            "2. Nhiệm vụ chậm tiến độ (1)",
            "Kinh phí ngầm hóa còn hạn chế.",
            "Một số tuyến phố chưa có quy hoạch cống bể.",
            "Đề nghị UBND thành phố bố trí kinh phí.",
            "- UBND thành phố Quảng Ngãi (để báo cáo);",
            "KT. CHỦ TỊCH",
        ] {
            assert!(text.contains(expected), "{expected:?} in\n{text}");
        }
        let docx = crate::documents::docx::render(&doc).unwrap();
        assert!(docx.starts_with(b"PK"));
        let _ = std::fs::write(
            std::env::temp_dir().join("hatang-yearly-report-sample.docx"),
            &docx,
        );
        let xlsx = annex(&sample()).unwrap();
        assert!(xlsx.starts_with(b"PK"));
    }
}
