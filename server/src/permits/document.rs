//! The permit as a document: an HTML print view and a PDF, each with the
//! permit number, holder, works, conditions, a map of the site and a
//! verification link; and the public page that link opens, where anyone can
//! check that a permit shown to them is genuine and still valid.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use super::store::{self, Application};
use crate::accounts::policy::Principal;
use crate::http::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Fonts with Vietnamese glyphs (Debian's fonts-dejavu-core).
const FONT_REGULAR: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const FONT_BOLD: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

/// Everything printed on a permit.
struct Permit {
    application: Application,
    holder: String,
    ward_name: String,
    province_name: String,
    granted_on: NaiveDate,
    location: String,
    code: String,
    map: SiteMap,
}

/// The site and its surroundings in Web Mercator metres, for drawing.
struct SiteMap {
    bounds: [f64; 4],
    streets: Vec<Vec<[f64; 2]>>,
    site: Value,
}

/// The verification code printed on a permit: a digest of what it says.
fn verification_code(a: &Application, granted_on: NaiveDate) -> String {
    let text = format!(
        "{}|{}|{}|{}|{}",
        a.permit_number.as_deref().unwrap_or(""),
        a.id,
        a.operator,
        a.validity_end.map(|d| d.to_string()).unwrap_or_default(),
        granted_on
    );
    format!("{:x}", Sha256::digest(text.as_bytes()))[..12].to_uppercase()
}

async fn gather(conn: &mut PgConnection, application: Application) -> ApiResult<Permit> {
    if application.permit_number.is_none() {
        return Err(ApiError::conflict(format!(
            "there is no permit to print: the application is {} ({})",
            application.state.as_str(),
            application.state.label_vi()
        )));
    }
    let (holder, ward_name, province_name, lon, lat): (String, Option<String>, Option<String>, f64, f64) = sqlx::query_as(
        "select o.legal_name, w.name, pr.name, ST_X(ST_PointOnSurface(p.geom)), ST_Y(ST_PointOnSurface(p.geom))
         from permit_application p join operator o on o.id = p.operator_id
         left join admin_unit w on w.id = p.ward_id left join admin_unit pr on pr.id = w.parent_id
         where p.id = $1",
    )
    .bind(application.id)
    .fetch_one(&mut *conn)
    .await?;
    let granted_on: NaiveDate =
        sqlx::query_scalar("select day from permit_event where application_id = $1 and action = 'grant' order by id desc limit 1")
            .bind(application.id)
            .fetch_one(&mut *conn)
            .await?;
    let (x1, y1, x2, y2, streets, site): (f64, f64, f64, f64, sqlx::types::Json<Value>, sqlx::types::Json<Value>) = sqlx::query_as(
        "with site as (select ST_Transform(geom, 3857) as g from permit_application where id = $1),
              frame as (select ST_Expand(ST_Envelope(g), greatest(200, 0.3 * greatest(ST_XMax(g) - ST_XMin(g), ST_YMax(g) - ST_YMin(g)))) as b from site)
         select ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b),
                coalesce((select json_agg(ST_AsGeoJSON(ST_Intersection(ST_Transform(s.geom, 3857), b), 1)::json -> 'coordinates')
                          from street s where ST_Transform(s.geom, 3857) && b), '[]'),
                (select ST_AsGeoJSON(g, 1)::json from site)
         from frame",
    )
    .bind(application.id)
    .fetch_one(&mut *conn)
    .await?;
    let streets = streets
        .0
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .flat_map(lines_of)
        .collect();
    let code = verification_code(&application, granted_on);
    Ok(Permit {
        holder,
        ward_name: ward_name.unwrap_or_else(|| "…".into()),
        province_name: province_name.unwrap_or_default(),
        granted_on,
        location: format!("{lat:.6}° B, {lon:.6}° Đ (WGS84)"),
        code,
        map: SiteMap {
            bounds: [x1, y1, x2, y2],
            streets,
            site: site.0,
        },
        application,
    })
}

