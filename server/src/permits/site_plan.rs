//! The site plan printed with a permit (sơ đồ vị trí): the works in red over
//! the streets and the ward boundary, at a round scale (1:1.000 … 1:20.000)
//! in the province's VN-2000 TM-3 projection, with a north arrow, a scale bar,
//! street names and a legend. Point sites get a marker; lines their ends.
//!
//! The frame has the drawing's own proportions, so streets run to its edges.

use serde_json::Value;
use sqlx::PgConnection;

use crate::documents::figures::xml_escape;
use crate::documents::vn;

/// Size of the drawing on paper, millimetres.
pub const WIDTH_MM: f64 = 160.0;
pub const HEIGHT_MM: f64 = 100.0;
/// Round scales the plan may use, largest first.
const SCALES: [f64; 8] = [
    1000.0, 2000.0, 2500.0, 5000.0, 10000.0, 20000.0, 50000.0, 100000.0,
];

/// What the plan shows, in projected metres.
#[derive(Debug, Clone)]
pub struct SitePlan {
    /// Ground frame: min x, min y, max x, max y.
    pub frame: [f64; 4],
    /// The scale denominator (2000 for 1:2.000).
    pub scale: f64,
    pub site: Site,
    pub streets: Vec<Street>,
    /// The ward boundary inside the frame.
    pub boundary: Vec<Vec<[f64; 2]>>,
    /// How the coordinates are projected, for the caption.
    pub crs_label: String,
}

/// The works.
#[derive(Debug, Clone)]
pub enum Site {
    Point([f64; 2]),
    Lines(Vec<Vec<[f64; 2]>>),
    Areas(Vec<Vec<[f64; 2]>>),
}

#[derive(Debug, Clone)]
pub struct Street {
    pub name: String,
    pub class: String,
    pub lines: Vec<Vec<[f64; 2]>>,
}

/// The SRID and caption of the projection for a province's TM-3 meridian
/// (Hatang's SRID `900000 + meridian × 100`, migration 0020), or UTM.
pub fn projection(meridian: Option<f64>, lon: f64) -> (i32, String) {
    match meridian {
        Some(m) if (102.0..=109.5).contains(&m) => {
            let degrees = m.trunc();
            let minutes = ((m - degrees) * 60.0).round();
            (
                900_000 + (m * 100.0).round() as i32,
                format!(
                    "Hệ tọa độ VN-2000, kinh tuyến trục {degrees:.0}°{minutes:02.0}′, múi chiếu 3°"
                ),
            )
        }
        _ => {
            let zone = ((lon + 180.0) / 6.0).floor() as i32 + 1;
            (32600 + zone, format!("WGS 84 / UTM múi {zone}N"))
        }
    }
}

/// Gathers the plan of application `id` in projection `srid`.
pub async fn gather(
    conn: &mut PgConnection,
    id: i64,
    srid: i32,
    crs_label: String,
) -> sqlx::Result<SitePlan> {
    let (site, x1, y1, x2, y2): (sqlx::types::Json<Value>, f64, f64, f64, f64) = sqlx::query_as(
        "with s as (select ST_Transform(geom, $2) as g from permit_application where id = $1)
         select ST_AsGeoJSON(g, 2)::json, ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g) from s",
    )
    .bind(id)
    .bind(srid)
    .fetch_one(&mut *conn)
    .await?;
    let (frame, scale) = frame_for([x1, y1, x2, y2]);
    let streets: Vec<(String, String, sqlx::types::Json<Value>)> = sqlx::query_as(
        "with f as (select ST_MakeEnvelope($1, $2, $3, $4, $5) as g)
         select s.name, s.class, ST_AsGeoJSON(ST_Intersection(ST_Transform(s.geom, $5), f.g), 2)::json
         from street s, f
         where s.geom && ST_Transform(f.g, 4326) and ST_Intersects(ST_Transform(s.geom, $5), f.g)
         order by case s.class when 'main' then 0 when 'secondary' then 1 when 'local' then 2 else 3 end desc, s.name",
    )
    .bind(frame[0])
    .bind(frame[1])
    .bind(frame[2])
    .bind(frame[3])
    .bind(srid)
    .fetch_all(&mut *conn)
    .await?;
    let boundary: Option<sqlx::types::Json<Value>> = sqlx::query_scalar(
        "with f as (select ST_MakeEnvelope($2, $3, $4, $5, $6) as g)
         select ST_AsGeoJSON(ST_Intersection(ST_Boundary(ST_Transform(w.boundary, $6)), f.g), 2)::json
         from permit_application p join admin_unit w on w.id = p.ward_id, f
         where p.id = $1 and w.boundary is not null",
    )
    .bind(id)
    .bind(frame[0])
    .bind(frame[1])
    .bind(frame[2])
    .bind(frame[3])
    .bind(srid)
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    let site = match site.0["type"].as_str() {
        Some("Point") => Site::Point(point(&site.0["coordinates"]).unwrap_or([x1, y1])),
        Some("Polygon" | "MultiPolygon") => Site::Areas(lines_of(&site.0["coordinates"])),
        _ => Site::Lines(lines_of(&site.0["coordinates"])),
    };
    Ok(SitePlan {
        frame,
        scale,
        site,
        streets: streets
            .into_iter()
            .map(|(name, class, geometry)| Street {
                name,
                class,
                lines: lines_of(&geometry.0["coordinates"]),
            })
            .filter(|s| s.lines.iter().any(|l| l.len() >= 2))
            .collect(),
        boundary: boundary
            .map(|b| lines_of(&b.0["coordinates"]))
            .unwrap_or_default(),
        crs_label,
    })
}

