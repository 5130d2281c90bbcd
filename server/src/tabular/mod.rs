//! Tables that people take away: the same rows as JSON, CSV (UTF-8 with a
//! byte-order mark, so spreadsheet programs keep the Vietnamese) or XLSX.
//!
//! Every export that a spreadsheet program opens is safe to open: a text cell
//! that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be
//! taken as a formula (OWASP, "CSV Injection"), so [`safe_text`] puts an
//! apostrophe before it in CSV, and XLSX cells are written as quoted text.
//! Imports read such a cell back without the apostrophe ([`unquoted`]).

pub mod labels;

use std::borrow::Cow;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};

use crate::http::error::{ApiError, ApiResult};

/// Whether a spreadsheet program would read `text` as a formula.
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `text` as a CSV cell that a spreadsheet program shows as text: an
/// apostrophe before a formula-like beginning (OWASP's rule).
pub fn safe_text(text: &str) -> Cow<'_, str> {
    if looks_like_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The inverse of [`safe_text`] for a cell read back by an import.
pub fn unquoted(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => text,
    }
}

/// A cell.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<f64> for Cell {
    fn from(number: f64) -> Self {
        Cell::Number(number)
    }
}

impl From<i64> for Cell {
    fn from(number: i64) -> Self {
        Cell::Number(number as f64)
    }
}

impl From<Option<String>> for Cell {
    fn from(text: Option<String>) -> Self {
        text.map(Cell::Text).unwrap_or(Cell::Empty)
    }
}

/// [`safe_text`] as an owned `String`.
pub fn formula_safe(text: &str) -> String {
    safe_text(text).into_owned()
}

/// A titled table with its column headers.
#[derive(Debug, Clone)]
pub struct Table {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// How the client asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Json,
    Csv,
    Xlsx,
}

/// `format=json|csv|xlsx` (JSON when absent).
pub fn format(requested: Option<&str>) -> ApiResult<TableFormat> {
    match requested {
        None | Some("json") => Ok(TableFormat::Json),
        Some("csv") => Ok(TableFormat::Csv),
        Some("xlsx") => Ok(TableFormat::Xlsx),
        Some(other) => Err(ApiError::Malformed(format!(
            "format must be json, csv or xlsx; got {other:?}"
        ))),
    }
}

impl Table {
    pub fn csv(&self) -> ApiResult<Vec<u8>> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| ApiError::Internal(e.to_string());
        writer
            .write_record(self.columns.iter().map(|c| safe_text(c).into_owned()))
            .map_err(fail)?;
        for row in &self.rows {
            writer
                .write_record(row.iter().map(|cell| match cell {
                    Cell::Text(t) => safe_text(t).into_owned(),
                    Cell::Number(n) => n.to_string(),
                    Cell::Empty => String::new(),
                }))
                .map_err(fail)?;
        }
        let mut body = "\u{feff}".as_bytes().to_vec();
        body.extend(
            writer
                .into_inner()
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        );
        Ok(body)
    }

    pub fn xlsx(&self) -> ApiResult<Vec<u8>> {
        let fail = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(format!("XLSX: {e}"));
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let name: String = self
            .title
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet
            .set_name(if name.is_empty() { "Sheet1" } else { &name })
            .map_err(fail)?;
        let bold = Format::new().set_bold();
        let text = Format::new().set_quote_prefix();
        for (col, heading) in self.columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, heading, &bold)
                .map_err(fail)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            for (col, cell) in row.iter().enumerate() {
                let (r, col) = (r as u32 + 1, col as u16);
                match cell {
                    Cell::Text(t) if looks_like_formula(t) => {
                        sheet
                            .write_string_with_format(r, col, t, &text)
                            .map_err(fail)?;
                    }
                    Cell::Text(t) => {
                        sheet.write_string(r, col, t).map_err(fail)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, col, *n).map_err(fail)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.autofit();
        workbook.save_to_buffer().map_err(fail)
    }

    /// The table as the client asked for it; `json` is the JSON form.
    pub fn respond(
        &self,
        format: TableFormat,
        filename: &str,
        json: impl serde::Serialize,
    ) -> ApiResult<Response> {
        let (bytes, media_type, extension) = match format {
            TableFormat::Json => return Ok(axum::Json(json).into_response()),
            TableFormat::Csv => (self.csv()?, "text/csv; charset=utf-8", "csv"),
            TableFormat::Xlsx => (
                self.xlsx()?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
        };
        let mut response = bytes.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
        if let Ok(value) =
            HeaderValue::from_str(&format!("attachment; filename=\"{filename}.{extension}\""))
        {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_keeps_vietnamese_and_starts_with_a_bom() {
        let table = Table {
            title: "Tuyến phố".into(),
            columns: vec!["Tên".into(), "km".into()],
            rows: vec![vec!["Phan Đình Phùng".into(), 1.25.into()]],
        };
        let csv = String::from_utf8(table.csv().unwrap()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("Phan Đình Phùng,1.25"));
        let xlsx = table.xlsx().unwrap();
        assert!(xlsx.starts_with(b"PK"), "an XLSX file is a zip");
    }

    #[test]
    fn formula_like_cells_are_neutralised_and_read_back() {
        for text in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(safe_text(text), format!("'{text}"));
            assert_eq!(unquoted(&safe_text(text)), text);
        }
        assert_eq!(safe_text("Cột 1"), "Cột 1");
        assert_eq!(unquoted("'bình thường"), "'bình thường");
        let table = Table {
            title: "t".into(),
            columns: vec!["a".into()],
            rows: vec![vec!["=1+1".into()]],
        };
        let csv = String::from_utf8(table.csv().unwrap()).unwrap();
        assert!(csv.contains("'=1+1"), "{csv}");
    }
}
