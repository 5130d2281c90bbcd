//! Vietnamese writing of dates and numbers in documents.
//!
//! Dates follow Decree 30/2020/NĐ-CP (Phụ lục I, mục I.5): Arabic numerals,
//! a leading zero for days below 10 and for the months January and February
//! (`ngày 05 tháng 01 năm 2026`, `ngày 02 tháng 12 năm 2026`, `ngày 15 tháng 3`).
//! Numbers use a decimal comma and a dot between thousands (`1.234,5`).

use chrono::{Datelike, NaiveDate};

/// `ngày 02 tháng 12 năm 2026`.
pub fn long_date(date: NaiveDate) -> String {
    let month = date.month();
    let month = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

/// `02/12/2026`.
pub fn short_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// `1.234,5` with `decimals` digits after the comma.
pub fn number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    let negative = value < 0.0 && text_is_nonzero(&grouped, fraction.as_deref());
    let mut out = if negative {
        format!("-{grouped}")
    } else {
        grouped
    };
    if let Some(fraction) = fraction {
        out.push(',');
        out.push_str(&fraction);
    }
    out
}

fn text_is_nonzero(whole: &str, fraction: Option<&str>) -> bool {
    whole
        .chars()
        .chain(fraction.unwrap_or("").chars())
        .any(|c| c.is_ascii_digit() && c != '0')
}

/// A whole number: `12.345`.
pub fn integer(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}", number(value.unsigned_abs() as f64, 0))
}

/// Metres with one decimal: `18,0 m`.
pub fn metres(value: f64) -> String {
    format!("{} m", number(value, 1))
}

/// A percentage with one decimal: `87,5%`.
pub fn percent(value: f64) -> String {
    format!("{}%", number(value, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_have_leading_zeros_for_short_days_and_the_first_two_months() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(long_date(d(2026, 12, 2)), "ngày 02 tháng 12 năm 2026");
        assert_eq!(long_date(d(2026, 1, 5)), "ngày 05 tháng 01 năm 2026");
        assert_eq!(long_date(d(2026, 2, 28)), "ngày 28 tháng 02 năm 2026");
        assert_eq!(long_date(d(2026, 3, 15)), "ngày 15 tháng 3 năm 2026");
        assert_eq!(short_date(d(2026, 3, 5)), "05/03/2026");
    }

    #[test]
    fn numbers_use_a_decimal_comma_and_dotted_thousands() {
        assert_eq!(metres(18.0), "18,0 m");
        assert_eq!(number(1234.56, 1), "1.234,6");
        assert_eq!(number(1234567.0, 0), "1.234.567");
        assert_eq!(number(999.0, 2), "999,00");
        assert_eq!(number(-0.04, 1), "0,0");
        assert_eq!(number(-12.5, 1), "-12,5");
        assert_eq!(integer(-1234), "-1.234");
        assert_eq!(percent(87.5), "87,5%");
    }
}
