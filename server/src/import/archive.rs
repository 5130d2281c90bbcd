//! What an import checks in a zip container before GDAL opens it (a zipped
//! Shapefile, an XLSX workbook): the bytes it unpacks to, the number of entries
//! and the compression ratio, so that a small upload cannot make the server
//! unpack a gigabyte (a "zip bomb"); and, in a workbook, the cells that hold a
//! formula, which an import refuses by row and column rather than storing the
//! value the spreadsheet program last computed.
//!
//! The sizes are counted while unpacking, not read from the zip's directory,
//! which a crafted file can fill with any numbers.

use std::collections::HashMap;
use std::io::{Read, Seek};

use crate::validation::{Code, Problem};

/// Limits of what one uploaded container may unpack to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// Most bytes all entries together unpack to.
    pub max_unpacked_bytes: u64,
    /// Most entries (files) in the container.
    pub max_entries: usize,
    /// Highest ratio of unpacked to packed bytes, counted once the entries
    /// unpack to more than [`RATIO_FLOOR`] (small files of padded text legitimately
    /// compress a hundredfold).
    pub max_ratio: u64,
}

/// Unpacked bytes below which the ratio is not held against a file.
pub const RATIO_FLOOR: u64 = 16 * 1024 * 1024;

impl Default for ArchiveLimits {
    fn default() -> Self {
        Self {
            max_unpacked_bytes: 1024 * 1024 * 1024,
            max_entries: 1000,
            max_ratio: 100,
        }
    }
}

/// Why a container is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArchiveError {
    #[error(
        "the file unpacks to more than {limit_mb} MiB, the limit of one import (--import-max-unpacked-mb); split it into several files"
    )]
    TooLarge { limit_mb: u64 },
    #[error("the zip holds {entries} files; one import takes at most {limit}")]
    TooManyEntries { entries: usize, limit: usize },
    #[error(
        "the zip unpacks to {ratio} times its size (more than {limit} times); such a file is refused as a zip bomb"
    )]
    Ratio { ratio: u64, limit: u64 },
    #[error("not a readable zip file: {0}")]
    Unreadable(String),
}

impl ArchiveError {
    /// A size limit (413) rather than a file that is wrong (422).
    pub fn is_size(&self) -> bool {
        matches!(self, Self::TooLarge { .. })
    }

    /// The refusal as a problem with its code and parameters.
    pub fn problem(&self) -> Problem {
        let text = self.to_string();
        match self {
            Self::TooLarge { limit_mb } => {
                Problem::new(Code::UnpackedTooLarge, text).with("limit_mb", *limit_mb)
            }
            Self::TooManyEntries { entries, limit } => Problem::new(Code::TooManyEntries, text)
                .with("entries", *entries)
                .with("limit", *limit),
            Self::Ratio { ratio, limit } => Problem::new(Code::ZipBomb, text)
                .with("ratio", *ratio)
                .with("limit", *limit),
            Self::Unreadable(_) => Problem::from(text),
        }
    }
}

/// A cell of a workbook that holds a formula.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaCell {
    pub sheet: String,
    /// `C5`.
    pub cell: String,
    /// Spreadsheet row, 1 for the header row.
    pub sheet_row: u32,
    /// Column, 0 for A.
    pub column: usize,
    pub formula: String,
}

