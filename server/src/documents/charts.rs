//! Charts for reports, as SVG in millimetres: one horizontal bar per target,
//! the figure against the target, coloured by the target's traffic light.

use super::figures::xml_escape;
use super::vn;

/// Width of charts on paper, millimetres.
pub const WIDTH_MM: f64 = 160.0;

/// One bar: a figure against its target, both in the same unit.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub target: f64,
    /// `%`, `km`, …
    pub unit: String,
    /// `green`, `amber`, `red`, `grey`.
    pub light: String,
}

fn colour(light: &str) -> &'static str {
    match light {
        "green" => "#2e7d32",
        "amber" => "#ef8f00",
        "red" => "#c62828",
        _ => "#9e9e9e",
    }
}

/// The bars as SVG, and the drawing's height in millimetres. Each bar is
/// scaled to its own target (the target line is at the same place for all),
/// so percentages and kilometres can share one chart.
pub fn target_bars(bars: &[Bar]) -> (String, f64) {
    let row = 9.0;
    let top = 8.0;
    let height = top + row * bars.len() as f64 + 10.0;
    let (label_w, bar_x) = (62.0, 66.0);
    let bar_max = WIDTH_MM - bar_x - 24.0;
    // The target sits at 80 % of the bar's room, so a figure above it still shows.
    let target_x = bar_x + bar_max * 0.8;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH_MM} {height:.1}" width="{WIDTH_MM}mm" height="{height:.1}mm" font-family="DejaVu Sans, sans-serif" role="img" aria-label="Kết quả so với chỉ tiêu"><rect width="{WIDTH_MM}" height="{height:.1}" fill="#fff"/><text x="{bar_x}" y="5" font-size="2.6" fill="#555">Kết quả so với chỉ tiêu (vạch đứng: chỉ tiêu)</text>"##
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let label: String = bar.label.chars().take(44).collect();
        let label = if bar.label.chars().count() > 44 {
            format!("{label}…")
        } else {
            label
        };
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="2.5" text-anchor="end">{}</text>"##,
            label_w + 2.0,
            y + 4.6,
            xml_escape(&label)
        ));
        let (width, text) = match bar.value {
            Some(v) if bar.target.abs() > f64::EPSILON => {
                let w = (v / bar.target * (target_x - bar_x)).clamp(0.0, bar_max);
                (
                    w,
                    format!(
                        "{} / {} {}",
                        vn::number(v, 1),
                        vn::number(bar.target, 1),
                        bar.unit
                    ),
                )
            }
            Some(v) => (0.0, format!("{} {}", vn::number(v, 1), bar.unit)),
            None => (0.0, "chưa có số liệu".to_string()),
        };
        svg.push_str(&format!(
            r##"<rect x="{bar_x}" y="{:.1}" width="{bar_max:.1}" height="6" fill="#f1f1f1"/><rect x="{bar_x}" y="{:.1}" width="{width:.2}" height="6" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="2.4" fill="#222">{}</text>"##,
            y + 1.0,
            y + 1.0,
            colour(&bar.light),
            bar_x + width.max(0.0) + 1.2,
            y + 5.0,
            xml_escape(text.trim())
        ));
    }
    svg.push_str(&format!(
        r##"<line x1="{target_x:.1}" y1="{:.1}" x2="{target_x:.1}" y2="{:.1}" stroke="#222" stroke-width="0.4" stroke-dasharray="1 0.8"/>"##,
        top - 1.0,
        top + row * bars.len() as f64
    ));
    let legend_y = height - 4.0;
    for (i, (light, text)) in [
        ("green", "Đạt / đúng tiến độ"),
        ("amber", "Có nguy cơ chậm"),
        ("red", "Chậm / chưa đạt"),
        ("grey", "Chưa có số liệu"),
    ]
    .iter()
    .enumerate()
    {
        let x = bar_x + 24.0 * i as f64 - 40.0;
        svg.push_str(&format!(
            r##"<rect x="{x:.1}" y="{:.1}" width="3" height="3" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="2.3">{text}</text>"##,
            legend_y - 2.5,
            colour(light),
            x + 4.0,
            legend_y
        ));
    }
    svg.push_str("</svg>");
    (svg, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_show_figure_and_target_in_vietnamese_numbers() {
        let (svg, height) = target_bars(&[
            Bar {
                label: "Hộ gia đình có cáp quang".into(),
                value: Some(72.5),
                target: 80.0,
                unit: "%".into(),
                light: "amber".into(),
            },
            Bar {
                label: "Phủ sóng 5G".into(),
                value: None,
                target: 99.0,
                unit: "%".into(),
                light: "grey".into(),
            },
        ]);
        assert!(svg.contains("72,5 / 80,0 %"), "{svg}");
        assert!(svg.contains("chưa có số liệu"));
        assert!(height > 20.0);
        assert!(crate::documents::figures::png(&svg, WIDTH_MM, height).is_ok());
    }
}
