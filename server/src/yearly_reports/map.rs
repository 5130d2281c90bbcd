//! The report's map: the unit's boundary with its streets, antenna towers
//! and cable routes (overhead and underground) from the registry, in the
//! province's VN-2000 TM-3 projection, with a scale bar and a north arrow.

use serde_json::Value;
use sqlx::PgConnection;

use super::model::MAP_WIDTH_MM;
use crate::documents::vn;
use crate::permits::site_plan::{lines_of, projection};

/// Height of the map on paper.
pub const MAP_HEIGHT_MM: f64 = 110.0;

/// The map of unit `unit_id` as SVG, or `None` when the unit has no boundary.
pub async fn unit_map(conn: &mut PgConnection, unit_id: i64) -> sqlx::Result<Option<String>> {
    let found: Option<(Option<f64>, f64, f64, f64, f64, f64)> = sqlx::query_as(
        "select coalesce(u.tm3_meridian, p.tm3_meridian), ST_X(ST_Centroid(u.boundary)),
                ST_XMin(u.boundary::box2d), ST_YMin(u.boundary::box2d), ST_XMax(u.boundary::box2d), ST_YMax(u.boundary::box2d)
         from admin_unit u left join admin_unit p on p.id = u.parent_id
         where u.id = $1 and u.boundary is not null",
    )
    .bind(unit_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((meridian, lon, ..)) = found else {
        return Ok(None);
    };
    let (srid, crs_label) = projection(meridian, lon);
    let (x1, y1, x2, y2): (f64, f64, f64, f64) = sqlx::query_as(
        "with b as (select ST_Transform(boundary, $2) as g from admin_unit where id = $1)
         select ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g) from b",
    )
    .bind(unit_id)
    .bind(srid)
    .fetch_one(&mut *conn)
    .await?;
    // The boundary with 5 % around it, in the drawing's proportions.
    let (w, h) = ((x2 - x1) * 1.1, (y2 - y1) * 1.1);
    let scale = (w / (MAP_WIDTH_MM / 1000.0))
        .max(h / (MAP_HEIGHT_MM / 1000.0))
        .max(1.0);
    let (cx, cy) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
    let (hw, hh) = (
        MAP_WIDTH_MM / 2000.0 * scale,
        MAP_HEIGHT_MM / 2000.0 * scale,
    );
    let frame = [cx - hw, cy - hh, cx + hw, cy + hh];
    let layers: Vec<(String, String, sqlx::types::Json<Value>)> = sqlx::query_as(
        "with f as (select ST_MakeEnvelope($2, $3, $4, $5, $6) as g),
              f4326 as (select ST_Transform(g, 4326) as g from f)
         select 'boundary', '', ST_AsGeoJSON(ST_Intersection(ST_Boundary(ST_Transform(u.boundary, $6)), f.g), 1)::json
           from admin_unit u, f where u.id = $1
         union all
         select 'street', s.class, ST_AsGeoJSON(ST_Intersection(ST_Transform(s.geom, $6), f.g), 1)::json
           from street s, f, f4326 where s.geom && f4326.g
         union all
         select 'cable', c.placement, ST_AsGeoJSON(ST_Intersection(ST_Transform(a.geom, $6), f.g), 1)::json
           from asset a join cable c on c.asset_id = a.id, f, f4326
          where a.geom && f4326.g and a.status <> 'decommissioned'
         union all
         select 'tower', t.tower_class, ST_AsGeoJSON(ST_Transform(a.geom, $6), 1)::json
           from asset a join tower t on t.asset_id = a.id, f4326
          where a.geom && f4326.g and a.status <> 'decommissioned'",
    )
    .bind(unit_id)
    .bind(frame[0])
    .bind(frame[1])
    .bind(frame[2])
    .bind(frame[3])
    .bind(srid)
    .fetch_all(&mut *conn)
    .await?;
    let paper = |p: &[f64; 2]| {
        [
            (p[0] - frame[0]) / scale * 1000.0,
            (frame[3] - p[1]) / scale * 1000.0,
        ]
    };
    let path = |line: &[[f64; 2]]| -> String {
        line.iter()
            .enumerate()
            .map(|(i, p)| {
                let [x, y] = paper(p);
                format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" })
            })
            .collect()
    };
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH_MM} {MAP_HEIGHT_MM}" width="{MAP_WIDTH_MM}mm" height="{MAP_HEIGHT_MM}mm" font-family="DejaVu Sans, sans-serif" role="img" aria-label="Bản đồ hạ tầng"><rect width="{MAP_WIDTH_MM}" height="{MAP_HEIGHT_MM}" fill="#fbfbf8"/>"##
    );
    let (mut towers, mut overhead, mut underground) = (0, 0, 0);
    for kind in ["street", "boundary", "cable", "tower"] {
        for (layer, class, geometry) in layers.iter().filter(|(l, ..)| l == kind) {
            let lines = lines_of(&geometry.0["coordinates"]);
            match layer.as_str() {
                "street" => {
                    let width = if class == "main" { 0.9 } else { 0.5 };
                    for line in lines.iter().filter(|l| l.len() >= 2) {
                        svg.push_str(&format!(r##"<path d="{}" fill="none" stroke="#c9c9c0" stroke-width="{width}"/>"##, path(line)));
                    }
                }
                "boundary" => {
                    for line in lines.iter().filter(|l| l.len() >= 2) {
                        svg.push_str(&format!(r##"<path d="{}" fill="none" stroke="#8a5a9e" stroke-width="0.8" stroke-dasharray="4 1.5 0.8 1.5"/>"##, path(line)));
                    }
                }
                "cable" => {
                    let (colour, dash) = if class == "overhead" {
                        ("#e65100", "")
                    } else {
                        ("#2e7d32", r#" stroke-dasharray="1.6 0.8""#)
                    };
                    if class == "overhead" {
                        overhead += 1
                    } else {
                        underground += 1
                    }
                    for line in lines.iter().filter(|l| l.len() >= 2) {
                        svg.push_str(&format!(r##"<path d="{}" fill="none" stroke="{colour}" stroke-width="0.45"{dash}/>"##, path(line)));
                    }
                }
                _ => {
                    towers += 1;
                    if let Some(p) = lines.first().and_then(|l| l.first()) {
                        let [x, y] = paper(p);
                        svg.push_str(&format!(
                            r##"<path d="M{x:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z" fill="#1565c0" stroke="#fff" stroke-width="0.3"/>"##,
                            y - 1.6,
                            x + 1.4,
                            y + 1.0,
                            x - 1.4,
                            y + 1.0
                        ));
                    }
                }
            }
        }
    }
    // Scale bar: a round length near a fifth of the width.
    let target = MAP_WIDTH_MM / 5.0 / 1000.0 * scale;
    let magnitude = 10f64.powf(target.log10().floor());
    let metres = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|f| f * magnitude)
        .rfind(|l| *l <= target)
        .unwrap_or(magnitude);
    let mm = metres / scale * 1000.0;
    let bar_label = if metres >= 1000.0 {
        format!(
            "{} km",
            vn::number(metres / 1000.0, if metres % 1000.0 == 0.0 { 0 } else { 1 })
        )
    } else {
        format!("{} m", vn::number(metres, 0))
    };
    svg.push_str(&format!(
        r##"<rect x="3" y="{:.1}" width="{:.1}" height="9" fill="#fff" fill-opacity="0.85"/><rect x="6" y="{:.1}" width="{mm:.1}" height="1.4" fill="#222"/><text x="6" y="{:.1}" font-size="2.4">0</text><text x="{:.1}" y="{:.1}" font-size="2.4" text-anchor="middle">{bar_label}</text><text x="6" y="{:.1}" font-size="2.2">{}</text>"##,
        MAP_HEIGHT_MM - 12.0,
        mm + 12.0,
        MAP_HEIGHT_MM - 6.0,
        MAP_HEIGHT_MM - 7.5,
        6.0 + mm,
        MAP_HEIGHT_MM - 7.5,
        MAP_HEIGHT_MM - 3.6,
        crs_label
    ));
    let (nx, ny) = (MAP_WIDTH_MM - 9.0, 5.0);
    svg.push_str(&format!(
        r##"<path d="M{nx:.1},{ny:.1} L{:.1},{:.1} L{nx:.1},{:.1} Z" fill="#222"/><text x="{nx:.1}" y="{:.1}" text-anchor="middle" font-size="3" font-weight="bold">B</text>"##,
        nx - 2.2,
        ny + 8.0,
        ny + 6.0,
        ny + 12.0
    ));
    let (lx, ly) = (MAP_WIDTH_MM - 50.0, MAP_HEIGHT_MM - 21.0);
    svg.push_str(&format!(
        r##"<g font-size="2.4"><rect x="{lx:.1}" y="{ly:.1}" width="47" height="18" fill="#fff" fill-opacity="0.9" stroke="#999" stroke-width="0.25"/><path d="M{:.1},{:.1} l1.4,2.6 l-2.8,0 Z" fill="#1565c0"/><text x="{:.1}" y="{:.1}">Cột ăng ten ({towers})</text><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#e65100" stroke-width="0.6"/><text x="{:.1}" y="{:.1}">Cáp treo ({overhead} tuyến)</text><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#2e7d32" stroke-width="0.6" stroke-dasharray="1.6 0.8"/><text x="{:.1}" y="{:.1}">Cáp ngầm ({underground} tuyến)</text><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#8a5a9e" stroke-width="0.8" stroke-dasharray="4 1.5 0.8 1.5"/><text x="{:.1}" y="{:.1}">Ranh giới</text></g>"##,
        lx + 3.5, ly + 1.5, lx + 7.5, ly + 4.2,
        lx + 1.5, ly + 7.0, lx + 5.5, ly + 7.0, lx + 7.5, ly + 7.9,
        lx + 1.5, ly + 10.8, lx + 5.5, ly + 10.8, lx + 7.5, ly + 11.7,
        lx + 1.5, ly + 14.6, lx + 5.5, ly + 14.6, lx + 7.5, ly + 15.5
    ));
    svg.push_str(&format!(r##"<rect x="0.2" y="0.2" width="{:.1}" height="{:.1}" fill="none" stroke="#333" stroke-width="0.4"/></svg>"##, MAP_WIDTH_MM - 0.4, MAP_HEIGHT_MM - 0.4));
    Ok(Some(svg))
}