/// The smallest round scale at which the site and 100 m around it (or a
/// fifth of its size) fit the drawing, and the frame centred on the site.
pub fn frame_for(bounds: [f64; 4]) -> ([f64; 4], f64) {
    let [x1, y1, x2, y2] = bounds;
    let (w, h) = (x2 - x1, y2 - y1);
    let margin = (0.2 * w.max(h)).max(100.0);
    let need_w = w + 2.0 * margin;
    let need_h = h + 2.0 * margin;
    let scale = SCALES
        .iter()
        .copied()
        .find(|s| WIDTH_MM / 1000.0 * s >= need_w && HEIGHT_MM / 1000.0 * s >= need_h)
        .unwrap_or_else(|| {
            let s = (need_w / (WIDTH_MM / 1000.0)).max(need_h / (HEIGHT_MM / 1000.0));
            (s / 10000.0).ceil() * 10000.0
        });
    let (cx, cy) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
    let (half_w, half_h) = (WIDTH_MM / 2000.0 * scale, HEIGHT_MM / 2000.0 * scale);
    ([cx - half_w, cy - half_h, cx + half_w, cy + half_h], scale)
}

fn point(value: &Value) -> Option<[f64; 2]> {
    Some([value.get(0)?.as_f64()?, value.get(1)?.as_f64()?])
}

/// The lines (or rings) in a GeoJSON coordinates array of any depth.
pub fn lines_of(coordinates: &Value) -> Vec<Vec<[f64; 2]>> {
    match coordinates.as_array() {
        Some(items)
            if items
                .first()
                .is_some_and(|i| i.get(0).is_some_and(Value::is_number)) =>
        {
            vec![items.iter().filter_map(point).collect()]
        }
        Some(items) if items.first().is_some_and(Value::is_number) => point(coordinates)
            .map(|p| vec![vec![p]])
            .unwrap_or_default(),
        Some(items) => items.iter().flat_map(lines_of).collect(),
        None => Vec::new(),
    }
}

/// A round length for the scale bar, about a fifth of the drawing's width.
fn bar_length(scale: f64) -> f64 {
    let target = WIDTH_MM / 5.0 / 1000.0 * scale;
    let magnitude = 10f64.powf(target.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|f| f * magnitude)
        .rfind(|l| *l <= target)
        .unwrap_or(magnitude)
}

impl SitePlan {
    /// Paper millimetres of ground point `p`.
    fn paper(&self, p: &[f64; 2]) -> [f64; 2] {
        let [x1, _, _, y2] = self.frame;
        [
            (p[0] - x1) / self.scale * 1000.0,
            (y2 - p[1]) / self.scale * 1000.0,
        ]
    }

    fn path(&self, line: &[[f64; 2]]) -> String {
        line.iter()
            .enumerate()
            .map(|(i, p)| {
                let [x, y] = self.paper(p);
                format!("{}{x:.2},{y:.2}", if i == 0 { "M" } else { "L" })
            })
            .collect()
    }

    /// `1:2.000`.
    pub fn scale_label(&self) -> String {
        format!("1:{}", vn::integer(self.scale as i64))
    }

