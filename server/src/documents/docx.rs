//! The DOCX rendering (docx-rs): what the office edits, signs and files, laid
//! out as Decree 30/2020/NĐ-CP sets it — A4, margins 20/15/20/30 mm, Times New
//! Roman 13 pt, the header as a two-column table without borders. LibreOffice
//! turns this file into the PDF ([`super::pdf`]), so both show the same pages.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Pic, Run as DocxRun,
    RunFonts, SpecialIndentType, Table as DocxTable, TableCell, TableRow, WidthType,
};

use super::figures::{self, FigureError};
use super::model::{Align, Block, Document, Run, Table};

/// 1 mm in twentieths of a point.
const TWIPS_PER_MM: f64 = 56.692_913;
/// 1 mm in English Metric Units (images).
const EMU_PER_MM: f64 = 36_000.0;
/// The width between the margins: 210 − 30 − 15 mm.
const TEXT_WIDTH_MM: f64 = 165.0;
const FONT: &str = "Times New Roman";

fn twips(mm: f64) -> i32 {
    (mm * TWIPS_PER_MM).round() as i32
}

/// Why the DOCX could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error(transparent)]
    Figure(#[from] FigureError),
    #[error("cannot pack the DOCX: {0}")]
    Pack(String),
}

/// The document as DOCX bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let fonts = RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT);
    let mut docx = Docx::new()
        .page_size(twips(210.0) as u32, twips(297.0) as u32)
        .page_margin(PageMargin {
            top: twips(20.0),
            left: twips(30.0),
            bottom: twips(20.0),
            right: twips(15.0),
            header: twips(10.0),
            footer: twips(10.0),
            gutter: 0,
        })
        .default_fonts(fonts)
        .default_size(26)
        .default_line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .before(0)
                .after(40)
                .line(240),
        );

    docx = docx.add_table(header(doc));
    docx = docx
        .add_paragraph(
            centered(vec![Run::bold(&doc.kind)]).line_spacing(LineSpacing::new().before(240)),
        )
        .add_paragraph(match &doc.summary {
            Some(summary) => centered(vec![Run::bold(summary)]),
            None => Paragraph::new(),
        });
    for basis in &doc.bases {
        docx = docx.add_paragraph(indented(vec![Run::italic(basis)], Align::Justify));
    }
    for block in &doc.body {
        docx = add_block(docx, block)?;
    }
    docx = docx.add_table(closing(doc));
    for annex in &doc.annexes {
        docx =
            docx.add_paragraph(centered(vec![Run::bold(&annex.heading)]).page_break_before(true));
        if let Some(sub) = &annex.subheading {
            docx = docx.add_paragraph(centered(vec![Run::italic(sub)]));
        }
        for block in &annex.body {
            docx = add_block(docx, block)?;
        }
    }
    if let Some(v) = &doc.verification {
        let qr = figures::png(&v.qr_svg, 24.0, 24.0)?;
        let picture = Pic::new(&qr).size(emu(24.0), emu(24.0));
        let row = TableRow::new(vec![
            TableCell::new()
                .width(twips(28.0) as usize, WidthType::Dxa)
                .add_paragraph(Paragraph::new().add_run(DocxRun::new().add_image(picture))),
            TableCell::new()
                .width(twips(TEXT_WIDTH_MM - 28.0) as usize, WidthType::Dxa)
                .add_paragraph(paragraph(vec![Run::plain(v.line())], Align::Left).size(22)),
        ]);
        docx = docx.add_paragraph(Paragraph::new()).add_table(
            DocxTable::without_borders(vec![row]).set_grid(vec![
                twips(28.0) as usize,
                twips(TEXT_WIDTH_MM - 28.0) as usize,
            ]),
        );
    }

    let mut built = docx.build();
    built.doc_props.core = core_properties(&doc.title).into_bytes();
    let mut bytes = std::io::Cursor::new(Vec::new());
    built
        .pack(&mut bytes)
        .map_err(|e| DocxError::Pack(e.to_string()))?;
    Ok(bytes.into_inner())
}

fn emu(mm: f64) -> u32 {
    (mm * EMU_PER_MM).round() as u32
}

/// `docProps/core.xml` with the title (docx-rs sets no title; LibreOffice
/// copies it into the PDF's metadata).
fn core_properties(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>Hạ tầng</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>"#,
        figures::xml_escape(title)
    )
}

fn runs(runs: &[Run]) -> Vec<DocxRun> {
    runs.iter()
        .map(|r| {
            let mut run = DocxRun::new().add_text(&r.text);
            if r.bold {
                run = run.bold();
            }
            if r.italic {
                run = run.italic();
            }
            run
        })
        .collect()
}