/// The lines in a GeoJSON coordinates array (a line or several).
fn lines_of(coordinates: &Value) -> Vec<Vec<[f64; 2]>> {
    let point = |p: &Value| Some([p.get(0)?.as_f64()?, p.get(1)?.as_f64()?]);
    match coordinates.as_array() {
        Some(items)
            if items
                .first()
                .is_some_and(|i| i.get(0).is_some_and(Value::is_number)) =>
        {
            vec![items.iter().filter_map(point).collect()]
        }
        Some(items) => items.iter().flat_map(lines_of).collect(),
        None => Vec::new(),
    }
}

async fn load_readable(state: &AppState, principal: &Principal, id: i64) -> ApiResult<Permit> {
    let mut conn = state.pool.acquire().await?;
    let application = store::load(&mut conn, id, false).await?;
    principal.may_read_application(application.operator_id, application.ward_id)?;
    gather(&mut conn, application).await
}

fn verify_url(headers: &HeaderMap, permit: &Permit) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let number = permit.application.permit_number.as_deref().unwrap_or("");
    format!("http://{host}{}", verify_path(number, &permit.code))
}

/// The public check of a permit, as a path: `/verify?number=…&code=…`.
pub fn verify_path(number: &str, code: &str) -> String {
    let number: String = number
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("/verify?number={number}&code={code}")
}

/// The verification code and public check path of a granted application
/// (granted on `granted_on`), as the printed permit shows them; `None` before
/// a grant.
pub fn verification(application: &Application, granted_on: NaiveDate) -> Option<(String, String)> {
    let number = application.permit_number.as_deref()?;
    let code = verification_code(application, granted_on);
    let path = verify_path(number, &code);
    Some((code, path))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn vi_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// The works, in a sentence.
fn works_line(permit: &Permit) -> String {
    let a = &permit.application;
    let mut line = format!("{}: {}", a.works_type.label_vi(), a.title);
    if let Some(tower) = &a.tower {
        line.push_str(&format!(
            " — cột loại {}, cao {} m{}",
            tower["tower_class"].as_str().unwrap_or(""),
            tower["height_m"],
            match tower["host_building_height_m"].as_f64() {
                Some(h) => format!(", trên công trình cao {h} m"),
                None => ", trên mặt đất".into(),
            }
        ));
    }
    line
}

fn svg_map(map: &SiteMap) -> String {
    let [x1, y1, x2, y2] = map.bounds;
    let (w, h) = (x2 - x1, y2 - y1);
    let to_svg = |p: &[f64; 2]| format!("{:.1},{:.1}", p[0] - x1, y2 - p[1]);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.1} {h:.1}\" class=\"site-map\" role=\"img\" aria-label=\"Sơ đồ vị trí\">\
         <rect width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#f7f7f4\"/>"
    );
    let stroke = w / 150.0;
    for street in &map.streets {
        let points: Vec<String> = street.iter().map(to_svg).collect();
        svg.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#b8b8b0\" stroke-width=\"{:.1}\"/>",
            points.join(" "),
            stroke * 2.0
        ));
    }
    let site_lines = lines_of(&map.site["coordinates"]);
    match map.site["type"].as_str() {
        Some("Point") => {
            if let Some(p) = site_lines.first().and_then(|l| l.first()) {
                let [cx, cy] = [p[0] - x1, y2 - p[1]];
                svg.push_str(&format!(
                    "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\" fill=\"#c0392b\"/>",
                    stroke * 4.0
                ));
            }
        }
        _ => {
            for line in site_lines {
                let points: Vec<String> = line.iter().map(to_svg).collect();
                svg.push_str(&format!("<polyline points=\"{}\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"{:.1}\"/>", points.join(" "), stroke * 2.5));
            }
        }
    }
    // A 100 m scale bar (Web Mercator metres are ~3.5% long at 15° N; close enough for a sketch).
    let bar = 100.0 / (15.0f64.to_radians().cos());
    svg.push_str(&format!(
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#222\" stroke-width=\"{:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{:.1}\">100 m</text></svg>",
        w * 0.05, h * 0.93, w * 0.05 + bar, h * 0.93, stroke, w * 0.05, h * 0.89, stroke * 8.0
    ));
    svg
}

