//! The HTML rendering: the print view a browser shows and prints, from the
//! askama template `templates/document.html` (which escapes every value).

use askama::Template;

use super::model::{Align, Block, Document, Table};

#[derive(Template)]
#[template(path = "document.html")]
struct Page<'a> {
    doc: &'a Document,
    /// Notes shown on screen above the page, never printed.
    notes: &'a [String],
}

/// The document as a standalone HTML page; `notes` show on screen only.
pub fn render(doc: &Document, notes: &[String]) -> Result<String, askama::Error> {
    Page { doc, notes }.render()
}

fn align_name(align: &Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "justify",
    }
}

impl Page<'_> {
    fn align_class(&self, align: &Align) -> &'static str {
        align_name(align)
    }

    fn cell_class(&self, table: &Table, column: &usize) -> &'static str {
        table.align.get(*column).map(align_name).unwrap_or("left")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::model::{Run, Signature};

    #[test]
    fn text_is_escaped() {
        let doc = Document {
            title: "<script>".into(),
            parent_body: None,
            issuer: "ỦY BAN NHÂN DÂN PHƯỜNG CHÁNH LỘ".into(),
            number: "Số: 1/GPXD".into(),
            place_date: "Chánh Lộ, ngày 02 tháng 12 năm 2026".into(),
            kind: "GIẤY PHÉP XÂY DỰNG".into(),
            summary: None,
            bases: vec![],
            body: vec![Block::runs(vec![Run::bold("a < b & \"c\"")])],
            recipients: vec![],
            signature: Signature {
                authority: vec![],
                title: "CHỦ TỊCH".into(),
                note: String::new(),
                name: None,
            },
            annexes: vec![],
            verification: None,
        };
        let html = render(&doc, &[]).unwrap();
        assert!(
            html.contains("<title>&#60;script&#62;</title>")
                || html.contains("<title>&lt;script&gt;</title>"),
            "{html}"
        );
        assert!(
            html.contains("<b>a &#60; b &#38; &#34;c&#34;</b>")
                || html.contains("<b>a &lt; b &amp; &quot;c&quot;</b>"),
            "{html}"
        );
    }
}