fn alignment(align: Align) -> AlignmentType {
    match align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

fn paragraph(content: Vec<Run>, align: Align) -> Paragraph {
    runs(&content)
        .into_iter()
        .fold(Paragraph::new(), Paragraph::add_run)
        .align(alignment(align))
}

fn centered(content: Vec<Run>) -> Paragraph {
    paragraph(content, Align::Center)
}

fn indented(content: Vec<Run>, align: Align) -> Paragraph {
    paragraph(content, align).indent(
        None,
        Some(SpecialIndentType::FirstLine(twips(10.0))),
        None,
        None,
    )
}

fn add_block(docx: Docx, block: &Block) -> Result<Docx, DocxError> {
    Ok(match block {
        Block::Heading { level, text } => {
            let run = if *level <= 1 {
                Run::bold(text)
            } else {
                Run {
                    text: text.clone(),
                    bold: true,
                    italic: true,
                }
            };
            docx.add_paragraph(indented(vec![run], Align::Justify).keep_next(true))
        }
        Block::Paragraph {
            runs,
            align,
            indent,
        } => docx.add_paragraph(if *indent {
            indented(runs.clone(), *align)
        } else {
            paragraph(runs.clone(), *align)
        }),
        Block::Table(table) => docx
            .add_table(data_table(table))
            .add_paragraph(Paragraph::new()),
        Block::Figure {
            svg,
            width_mm,
            height_mm,
            caption,
        } => {
            let (w, h) = fit(*width_mm, *height_mm);
            let png = figures::png(svg, w, h)?;
            let mut docx = docx.add_paragraph(
                Paragraph::new()
                    .add_run(DocxRun::new().add_image(Pic::new(&png).size(emu(w), emu(h))))
                    .align(AlignmentType::Center),
            );
            if let Some(caption) = caption {
                docx = docx.add_paragraph(centered(vec![Run::italic(caption)]).size(24));
            }
            docx
        }
        Block::PageBreak => docx.add_paragraph(Paragraph::new().page_break_before(true)),
    })
}

/// A figure's size on paper, shrunk to the text width.
fn fit(width_mm: f64, height_mm: f64) -> (f64, f64) {
    if width_mm <= TEXT_WIDTH_MM {
        (width_mm, height_mm)
    } else {
        (TEXT_WIDTH_MM, height_mm * TEXT_WIDTH_MM / width_mm)
    }
}

fn data_table(table: &Table) -> DocxTable {
    let total: u32 = table.widths.iter().sum::<u32>().max(1);
    let grid: Vec<usize> = table
        .widths
        .iter()
        .map(|w| twips(TEXT_WIDTH_MM * f64::from(*w) / f64::from(total)) as usize)
        .collect();
    let cell = |text: &str, align: Align, bold: bool, width: usize| {
        let run = if bold {
            Run::bold(text)
        } else {
            Run::plain(text)
        };
        TableCell::new()
            .width(width, WidthType::Dxa)
            .add_paragraph(paragraph(vec![run], align).size(24))
    };
    let mut rows = vec![TableRow::new(
        table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| cell(c, Align::Center, true, grid.get(i).copied().unwrap_or(0)))
            .collect(),
    )];
    for row in &table.rows {
        rows.push(TableRow::new(
            row.iter()
                .enumerate()
                .map(|(i, c)| {
                    let align = table.align.get(i).copied().unwrap_or(Align::Left);
                    cell(c, align, false, grid.get(i).copied().unwrap_or(0))
                })
                .collect(),
        ));
    }
    DocxTable::new(rows).set_grid(grid)
}

/// The header: issuer and number on the left, the national motto and the
/// place and date on the right.
fn header(doc: &Document) -> DocxTable {
    // A little wider than the text, as offices set it, so the national motto fits one line.
    let left_width = twips(67.0) as usize;
    let right_width = twips(108.0) as usize;
    let mut left = TableCell::new().width(left_width, WidthType::Dxa);
    if let Some(parent) = &doc.parent_body {
        left = left.add_paragraph(centered(vec![Run::plain(parent)]).size(26));
    }
    left = left
        .add_paragraph(centered(vec![Run::bold(&doc.issuer)]).size(26))
        .add_paragraph(centered(vec![Run::plain("―――――")]).size(20))
        .add_paragraph(centered(vec![Run::plain(&doc.number)]).size(26));
    let right = TableCell::new()
        .width(right_width, WidthType::Dxa)
        .add_paragraph(centered(vec![Run::bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]).size(24))
        .add_paragraph(centered(vec![Run::bold("Độc lập - Tự do - Hạnh phúc")]).size(26))
        .add_paragraph(centered(vec![Run::plain("――――――――――")]).size(20))
        .add_paragraph(centered(vec![Run::italic(&doc.place_date)]).size(28));
    DocxTable::without_borders(vec![TableRow::new(vec![left, right]).cant_split()])
        .set_grid(vec![left_width, right_width])
        .width(left_width + right_width, WidthType::Dxa)
        .indent(-twips(6.0))
}

/// Recipients on the left, the signature block on the right.
fn closing(doc: &Document) -> DocxTable {
    let half = twips(TEXT_WIDTH_MM / 2.0) as usize;
    let mut left = TableCell::new().width(half, WidthType::Dxa).add_paragraph(
        paragraph(
            vec![Run {
                text: "Nơi nhận:".into(),
                bold: true,
                italic: true,
            }],
            Align::Left,
        )
        .size(24),
    );
    for recipient in &doc.recipients {
        left = left.add_paragraph(paragraph(vec![Run::plain(recipient)], Align::Left).size(22));
    }
    let mut right = TableCell::new().width(half, WidthType::Dxa);
    for line in &doc.signature.authority {
        right = right.add_paragraph(centered(vec![Run::bold(line)]));
    }
    right = right
        .add_paragraph(centered(vec![Run::bold(&doc.signature.title)]))
        .add_paragraph(centered(vec![Run::italic(&doc.signature.note)]).size(24))
        .add_paragraph(Paragraph::new())
        .add_paragraph(Paragraph::new())
        .add_paragraph(Paragraph::new());
    if let Some(name) = &doc.signature.name {
        right = right.add_paragraph(centered(vec![Run::bold(name)]));
    }
    DocxTable::without_borders(vec![TableRow::new(vec![left, right]).cant_split()])
        .set_grid(vec![half, half])
}
