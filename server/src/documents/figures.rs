//! Drawings for documents: SVG turned into PNG for the DOCX (and so the PDF),
//! and QR codes. The SVG is drawn once, from the view model; the HTML view
//! shows it as it is, the DOCX gets a raster of it at print resolution.

use std::sync::{Arc, OnceLock};

use qrcode::QrCode;
use qrcode::render::svg;

/// Print resolution of rasterised figures, dots per inch.
pub const PRINT_DPI: f64 = 200.0;

/// The fonts of the system (DejaVu, Liberation), loaded once.
fn fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = resvg::usvg::fontdb::Database::new();
            db.load_system_fonts();
            db.set_sans_serif_family("DejaVu Sans");
            db.set_serif_family("DejaVu Serif");
            Arc::new(db)
        })
        .clone()
}

/// Why a drawing could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    #[error("the drawing is not valid SVG: {0}")]
    Svg(String),
    #[error("cannot encode the drawing as PNG: {0}")]
    Png(String),
    #[error("cannot make a QR code of {0} characters")]
    Qr(usize),
}

/// `svg` as PNG, `width_mm` × `height_mm` at [`PRINT_DPI`].
pub fn png(svg: &str, width_mm: f64, height_mm: f64) -> Result<Vec<u8>, FigureError> {
    let options = resvg::usvg::Options {
        fontdb: fonts(),
        ..Default::default()
    };
    let tree =
        resvg::usvg::Tree::from_str(svg, &options).map_err(|e| FigureError::Svg(e.to_string()))?;
    let width = (width_mm / 25.4 * PRINT_DPI).round().max(1.0) as u32;
    let height = (height_mm / 25.4 * PRINT_DPI).round().max(1.0) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or(FigureError::Png("empty size".into()))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let size = tree.size();
    let transform = resvg::tiny_skia::Transform::from_scale(
        width as f32 / size.width(),
        height as f32 / size.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| FigureError::Png(e.to_string()))
}

/// A QR code of `text` as SVG (black modules on white, with the quiet zone).
pub fn qr_svg(text: &str) -> Result<String, FigureError> {
    let code = QrCode::new(text.as_bytes()).map_err(|_| FigureError::Qr(text.len()))?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// Escapes text for SVG or XML content and attributes.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_becomes_a_png_of_print_size() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="100" height="50" fill="#c00"/><text x="5" y="30" font-size="12">Phường Chánh Lộ</text></svg>"##;
        let bytes = png(svg, 50.8, 25.4).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, at bytes 16..24.
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((width, height), (400, 200));
    }

    #[test]
    fn a_qr_code_is_svg() {
        let svg = qr_svg("https://hatang.example.vn/verify?number=1%2F2026%2FGPXD-21031&code=ABC")
            .unwrap();
        assert!(svg.contains("<svg"), "{svg}");
        assert!(png(&svg, 30.0, 30.0).is_ok());
    }
}