/// Checks the container's limits by unpacking it (into nothing), and for a
/// workbook lists its formula cells.
pub fn inspect<R: Read + Seek>(
    reader: R,
    packed_bytes: u64,
    limits: &ArchiveLimits,
    workbook: bool,
) -> Result<Vec<FormulaCell>, ArchiveError> {
    let mut zip =
        zip::ZipArchive::new(reader).map_err(|e| ArchiveError::Unreadable(e.to_string()))?;
    if zip.len() > limits.max_entries {
        return Err(ArchiveError::TooManyEntries {
            entries: zip.len(),
            limit: limits.max_entries,
        });
    }
    let mut unpacked: u64 = 0;
    let mut parts: HashMap<String, String> = HashMap::new();
    let mut buffer = vec![0u8; 64 * 1024];
    for index in 0..zip.len() {
        let mut entry = zip
            .by_index(index)
            .map_err(|e| ArchiveError::Unreadable(e.to_string()))?;
        let name = entry.name().to_string();
        let keep = workbook
            && (name == "xl/workbook.xml"
                || name == "xl/_rels/workbook.xml.rels"
                || (name.starts_with("xl/worksheets/") && name.ends_with(".xml")));
        let mut kept = Vec::new();
        loop {
            let n = entry
                .read(&mut buffer)
                .map_err(|e| ArchiveError::Unreadable(e.to_string()))?;
            if n == 0 {
                break;
            }
            unpacked += n as u64;
            if unpacked > limits.max_unpacked_bytes {
                return Err(ArchiveError::TooLarge {
                    limit_mb: limits.max_unpacked_bytes / (1024 * 1024),
                });
            }
            if unpacked > RATIO_FLOOR && unpacked / packed_bytes.max(1) > limits.max_ratio {
                return Err(ArchiveError::Ratio {
                    ratio: unpacked / packed_bytes.max(1),
                    limit: limits.max_ratio,
                });
            }
            if keep {
                kept.extend_from_slice(&buffer[..n]);
            }
        }
        if keep {
            parts.insert(name, String::from_utf8_lossy(&kept).into_owned());
        }
    }
    Ok(if workbook {
        formulas(&parts)
    } else {
        Vec::new()
    })
}

/// The formula cells of every sheet, named as the workbook names its sheets.
fn formulas(parts: &HashMap<String, String>) -> Vec<FormulaCell> {
    let sheet_names = sheet_names(parts);
    let mut found = Vec::new();
    let mut paths: Vec<&String> = parts
        .keys()
        .filter(|k| k.starts_with("xl/worksheets/"))
        .collect();
    paths.sort();
    for path in paths {
        let sheet = sheet_names
            .get(path.as_str())
            .cloned()
            .unwrap_or_else(|| path.trim_start_matches("xl/worksheets/").to_string());
        let xml = &parts[path];
        for cell in elements(xml, "c") {
            let Some(reference) = attribute(cell, "r") else {
                continue;
            };
            let Some(formula) = formula_of(cell) else {
                continue;
            };
            let Some((column, sheet_row)) = split_reference(&reference) else {
                continue;
            };
            found.push(FormulaCell {
                sheet: sheet.clone(),
                cell: reference,
                sheet_row,
                column,
                formula,
            });
        }
    }
    found
}

/// `xl/worksheets/sheet1.xml` → "Cột", through the workbook and its relations.
fn sheet_names(parts: &HashMap<String, String>) -> HashMap<String, String> {
    let (Some(workbook), Some(rels)) = (
        parts.get("xl/workbook.xml"),
        parts.get("xl/_rels/workbook.xml.rels"),
    ) else {
        return HashMap::new();
    };
    let targets: HashMap<String, String> = elements(rels, "Relationship")
        .filter_map(|r| Some((attribute(r, "Id")?, attribute(r, "Target")?)))
        .collect();
    elements(workbook, "sheet")
        .filter_map(|s| {
            let name = unescape(&attribute(s, "name")?);
            let target = targets.get(&attribute(s, "r:id")?)?;
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            Some((path, name))
        })
        .collect()
}

/// The start tags `<name …>` (or `<name …/>`) in `xml`, each with what follows
/// up to its end (`</name>` or the self-closing end).
fn elements<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut rest = xml;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find(&open)?;
            let after = &rest[start + open.len()..];
            // `<c` must not match `<col`.
            if !after.starts_with([' ', '>', '/', '\t', '\n', '\r']) {
                rest = after;
                continue;
            }
            let tag_end = after.find('>')?;
            let element = if after[..tag_end].ends_with('/') {
                &after[..tag_end]
            } else {
                match after.find(&close) {
                    Some(end) => &after[..end],
                    None => &after[..tag_end],
                }
            };
            rest = &after[element.len().min(after.len())..];
            return Some(element);
        }
    })
}