    /// The drawing, as SVG in millimetres.
    pub fn svg(&self) -> String {
        let mut svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH_MM} {HEIGHT_MM}" width="{WIDTH_MM}mm" height="{HEIGHT_MM}mm" font-family="DejaVu Sans, sans-serif" role="img" aria-label="Sơ đồ vị trí công trình"><rect width="{WIDTH_MM}" height="{HEIGHT_MM}" fill="#fbfbf8"/>"##
        );
        for line in &self.boundary {
            svg.push_str(&format!(
                r##"<path d="{}" fill="none" stroke="#8a5a9e" stroke-width="0.5" stroke-dasharray="3 1.2 0.6 1.2"/>"##,
                self.path(line)
            ));
        }
        let width = |class: &str| match class {
            "main" => 3.2,
            "secondary" => 2.5,
            "local" => 1.8,
            _ => 1.2,
        };
        for (casing, fill) in [(true, false), (false, true)] {
            for street in &self.streets {
                let w = width(&street.class);
                for line in street.lines.iter().filter(|l| l.len() >= 2) {
                    svg.push_str(&format!(
                        r##"<path d="{}" fill="none" stroke="{}" stroke-width="{:.2}" stroke-linecap="butt" stroke-linejoin="round"/>"##,
                        self.path(line),
                        if casing { "#9a9a92" } else { "#ffffff" },
                        if fill { w } else { w + 0.6 }
                    ));
                }
            }
        }
        for street in &self.streets {
            if let Some(label) = self.label(street) {
                svg.push_str(&label);
            }
        }
        svg.push_str(&self.site_svg());
        svg.push_str(&self.north_arrow());
        svg.push_str(&self.scale_bar());
        svg.push_str(&self.legend());
        svg.push_str(&format!(
            r##"<rect x="0.2" y="0.2" width="{:.1}" height="{:.1}" fill="none" stroke="#333" stroke-width="0.4"/></svg>"##,
            WIDTH_MM - 0.4,
            HEIGHT_MM - 0.4
        ));
        svg
    }

    /// The street's name along its longest piece, upright.
    fn label(&self, street: &Street) -> Option<String> {
        let line = street
            .lines
            .iter()
            .max_by(|a, b| length(a).total_cmp(&length(b)))?
            .iter()
            .map(|p| self.paper(p))
            .collect::<Vec<_>>();
        let total = length(&line);
        let text_mm = street.name.chars().count() as f64 * 1.5;
        if total < text_mm + 6.0 {
            return None;
        }
        // The point a third along the line (so crossing streets' names rarely meet) and its direction.
        let mut remaining = total / 3.0;
        for pair in line.windows(2) {
            let d = dist(&pair[0], &pair[1]);
            if d >= remaining && d > 0.0 {
                let t = remaining / d;
                let (x, y) = (
                    pair[0][0] + t * (pair[1][0] - pair[0][0]),
                    pair[0][1] + t * (pair[1][1] - pair[0][1]),
                );
                let mut angle = (pair[1][1] - pair[0][1])
                    .atan2(pair[1][0] - pair[0][0])
                    .to_degrees();
                if angle > 90.0 {
                    angle -= 180.0;
                } else if angle < -90.0 {
                    angle += 180.0;
                }
                return Some(format!(
                    r##"<text x="{x:.2}" y="{y:.2}" transform="rotate({angle:.1} {x:.2} {y:.2})" dy="0.9" text-anchor="middle" font-size="2.6" fill="#444" stroke="#fbfbf8" stroke-width="0.6" paint-order="stroke">{}</text>"##,
                    xml_escape(&street.name)
                ));
            }
            remaining -= d;
        }
        None
    }

    fn site_svg(&self) -> String {
        const RED: &str = "#c0392b";
        match &self.site {
            Site::Point(p) => {
                let [x, y] = self.paper(p);
                format!(
                    r##"<g class="site-marker"><circle cx="{x:.2}" cy="{y:.2}" r="5" fill="none" stroke="{RED}" stroke-width="0.6"/><line x1="{:.2}" y1="{y:.2}" x2="{:.2}" y2="{y:.2}" stroke="{RED}" stroke-width="0.4"/><line x1="{x:.2}" y1="{:.2}" x2="{x:.2}" y2="{:.2}" stroke="{RED}" stroke-width="0.4"/><circle cx="{x:.2}" cy="{y:.2}" r="2" fill="{RED}" stroke="#fff" stroke-width="0.5"/><text x="{:.2}" y="{:.2}" font-size="3" font-weight="bold" fill="{RED}" stroke="#fff" stroke-width="0.7" paint-order="stroke">Vị trí công trình</text></g>"##,
                    x - 7.5,
                    x + 7.5,
                    y - 7.5,
                    y + 7.5,
                    x + 6.0,
                    y - 5.0
                )
            }
            Site::Lines(lines) => {
                let mut out = String::from(r#"<g class="site-line">"#);
                for line in lines.iter().filter(|l| !l.is_empty()) {
                    out.push_str(&format!(
                        r##"<path d="{}" fill="none" stroke="{RED}" stroke-width="1.3" stroke-linecap="round" stroke-linejoin="round"/>"##,
                        self.path(line)
                    ));
                }
                let ends = lines
                    .first()
                    .and_then(|l| l.first())
                    .zip(lines.last().and_then(|l| l.last()));
                if let Some((start, end)) = ends {
                    for (p, label) in [(start, "Đầu tuyến"), (end, "Cuối tuyến")] {
                        let [x, y] = self.paper(p);
                        out.push_str(&format!(
                            r##"<circle cx="{x:.2}" cy="{y:.2}" r="1.6" fill="#fff" stroke="{RED}" stroke-width="0.7"/><text x="{:.2}" y="{:.2}" font-size="2.8" font-weight="bold" fill="{RED}" stroke="#fff" stroke-width="0.7" paint-order="stroke">{label}</text>"##,
                            x + 2.5,
                            y - 2.0
                        ));
                    }
                }
                out.push_str("</g>");
                out
            }
            Site::Areas(rings) => {
                let d: String = rings.iter().map(|r| format!("{}Z", self.path(r))).collect();
                format!(
                    r##"<path class="site-area" d="{d}" fill="{RED}" fill-opacity="0.2" fill-rule="evenodd" stroke="{RED}" stroke-width="0.9"/>"##
                )
            }
        }
    }

    fn north_arrow(&self) -> String {
        let (x, y) = (WIDTH_MM - 10.0, 8.0);
        format!(
            r##"<g class="north"><path d="M{x:.1},{:.1} L{:.1},{:.1} L{x:.1},{:.1} Z" fill="#222"/><path d="M{x:.1},{:.1} L{:.1},{:.1} L{x:.1},{:.1} Z" fill="#fff" stroke="#222" stroke-width="0.3"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="3.4" font-weight="bold">B</text></g>"##,
            y,
            x - 2.5,
            y + 10.0,
            y + 7.5,
            y,
            x + 2.5,
            y + 10.0,
            y + 7.5,
            y + 14.5
        )
    }

    fn scale_bar(&self) -> String {
        let metres = bar_length(self.scale);
        let mm = metres / self.scale * 1000.0;
        let (x, y) = (6.0, HEIGHT_MM - 9.0);
        let half = mm / 2.0;
        format!(
            r##"<g class="scale-bar"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="10" fill="#fff" fill-opacity="0.85"/><rect x="{x:.1}" y="{y:.1}" width="{half:.2}" height="1.6" fill="#222"/><rect x="{:.2}" y="{y:.1}" width="{half:.2}" height="1.6" fill="#fff" stroke="#222" stroke-width="0.3"/><text x="{x:.1}" y="{:.1}" font-size="2.6" text-anchor="middle">0</text><text x="{:.2}" y="{:.1}" font-size="2.6" text-anchor="middle">{} m</text><text x="{x:.1}" y="{:.1}" font-size="2.6">Tỷ lệ {}</text></g>"##,
            x - 3.0,
            y - 6.0,
            mm + 14.0,
            x + half,
            y - 1.2,
            x + mm,
            y - 1.2,
            vn::number(metres, 0),
            y + 5.0,
            self.scale_label()
        )
    }

    fn legend(&self) -> String {
        let (x, y) = (WIDTH_MM - 52.0, HEIGHT_MM - 17.0);
        let site = match self.site {
            Site::Point(_) => format!(
                r##"<circle cx="{:.1}" cy="{:.1}" r="1.5" fill="#c0392b"/>"##,
                x + 4.0,
                y + 3.5
            ),
            Site::Lines(_) => format!(
                r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#c0392b" stroke-width="1.3"/>"##,
                x + 1.5,
                y + 3.5,
                x + 6.5,
                y + 3.5
            ),
            Site::Areas(_) => format!(
                r##"<rect x="{:.1}" y="{:.1}" width="5" height="3" fill="#c0392b" fill-opacity="0.3" stroke="#c0392b" stroke-width="0.5"/>"##,
                x + 1.5,
                y + 2.0
            ),
        };
        format!(
            r##"<g class="legend"><rect x="{x:.1}" y="{y:.1}" width="48" height="14.5" fill="#fff" fill-opacity="0.9" stroke="#999" stroke-width="0.25"/>{site}<text x="{:.1}" y="{:.1}" font-size="2.6">Công trình được cấp phép</text><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#9a9a92" stroke-width="2.2"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#fff" stroke-width="1.6"/><text x="{:.1}" y="{:.1}" font-size="2.6">Đường phố</text><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#8a5a9e" stroke-width="0.5" stroke-dasharray="3 1.2 0.6 1.2"/><text x="{:.1}" y="{:.1}" font-size="2.6">Ranh giới phường</text></g>"##,
            x + 9.0,
            y + 4.4,
            x + 1.5,
            y + 7.8,
            x + 6.5,
            y + 7.8,
            x + 1.5,
            y + 7.8,
            x + 6.5,
            y + 7.8,
            x + 9.0,
            y + 8.7,
            x + 1.5,
            y + 12.0,
            x + 6.5,
            y + 12.0,
            x + 9.0,
            y + 12.9
        )
    }
}

