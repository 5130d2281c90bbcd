//! The view model every document is rendered from: an administrative document
//! laid out as Decree 30/2020/NĐ-CP (Phụ lục I) sets it — the issuing body and
//! its number and symbol on the left, the national motto and the place and
//! date on the right, the kind of document and its summary (trích yếu), the
//! legal bases (căn cứ), the body, then the recipients (nơi nhận) beside the
//! signature block — followed by annex pages (a site plan, a table of figures).
//!
//! The model holds text, never markup: each renderer escapes for its format.

/// One document, ready to render.
#[derive(Debug, Clone)]
pub struct Document {
    /// The PDF and DOCX title (document properties) and the HTML `<title>`.
    pub title: String,
    /// The superior body, above the issuer, if any (`UBND TỈNH QUẢNG NGÃI`).
    pub parent_body: Option<String>,
    /// The issuing body, as written at the top left (`ỦY BAN NHÂN DÂN PHƯỜNG CHÁNH LỘ`).
    pub issuer: String,
    /// Number and symbol (`Số: 12/2026/GPXD-21031`).
    pub number: String,
    /// Place and date (`Chánh Lộ, ngày 02 tháng 12 năm 2026`).
    pub place_date: String,
    /// The kind of document (`GIẤY PHÉP XÂY DỰNG`, `BÁO CÁO`).
    pub kind: String,
    /// The summary under the kind (trích yếu), if any.
    pub summary: Option<String>,
    /// Legal bases, one line each (`Căn cứ Luật …;`).
    pub bases: Vec<String>,
    /// The body.
    pub body: Vec<Block>,
    /// Recipients (`Nơi nhận:`), one line each.
    pub recipients: Vec<String>,
    pub signature: Signature,
    /// Pages after the signature: annexes, site plans.
    pub annexes: Vec<Annex>,
    /// The verification line and QR code printed at the end, if any.
    pub verification: Option<Verification>,
}

/// The signature block (thẩm quyền, chức vụ, họ tên người ký).
#[derive(Debug, Clone)]
pub struct Signature {
    /// Lines above the title: `TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`.
    pub authority: Vec<String>,
    /// The signer's title (`PHÓ CHỦ TỊCH`).
    pub title: String,
    /// The note where the signature and seal go.
    pub note: String,
    /// The signer's full name, when known.
    pub name: Option<String>,
}

/// A page (or pages) after the signature.
#[derive(Debug, Clone)]
pub struct Annex {
    pub heading: String,
    pub subheading: Option<String>,
    pub body: Vec<Block>,
}

/// Where anyone can check the document.
#[derive(Debug, Clone)]
pub struct Verification {
    pub code: String,
    pub url: String,
    /// The QR code of `url`, as SVG.
    pub qr_svg: String,
}

/// A piece of running text with emphasis.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }

    pub fn bold(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            bold: true,
            italic: false,
        }
    }

    pub fn italic(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            bold: false,
            italic: true,
        }
    }
}

/// Horizontal alignment of a paragraph or a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

/// A block of the body.
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading (`I. KẾT QUẢ THỰC HIỆN`); level 1 is bold capitals, 2 bold.
    Heading { level: u8, text: String },
    /// A paragraph, indented on its first line unless `indent` is false.
    Paragraph {
        runs: Vec<Run>,
        align: Align,
        indent: bool,
    },
    /// A table with a header row; `widths` are relative column widths.
    Table(Table),
    /// A drawing (a site plan, a chart), as SVG, `width_mm` wide on paper.
    Figure {
        svg: String,
        width_mm: f64,
        height_mm: f64,
        caption: Option<String>,
    },
    /// Start the next block on a new page.
    PageBreak,
}

impl Block {
    /// A justified paragraph of plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Block::Paragraph {
            runs: vec![Run::plain(text)],
            align: Align::Justify,
            indent: true,
        }
    }

    /// A justified paragraph of runs.
    pub fn runs(runs: Vec<Run>) -> Self {
        Block::Paragraph {
            runs,
            align: Align::Justify,
            indent: true,
        }
    }

    pub fn heading(level: u8, text: impl Into<String>) -> Self {
        Block::Heading {
            level,
            text: text.into(),
        }
    }
}

/// A table.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<String>,
    pub widths: Vec<u32>,
    /// Alignment per column.
    pub align: Vec<Align>,
    pub rows: Vec<Vec<String>>,
}

impl Document {
    /// The document's text, paragraph by paragraph, in reading order: what
    /// every rendering must show (tests compare renderings against it).
    pub fn paragraphs(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(parent) = &self.parent_body {
            out.push(parent.clone());
        }
        out.extend([
            self.issuer.clone(),
            self.number.clone(),
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
            "Độc lập - Tự do - Hạnh phúc".into(),
            self.place_date.clone(),
            self.kind.clone(),
        ]);
        out.extend(self.summary.clone());
        out.extend(self.bases.iter().cloned());
        blocks_text(&self.body, &mut out);
        out.push("Nơi nhận:".into());
        out.extend(self.recipients.iter().cloned());
        out.extend(self.signature.authority.iter().cloned());
        out.push(self.signature.title.clone());
        out.extend(self.signature.name.clone());
        for annex in &self.annexes {
            out.push(annex.heading.clone());
            out.extend(annex.subheading.clone());
            blocks_text(&annex.body, &mut out);
        }
        if let Some(v) = &self.verification {
            out.push(v.line());
        }
        out
    }
}

impl Verification {
    /// The sentence printed beside the QR code.
    pub fn line(&self) -> String {
        format!("Mã xác thực: {}. Kiểm tra tại: {}", self.code, self.url)
    }
}

fn blocks_text(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading { text, .. } => out.push(text.clone()),
            Block::Paragraph { runs, .. } => {
                out.push(runs.iter().map(|r| r.text.as_str()).collect())
            }
            Block::Table(table) => {
                out.extend(table.columns.iter().cloned());
                for row in &table.rows {
                    out.extend(row.iter().cloned());
                }
            }
            Block::Figure { caption, .. } => out.extend(caption.clone()),
            Block::PageBreak => {}
        }
    }
}