fn attribute(element: &str, name: &str) -> Option<String> {
    let tag_end = element.find('>').unwrap_or(element.len());
    let tag = &element[..tag_end];
    let mut search = 0;
    while let Some(found) = tag[search..].find(name) {
        let at = search + found;
        let before_ok = at == 0 || tag[..at].ends_with([' ', '\t', '\n', '\r']);
        let after = &tag[at + name.len()..];
        if before_ok && after.starts_with("=\"") {
            let value = &after[2..];
            return value.find('"').map(|end| value[..end].to_string());
        }
        search = at + name.len();
    }
    None
}

/// The formula text of a cell element, if it has one (`<f>…</f>`, or a shared
/// formula's `<f …/>`).
fn formula_of(cell: &str) -> Option<String> {
    let content = &cell[cell.find('>')? + 1..];
    let f = elements(content, "f").next()?;
    Some(match f.find('>') {
        Some(end) if !f[..end].ends_with('/') => format!("={}", unescape(&f[end + 1..])),
        _ => String::from("(a shared formula)"),
    })
}

/// `C12` → (2, 12).
fn split_reference(reference: &str) -> Option<(usize, u32)> {
    let letters: String = reference
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let row: u32 = reference[letters.len()..].parse().ok()?;
    let mut column = 0usize;
    for c in letters.chars() {
        column = column * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
    }
    Some((column.checked_sub(1)?, row))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_by_ratio_and_by_size() {
        let zeros = vec![0u8; 40 * 1024 * 1024];
        let bomb = zip_of(&[("poles.dbf", &zeros)]);
        let error = inspect(
            Cursor::new(&bomb),
            bomb.len() as u64,
            &ArchiveLimits::default(),
            false,
        )
        .unwrap_err();
        assert!(matches!(error, ArchiveError::Ratio { .. }), "{error}");
        let small = ArchiveLimits {
            max_unpacked_bytes: 1024 * 1024,
            ..ArchiveLimits::default()
        };
        let error = inspect(Cursor::new(&bomb), bomb.len() as u64, &small, false).unwrap_err();
        assert!(error.is_size(), "{error}");
    }

    #[test]
    fn too_many_entries_are_refused() {
        let names: Vec<String> = (0..12).map(|i| format!("f{i}.txt")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let file = zip_of(&entries);
        let limits = ArchiveLimits {
            max_entries: 10,
            ..ArchiveLimits::default()
        };
        let error = inspect(Cursor::new(&file), file.len() as u64, &limits, false).unwrap_err();
        assert_eq!(
            error,
            ArchiveError::TooManyEntries {
                entries: 12,
                limit: 10
            }
        );
    }

    #[test]
    fn formula_cells_are_found_with_their_sheet_and_place() {
        let workbook = br#"<workbook><sheets><sheet name="C&amp;t" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        let rels = br#"<Relationships><Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>"#;
        let sheet = br#"<worksheet><cols><col min="1"/></cols><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>
            <row r="3"><c r="B3"><f>A3*2</f><v>4</v></c><c r="C3" t="s"><v>1</v></c></row>
            <row r="4"><c r="AA4"><f t="shared" si="0"/><v>1</v></c></row></sheetData></worksheet>"#;
        let file = zip_of(&[
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/worksheets/sheet1.xml", sheet),
        ]);
        let found = inspect(
            Cursor::new(&file),
            file.len() as u64,
            &ArchiveLimits::default(),
            true,
        )
        .unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].sheet, "C&t");
        assert_eq!(
            (found[0].cell.as_str(), found[0].column, found[0].sheet_row),
            ("B3", 1, 3)
        );
        assert_eq!(found[0].formula, "=A3*2");
        assert_eq!((found[1].column, found[1].sheet_row), (26, 4));
    }
}