fn dist(a: &[f64; 2], b: &[f64; 2]) -> f64 {
    ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt()
}

fn length(line: &[[f64; 2]]) -> f64 {
    line.windows(2).map(|p| dist(&p[0], &p[1])).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_is_a_round_scale_with_the_drawings_proportions() {
        let (frame, scale) = frame_for([1000.0, 2000.0, 1000.0, 2000.0]);
        assert_eq!(
            scale, 2000.0,
            "a point and 100 m around it fit 1:2.000 (320 m × 200 m)"
        );
        let (w, h) = (frame[2] - frame[0], frame[3] - frame[1]);
        assert!((w / h - WIDTH_MM / HEIGHT_MM).abs() < 1e-9);
        assert!(
            (frame[0] + w / 2.0 - 1000.0).abs() < 1e-9,
            "centred on the site"
        );
        let (_, scale) = frame_for([0.0, 0.0, 3000.0, 100.0]);
        assert_eq!(scale, 50000.0, "a 3 km route with a fifth around it");
    }

    #[test]
    fn a_point_site_has_a_marker_and_the_plan_a_scale_bar() {
        let (frame, scale) = frame_for([500.0, 500.0, 500.0, 500.0]);
        let plan = SitePlan {
            frame,
            scale,
            site: Site::Point([500.0, 500.0]),
            streets: vec![Street {
                name: "Hai Bà Trưng & <Lê Lợi>".into(),
                class: "main".into(),
                lines: vec![vec![[frame[0], 480.0], [frame[2], 480.0]]],
            }],
            boundary: vec![],
            crs_label: String::new(),
        };
        let svg = plan.svg();
        assert!(svg.contains(r#"class="site-marker""#), "{svg}");
        assert!(
            svg.contains(r#"<circle cx="80.00" cy="50.00""#),
            "the marker is at the centre: {svg}"
        );
        assert!(svg.contains("Tỷ lệ 1:2.000"), "{svg}");
        assert!(
            svg.contains(">50 m</text>"),
            "a 50 m bar at 1:2.000 (25 mm): {svg}"
        );
        assert!(
            svg.contains("Hai Bà Trưng &amp; &lt;Lê Lợi&gt;"),
            "names are escaped"
        );
        // The street runs the whole width of the drawing.
        assert!(svg.contains("M0.00,"), "{svg}");
        assert!(svg.contains(&format!("L{WIDTH_MM:.2},")), "{svg}");
        assert!(crate::documents::figures::png(&svg, WIDTH_MM, HEIGHT_MM).is_ok());
    }

    #[test]
    fn bars_are_round() {
        assert_eq!(bar_length(2500.0), 50.0);
        assert_eq!(bar_length(1000.0), 25.0);
        assert_eq!(bar_length(10000.0), 250.0);
        assert_eq!(bar_length(20000.0), 500.0);
    }
}