/// `GET /api/v1/permits/{id}/permit.html`: the print view.
pub async fn html(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let permit = load_readable(&state, &principal, id).await?;
    let a = &permit.application;
    let url = verify_url(&headers, &permit);
    let body = format!(
        r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Giấy phép xây dựng {number}</title>
<style>
  body {{ font-family: "DejaVu Serif", "Times New Roman", serif; max-width: 180mm; margin: 12mm auto; color: #111; line-height: 1.45; }}
  .head {{ display: flex; justify-content: space-between; text-align: center; font-size: 13px; }}
  .head b {{ display: block; }}
  h1 {{ text-align: center; font-size: 20px; margin: 18px 0 2px; }}
  .sub {{ text-align: center; font-style: italic; margin-bottom: 16px; }}
  ol li {{ margin-bottom: 6px; }}
  .site-map {{ width: 100%; max-height: 90mm; border: 1px solid #999; }}
  .verify {{ font-size: 12px; border-top: 1px solid #999; margin-top: 16px; padding-top: 6px; }}
  @media print {{ .noprint {{ display: none; }} body {{ margin: 0 auto; }} }}
</style></head>
<body>
<p class="noprint"><button onclick="window.print()">In giấy phép</button></p>
<div class="head">
  <div><b>ỦY BAN NHÂN DÂN</b><b>PHƯỜNG {ward}</b>Số: {number}</div>
  <div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><b>Độc lập - Tự do - Hạnh phúc</b><i>{ward}, ngày {day:02} tháng {month:02} năm {year}</i></div>
</div>
<h1>GIẤY PHÉP XÂY DỰNG</h1>
<div class="sub">Công trình hạ tầng kỹ thuật viễn thông thụ động</div>
<ol>
  <li>Cấp cho: <b>{holder}</b> ({operator}). Hồ sơ số {reference}.</li>
  <li>Được phép xây dựng: {works}.</li>
  <li>Vị trí: phường {ward}, {province}; {location}.</li>
  <li>Mô tả: {description}</li>
  <li>Thời gian dự kiến: từ {start} đến {end}. Giấy phép hết hiệu lực nếu không khởi công trước ngày <b>{validity}</b>.</li>
  <li>Điều kiện: {conditions}</li>
  <li>Chủ đầu tư gửi bản sao giấy phép cho Sở Xây dựng và Sở Khoa học và Công nghệ trong 7 ngày làm việc kể từ ngày được cấp.</li>
</ol>
<p>Sơ đồ vị trí (đỏ: công trình; xám: đường phố):</p>
{map}
<div class="verify">Mã xác thực: <b>{code}</b>. Kiểm tra giấy phép tại: <a href="{url}">{url}</a></div>
</body></html>"#,
        number = escape(a.permit_number.as_deref().unwrap_or("")),
        ward = escape(&permit.ward_name.to_uppercase()),
        day = chrono::Datelike::day(&permit.granted_on),
        month = chrono::Datelike::month(&permit.granted_on),
        year = chrono::Datelike::year(&permit.granted_on),
        holder = escape(&permit.holder),
        operator = escape(&a.operator),
        reference = escape(&a.reference),
        works = escape(&works_line(&permit)),
        province = escape(&permit.province_name),
        location = escape(&permit.location),
        description = escape(if a.description.trim().is_empty() {
            "—"
        } else {
            &a.description
        }),
        start = vi_date(a.planned_start),
        end = vi_date(a.planned_end),
        validity = a.validity_end.map(vi_date).unwrap_or_default(),
        conditions = escape(
            a.conditions
                .as_deref()
                .unwrap_or("Thực hiện theo hồ sơ được duyệt và quy định hiện hành.")
        ),
        map = svg_map(&permit.map),
        code = permit.code,
        url = escape(&url),
    );
    Ok(Html(body).into_response())
}

/// Splits text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `GET /api/v1/permits/{id}/permit.pdf`.
pub async fn pdf(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    use printpdf::{Color, Line, Mm, PdfDocument, Point, Rgb};

    let permit = load_readable(&state, &principal, id).await?;
    let url = verify_url(&headers, &permit);
    let (regular, bold) = match (std::fs::read(FONT_REGULAR), std::fs::read(FONT_BOLD)) {
        (Ok(regular), Ok(bold)) => (regular, bold),
        _ => {
            return Ok((
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"error": {"code": "font_missing", "message":
                    format!("the PDF needs the DejaVu fonts ({FONT_REGULAR}); install Debian's fonts-dejavu-core (make deps does), or use the print view"),
                    "details": []}})),
            )
                .into_response());
        }
    };
    let number = permit.application.permit_number.clone().unwrap_or_default();
    let filename = format!("giay-phep-{}.pdf", permit.application.id);
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, printpdf::Error> {
        let (doc, page, layer) = PdfDocument::new(format!("Giấy phép xây dựng {number}"), Mm(210.0), Mm(297.0), "Trang 1");
        let font = doc.add_external_font(regular.as_slice())?;
        let font_bold = doc.add_external_font(bold.as_slice())?;
        let layer = doc.get_page(page).get_layer(layer);
        let a = &permit.application;
        let mut y = 280.0;
        let text = |t: &str, size: f32, x: f64, y: f64, bold: bool| layer.use_text(t, size, Mm(x as f32), Mm(y as f32), if bold { &font_bold } else { &font });
        text(&format!("ỦY BAN NHÂN DÂN PHƯỜNG {}", permit.ward_name.to_uppercase()), 10.0, 15.0, y, true);
        text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 10.0, 112.0, y, true);
        y -= 5.0;
        text(&format!("Số: {}", a.permit_number.as_deref().unwrap_or("")), 10.0, 15.0, y, false);
        text("Độc lập - Tự do - Hạnh phúc", 10.0, 122.0, y, true);
        y -= 6.0;
        text(&format!("{}, ngày {}", permit.ward_name, permit.granted_on.format("%d/%m/%Y")), 10.0, 122.0, y, false);
        y -= 14.0;
        text("GIẤY PHÉP XÂY DỰNG", 16.0, 72.0, y, true);
        y -= 6.0;
        text("Công trình hạ tầng kỹ thuật viễn thông thụ động", 10.0, 62.0, y, false);
        y -= 10.0;
        let items = [
            format!("1. Cấp cho: {} ({}). Hồ sơ số {}.", permit.holder, a.operator, a.reference),
            format!("2. Được phép xây dựng: {}.", works_line(&permit)),
            format!("3. Vị trí: phường {}, {}; {}.", permit.ward_name, permit.province_name, permit.location),
            format!("4. Mô tả: {}", if a.description.trim().is_empty() { "—" } else { &a.description }),
            format!(
                "5. Thời gian dự kiến: từ {} đến {}. Giấy phép hết hiệu lực nếu không khởi công trước ngày {}.",
                vi_date(a.planned_start),
                vi_date(a.planned_end),
                a.validity_end.map(vi_date).unwrap_or_default()
            ),
            format!("6. Điều kiện: {}", a.conditions.as_deref().unwrap_or("Thực hiện theo hồ sơ được duyệt và quy định hiện hành.")),
            "7. Chủ đầu tư gửi bản sao giấy phép cho Sở Xây dựng và Sở Khoa học và Công nghệ trong 7 ngày làm việc.".to_string(),
        ];
        for item in items {
            for line in wrap(&item, 95) {
                text(&line, 10.0, 15.0, y, false);
                y -= 5.0;
            }
            y -= 1.5;
        }
        // The site map: 180 × 90 mm, streets grey, the works red.
        let (left, bottom, width, height) = (15.0, y - 95.0, 180.0, 90.0);
        let [x1, y1, x2, y2] = permit.map.bounds;
        let scale = (width / (x2 - x1)).min(height / (y2 - y1));
        let to_page = |p: &[f64; 2]| Point::new(Mm((left + (p[0] - x1) * scale) as f32), Mm((bottom + (p[1] - y1) * scale) as f32));
        let frame = |points: Vec<Point>, closed: bool| Line { points: points.into_iter().map(|p| (p, false)).collect(), is_closed: closed };
        layer.set_outline_color(Color::Rgb(Rgb::new(0.6, 0.6, 0.6, None)));
        layer.set_outline_thickness(0.5);
        layer.add_line(frame(
            vec![
                Point::new(Mm(left as f32), Mm(bottom as f32)),
                Point::new(Mm((left + width) as f32), Mm(bottom as f32)),
                Point::new(Mm((left + width) as f32), Mm((bottom + height) as f32)),
                Point::new(Mm(left as f32), Mm((bottom + height) as f32)),
            ],
            true,
        ));
        layer.set_outline_color(Color::Rgb(Rgb::new(0.72, 0.72, 0.69, None)));
        layer.set_outline_thickness(2.0);
        for street in &permit.map.streets {
            if street.len() >= 2 {
                layer.add_line(frame(street.iter().map(to_page).collect(), false));
            }
        }
        layer.set_outline_color(Color::Rgb(Rgb::new(0.75, 0.22, 0.17, None)));
        layer.set_outline_thickness(3.0);
        for line in lines_of(&permit.map.site["coordinates"]) {
            let points: Vec<Point> = if line.len() == 1 {
                let [x, y] = line[0];
                let r = 6.0 / scale;
                vec![to_page(&[x - r, y - r]), to_page(&[x + r, y - r]), to_page(&[x + r, y + r]), to_page(&[x - r, y + r])]
            } else {
                line.iter().map(to_page).collect()
            };
            layer.add_line(frame(points, line.len() == 1));
        }
        let y = bottom - 8.0;
        text(&format!("Mã xác thực: {}", permit.code), 9.0, 15.0, y, true);
        text(&format!("Kiểm tra tại: {url}"), 8.0, 15.0, y - 5.0, false);
        doc.save_to_bytes()
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(|e| ApiError::Internal(format!("PDF: {e}")))?;
    let mut response = (StatusCode::OK, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct VerifyParams {
    number: Option<String>,
    code: Option<String>,
}

/// `GET /verify?number=…&code=…`: public check of a printed permit.
pub async fn verify_page(
    State(state): State<AppState>,
    Query(params): Query<VerifyParams>,
) -> ApiResult<Response> {
    let number = params.number.unwrap_or_default();
    let mut conn = state.pool.acquire().await?;
    let id: Option<i64> =
        sqlx::query_scalar("select id from permit_application where permit_number = $1")
            .bind(&number)
            .fetch_optional(&mut *conn)
            .await?;
    let (status, verdict, detail) = match id {
        None => (
            StatusCode::NOT_FOUND,
            "Không tìm thấy giấy phép",
            format!(
                "Không có giấy phép số {} trong sổ đăng ký.",
                escape(&number)
            ),
        ),
        Some(id) => {
            let application = store::load(&mut conn, id, false).await?;
            let permit = gather(&mut conn, application).await?;
            let a = &permit.application;
            let matches = params.code.as_deref().map(str::to_uppercase).as_deref()
                == Some(permit.code.as_str());
            let verdict = if !matches {
                "Mã xác thực không khớp — bản in có thể đã bị sửa"
            } else if a.state == super::state::PermitState::Lapsed {
                "Giấy phép đã hết hiệu lực"
            } else {
                "Giấy phép hợp lệ"
            };
            (
                if matches {
                    StatusCode::OK
                } else {
                    StatusCode::CONFLICT
                },
                verdict,
                format!(
                    "Số {} cấp ngày {} cho {} — {}; phường {}; khởi công trước {}; trạng thái: {}.",
                    escape(&number),
                    vi_date(permit.granted_on),
                    escape(&permit.holder),
                    escape(&works_line(&permit)),
                    escape(&permit.ward_name),
                    a.validity_end.map(vi_date).unwrap_or_default(),
                    a.state.label_vi()
                ),
            )
        }
    };
    let page = format!(
        "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Kiểm tra giấy phép</title>\
         <body style=\"font-family:sans-serif;max-width:40em;margin:2em auto\"><h1>{verdict}</h1><p>{detail}</p>\
         <p><small>Hạ tầng — sổ đăng ký hạ tầng viễn thông thụ động</small></p></body></html>"
    );
    Ok((status, Html(page)).into_response())
}
