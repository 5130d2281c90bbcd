//! The permit as a document — the construction permit the ward's People's
//! Committee issues (Decree 140/2025/NĐ-CP, Art. 4), on the form of the decree
//! in force (Phụ lục II of Decree 175/2024/NĐ-CP until 30/6/2026; the rule
//! `document.permit` holds the form, its legal bases and the holder's duties
//! for each period) — and the public page its verification link opens.
//!
//! [`gather`] reads what the permit says; [`permit_document`] turns it into
//! the one view model that the print view (HTML), the DOCX and the PDF are
//! rendered from ([`crate::documents`]). The verification link and its QR
//! code use the configured public address (`--public-url`), never the
//! address of the request.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use utoipa::IntoParams;

use super::WorksType;
use super::site_plan::{self, SitePlan};
use super::store::{self, Application};
use crate::documents::{self, Align, Annex, Block, Document, Run, Signature, Verification, vn};
use crate::http::error::{ApiError, ApiResult, Code, ErrorBody, Problem};
use crate::policy::Principal;
use crate::rules;
use crate::state::AppState;

/// Everything printed on a permit.
pub struct Permit {
    pub application: Application,
    pub holder: String,
    /// `phường`, `xã`.
    pub unit_type: String,
    pub ward_name: String,
    pub province_type: String,
    pub province_name: String,
    pub granted_on: NaiveDate,
    pub submitted_on: Option<NaiveDate>,
    /// The verification code printed on the permit.
    pub code: String,
    /// VN-2000 TM-3 (or UTM) coordinates of the site: a point, or a line's ends.
    pub coordinates: Vec<[f64; 2]>,
    /// Length of a line site, metres.
    pub length_m: Option<f64>,
    /// Streets along the works (lines) or the nearest one (points).
    pub streets: Vec<String>,
    pub plan: SitePlan,
    /// The form, legal bases and duties in force on the day of the grant.
    pub form: PermitForm,
}

/// The rule `document.permit`: the form and what it cites.
#[derive(Debug, Clone, Default)]
pub struct PermitForm {
    /// The form the permit follows (`Phụ lục II Nghị định 175/2024/NĐ-CP`).
    pub form: String,
    pub bases: Vec<String>,
    /// What the holder must do (page 2 of the form).
    pub duties: Vec<String>,
    /// Who proposes the decision (`Phòng Kinh tế, Hạ tầng và Đô thị`).
    pub department: String,
    /// The archive symbol of that department (`KTHTĐT`).
    pub department_symbol: String,
    /// Not yet checked against the legal text.
    pub provisional: bool,
}

impl PermitForm {
    fn from_rule(rule: &rules::Rule) -> Self {
        let value = &rule.value.0;
        let texts = |field: &str| -> Vec<String> {
            value[field]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default()
        };
        let text =
            |field: &str, default: &str| value[field].as_str().unwrap_or(default).to_string();
        Self {
            form: text("form", &rule.citation),
            bases: texts("bases"),
            duties: texts("duties"),
            department: text("department", "Phòng Kinh tế, Hạ tầng và Đô thị"),
            department_symbol: text("department_symbol", "KTHTĐT"),
            provisional: rule.provisional,
        }
    }
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

/// Reads what the permit of `application` says.
pub async fn gather(conn: &mut PgConnection, application: Application) -> ApiResult<Permit> {
    if application.permit_number.is_none() {
        return Err(ApiError::conflict(
            Problem::new(
                Code::NotGranted,
                format!(
                    "there is no permit to print: the application is {} ({})",
                    application.state.as_str(),
                    application.state.label_vi()
                ),
            )
            .with("state", application.state.as_str()),
        ));
    }
    type Facts = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<f64>,
        f64,
    );
    let (holder, ward_name, unit_type, province_name, province_type, province_code, meridian, lon): Facts = sqlx::query_as(
        "select o.legal_name, w.name, w.unit_type, pr.name, pr.unit_type, pr.gso_code, pr.tm3_meridian,
                ST_X(ST_PointOnSurface(p.geom))
         from permit_application p join operator o on o.id = p.operator_id
         left join admin_unit w on w.id = p.ward_id left join admin_unit pr on pr.id = w.parent_id
         where p.id = $1",
    )
    .bind(application.id)
    .fetch_one(&mut *conn)
    .await?;
    let (granted_on, submitted_on): (NaiveDate, Option<NaiveDate>) = sqlx::query_as(
        "select (select day from permit_event where application_id = $1 and action = 'grant' order by id desc limit 1),
                (select day from permit_event where application_id = $1 and action = 'submit' order by id limit 1)",
    )
    .bind(application.id)
    .fetch_one(&mut *conn)
    .await?;
    let (srid, crs_label) = site_plan::projection(meridian, lon);
    let (coordinates, length_m): (sqlx::types::Json<Value>, Option<f64>) = sqlx::query_as(
        "with s as (select geom from permit_application where id = $1)
         select case when GeometryType(geom) = 'POINT' then json_build_array(json_build_array(ST_X(ST_Transform(geom, $2)), ST_Y(ST_Transform(geom, $2))))
                     when GeometryType(geom) in ('LINESTRING', 'MULTILINESTRING') then json_build_array(
                          json_build_array(ST_X(ST_Transform(ST_StartPoint(ST_GeometryN(geom, 1)), $2)), ST_Y(ST_Transform(ST_StartPoint(ST_GeometryN(geom, 1)), $2))),
                          json_build_array(ST_X(ST_Transform(ST_EndPoint(ST_GeometryN(geom, ST_NumGeometries(geom))), $2)), ST_Y(ST_Transform(ST_EndPoint(ST_GeometryN(geom, ST_NumGeometries(geom))), $2))))
                     else json_build_array(json_build_array(ST_X(ST_Transform(ST_PointOnSurface(geom), $2)), ST_Y(ST_Transform(ST_PointOnSurface(geom), $2)))) end,
                case when ST_Dimension(geom) = 1 then ST_Length(geom::geography) end
         from s",
    )
    .bind(application.id)
    .bind(srid)
    .fetch_one(&mut *conn)
    .await?;
    // A route follows the streets it runs along for at least a fifth of its
    // length (or 100 m); crossing streets do not count. A point names the
    // nearest street within 150 m.
    let streets: Vec<String> = sqlx::query_scalar(
        "with p as (select geom, ST_Dimension(geom) as dim, ST_Length(geom::geography) as len from permit_application where id = $1),
              near as (
             select s.name, p.dim, p.len,
                    case when p.dim = 1
                         then ST_Length(ST_Intersection(p.geom, ST_Buffer(s.geom::geography, 25)::geometry)::geography)
                         else -ST_Distance(s.geom::geography, p.geom::geography) end as score
             from street s, p
             where s.geom && metres_box(p.geom, case when p.dim = 1 then 25 else 150 end)
               and ST_DWithin(s.geom::geography, p.geom::geography, case when p.dim = 1 then 25 else 150 end))
         select name from near
         group by name, dim, len
         having dim <> 1 or sum(score) >= least(100, 0.2 * len)
         order by sum(score) desc limit case when (select dim from p) = 1 then 4 else 1 end",
    )
    .bind(application.id)
    .fetch_all(&mut *conn)
    .await?;
    let plan = site_plan::gather(conn, application.id, srid, crs_label).await?;
    let form = rules::find(
        conn,
        "document.permit",
        province_code.as_deref(),
        granted_on,
    )
    .await?
    .map(|rule| PermitForm::from_rule(&rule))
    .unwrap_or_default();
    let code = verification_code(&application, granted_on);
    Ok(Permit {
        holder,
        unit_type: unit_type.unwrap_or_else(|| "phường".into()),
        ward_name: ward_name.unwrap_or_else(|| "…".into()),
        province_type: province_type.unwrap_or_else(|| "tỉnh".into()),
        province_name: province_name.unwrap_or_default(),
        granted_on,
        submitted_on,
        code,
        coordinates: coordinates
            .0
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some([p.get(0)?.as_f64()?, p.get(1)?.as_f64()?]))
            .collect(),
        length_m,
        streets,
        plan,
        form,
        application,
    })
}

async fn load_readable(state: &AppState, principal: &Principal, id: i64) -> ApiResult<Permit> {
    let mut conn = state.pool.acquire().await?;
    let application = store::load(&mut conn, id, false).await?;
    principal.may_read_application(application.operator_id, application.ward_id)?;
    gather(&mut conn, application).await
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

/// `Chánh Lộ` → `phường Chánh Lộ`.
fn unit(unit_type: &str, name: &str) -> String {
    format!("{unit_type} {name}")
}

/// The tower's class in words.
fn tower_class_words(class: &str) -> &'static str {
    match class {
        "A1" => "cột ăng ten không cồng kềnh",
        "A1b" => "cột ăng ten ngụy trang",
        "A2a" => "cột ăng ten lắp đặt trên công trình xây dựng",
        "A2b" => "cột ăng ten lắp đặt trên mặt đất",
        _ => "cột ăng ten",
    }
}

/// Northing and easting as Vietnamese surveyors write them: `X = 1.672.345,12 m; Y = 587.123,45 m`.
fn xy(p: &[f64; 2]) -> String {
    format!(
        "X = {} m; Y = {} m",
        vn::number(p[1], 2),
        vn::number(p[0], 2)
    )
}

/// The permit as a document.
pub fn permit_document(
    permit: &Permit,
    verify_url: &str,
) -> Result<Document, documents::figures::FigureError> {
    let a = &permit.application;
    let number = a.permit_number.clone().unwrap_or_default();
    let ward = unit(&permit.unit_type, &permit.ward_name);
    let province = unit(&permit.province_type, &permit.province_name);
    let along_route =
        a.works_type.allowed_geometry().contains(&"LineString") && permit.length_m.is_some();
    let item = |label: &str, text: String| Block::runs(vec![Run::bold(label), Run::plain(text)]);
    let sub = |text: String| Block::Paragraph {
        runs: vec![Run::plain(format!("- {text}"))],
        align: Align::Justify,
        indent: true,
    };

    let mut works = vec![sub(format!(
        "Loại công trình: {} ({}).",
        a.works_type.label_vi(),
        if along_route {
            "công trình theo tuyến"
        } else {
            "công trình không theo tuyến"
        }
    ))];
    works.push(sub(format!(
        "Theo hồ sơ thiết kế kèm theo hồ sơ đề nghị cấp giấy phép số {}.",
        a.reference
    )));
    let place = match permit.streets.first() {
        Some(street) if !along_route => format!("gần đường {street}, {ward}, {province}"),
        _ => format!("{ward}, {province}"),
    };
    works.push(sub(format!("Vị trí xây dựng: {place}.")));
    match (along_route, permit.coordinates.as_slice()) {
        (true, [start, end, ..]) => {
            works.push(sub(format!(
                "Tọa độ đầu tuyến: {}; cuối tuyến: {} ({}).",
                xy(start),
                xy(end),
                permit.plan.crs_label
            )));
        }
        (_, [p, ..]) => works.push(sub(format!(
            "Tọa độ: {} ({}).",
            xy(p),
            permit.plan.crs_label
        ))),
        _ => {}
    }
    if along_route {
        if !permit.streets.is_empty() {
            works.push(sub(format!(
                "Hướng tuyến: dọc theo đường {}.",
                permit.streets.join(", ")
            )));
        }
        if let Some(length) = permit.length_m {
            works.push(sub(format!(
                "Tổng chiều dài tuyến: {}.",
                vn::metres(length)
            )));
        }
        let placement = match a.works_type {
            WorksType::OverheadCable | WorksType::PoleLine => "đi nổi (treo trên cột)",
            _ => "đi ngầm",
        };
        works.push(sub(format!("Hình thức lắp đặt: {placement}.")));
    }
    if let Some(tower) = &a.tower {
        let class = tower["tower_class"].as_str().unwrap_or("");
        works.push(sub(format!(
            "Loại cột: {class} — {}.",
            tower_class_words(class)
        )));
        if let Some(height) = tower["height_m"].as_f64() {
            works.push(sub(format!("Chiều cao cột: {}.", vn::metres(height))));
        }
        match tower["host_building_height_m"].as_f64() {
            Some(h) => works.push(sub(format!(
                "Lắp đặt trên công trình hiện có cao {}.",
                vn::metres(h)
            ))),
            None if class != "A2b" => works.push(sub("Lắp đặt trên mặt đất.".into())),
            None => {}
        }
    }
    if !a.description.trim().is_empty() {
        works.push(sub(format!("Mô tả: {}", a.description.trim())));
    }

    let mut body = vec![item(
        "1. Cấp cho: ",
        format!(
            "{} (mã doanh nghiệp trên Hạ tầng: {}).",
            permit.holder, a.operator
        ),
    )];
    body.push(item(
        "2. Được phép xây dựng công trình: ",
        format!("{}.", a.title),
    ));
    body.extend(works);
    body.push(item(
        "3. Thời gian xây dựng dự kiến: ",
        format!(
            "từ ngày {} đến ngày {}.",
            vn::short_date(a.planned_start),
            vn::short_date(a.planned_end)
        ),
    ));
    body.push(item(
        "4. Điều kiện: ",
        a.conditions
            .clone()
            .unwrap_or_else(|| "Thực hiện theo hồ sơ được duyệt và quy định hiện hành.".into()),
    ));
    let validity = a
        .validity_end
        .map(vn::long_date)
        .map(|d| format!(" (đến {d})"))
        .unwrap_or_default();
    body.push(item(
        "5. Hiệu lực: ",
        format!("Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp{validity}; quá thời hạn trên thì phải đề nghị gia hạn giấy phép xây dựng."),
    ));

    let mut bases = permit.form.bases.clone();
    let submitted = permit
        .submitted_on
        .map(|d| format!(" ngày {}", vn::short_date(d)))
        .unwrap_or_default();
    bases.push(format!(
        "Xét đơn đề nghị cấp giấy phép xây dựng của {}{submitted} (hồ sơ số {});",
        permit.holder, a.reference
    ));
    bases.push(format!("Theo đề nghị của {}.", permit.form.department));

    let duties = if permit.form.duties.is_empty() {
        vec!["Thực hiện đúng giấy phép này và các quy định của pháp luật về xây dựng.".to_string()]
    } else {
        permit.form.duties.clone()
    };
    let duties: Vec<Block> = duties
        .iter()
        .enumerate()
        .map(|(i, d)| Block::text(format!("{}. {d}", i + 1)))
        .collect();
    let plan_heading = format!(
        "Kèm theo Giấy phép xây dựng số {number} {}",
        vn::long_date(permit.granted_on)
    );
    let mut annex_body = vec![Block::heading(
        1,
        "CHỦ ĐẦU TƯ PHẢI THỰC HIỆN CÁC NỘI DUNG SAU ĐÂY:",
    )];
    annex_body.extend(duties);
    annex_body.push(Block::heading(1, "SƠ ĐỒ VỊ TRÍ CÔNG TRÌNH"));
    annex_body.push(Block::Paragraph {
        runs: vec![Run::italic(plan_heading.clone())],
        align: Align::Center,
        indent: false,
    });
    annex_body.push(Block::Figure {
        svg: permit.plan.svg(),
        width_mm: site_plan::WIDTH_MM,
        height_mm: site_plan::HEIGHT_MM,
        caption: Some(format!(
            "Tỷ lệ {}. {}. Đỏ: công trình; xám: đường phố.",
            permit.plan.scale_label(),
            permit.plan.crs_label
        )),
    });

    let recipients = vec![
        format!("- {} (chủ đầu tư);", permit.holder),
        format!("- Sở Xây dựng {province};"),
        format!("- Sở Khoa học và Công nghệ {province};"),
        format!("- Lưu: VT, {}.", permit.form.department_symbol),
    ];
    let place = permit.ward_name.clone();
    Ok(Document {
        title: format!("Giấy phép xây dựng số {number}"),
        parent_body: None,
        issuer: format!("ỦY BAN NHÂN DÂN {}", ward.to_uppercase()),
        number: format!("Số: {number}"),
        place_date: format!("{place}, {}", vn::long_date(permit.granted_on)),
        kind: "GIẤY PHÉP XÂY DỰNG".into(),
        summary: Some(
            if along_route {
                "(Sử dụng cho công trình theo tuyến)"
            } else {
                "(Sử dụng cho công trình không theo tuyến)"
            }
            .into(),
        ),
        bases,
        body,
        recipients,
        signature: Signature {
            authority: vec!["TM. ỦY BAN NHÂN DÂN".into()],
            title: "CHỦ TỊCH".into(),
            note: "(Ký, ghi rõ họ tên và đóng dấu)".into(),
            name: None,
        },
        annexes: vec![Annex {
            heading: "TRANG 2 CỦA GIẤY PHÉP XÂY DỰNG".into(),
            subheading: Some(format!("Số {number}")),
            body: annex_body,
        }],
        verification: Some(Verification {
            code: permit.code.clone(),
            url: verify_url.to_string(),
            qr_svg: documents::figures::qr_svg(verify_url)?,
        }),
    })
}

/// The permit's document and file name, or why it cannot be printed.
async fn prepare(
    state: &AppState,
    principal: &Principal,
    id: i64,
) -> ApiResult<(Permit, Document)> {
    let base = state.public_url.base().ok_or_else(|| {
        ApiError::Unconfigured(Problem::new(
            Code::PublicUrlMissing,
            "permits are not printed without the server's public address: start Hatang with --public-url (HATANG_PUBLIC_URL), the address people open to verify a permit",
        ))
    })?;
    let permit = load_readable(state, principal, id).await?;
    let number = permit.application.permit_number.clone().unwrap_or_default();
    let url = format!("{base}{}", verify_path(&number, &permit.code));
    let doc = permit_document(&permit, &url).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((permit, doc))
}

fn download(
    bytes: Vec<u8>,
    content_type: &'static str,
    filename: String,
    inline: bool,
) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!(
        "{}; filename=\"{filename}\"",
        if inline { "inline" } else { "attachment" }
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /api/v1/permits/{id}/permit.html`: the print view.
#[utoipa::path(get, path = "/permits/{id}/permit.html", tag = "Permits", operation_id = "permit_html",
    summary = "The permit, as a page to print",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "The print view (the same text as the DOCX and PDF).", content_type = "text/html", body = String),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not the applicant or the ward's staff.", body = ErrorBody),
              (status = 404, description = "No such application.", body = ErrorBody),
              (status = 409, description = "No permit granted (reason `not_granted`).", body = ErrorBody),
              (status = 503, description = "No public address configured (reason `public_url_missing`).", body = ErrorBody)))]
pub async fn html(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let (permit, doc) = prepare(&state, &principal, id).await?;
    let mut notes = Vec::new();
    if permit.form.provisional {
        notes.push(format!(
            "Căn cứ pháp lý và mẫu giấy phép ({}) chưa được đối chiếu với văn bản gốc.",
            permit.form.form
        ));
    }
    let page =
        documents::html::render(&doc, &notes).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Html(page).into_response())
}

/// `GET /api/v1/permits/{id}/permit.docx`.
#[utoipa::path(get, path = "/permits/{id}/permit.docx", tag = "Permits", operation_id = "permit_docx",
    summary = "The permit as DOCX, to edit, sign and file",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "The DOCX.", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = String),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not the applicant or the ward's staff.", body = ErrorBody),
              (status = 404, description = "No such application.", body = ErrorBody),
              (status = 409, description = "No permit granted (reason `not_granted`).", body = ErrorBody),
              (status = 503, description = "No public address configured (reason `public_url_missing`).", body = ErrorBody)))]
pub async fn docx(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let (permit, doc) = prepare(&state, &principal, id).await?;
    let bytes = tokio::task::spawn_blocking(move || documents::docx::render(&doc))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("giay-phep-{}.docx", permit.application.id),
        false,
    ))
}

/// `GET /api/v1/permits/{id}/permit.pdf`.
#[utoipa::path(get, path = "/permits/{id}/permit.pdf", tag = "Permits", operation_id = "permit_pdf",
    summary = "The permit as PDF (LibreOffice's typesetting of the DOCX)",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "The PDF.", content_type = "application/pdf", body = String),
              (status = 401, description = "Not logged in.", body = ErrorBody),
              (status = 403, description = "Not the applicant or the ward's staff.", body = ErrorBody),
              (status = 404, description = "No such application.", body = ErrorBody),
              (status = 409, description = "No permit granted (reason `not_granted`).", body = ErrorBody),
              (status = 503, description = "No public address configured (`public_url_missing`) or no LibreOffice on the server (`pdf_unavailable`).", body = ErrorBody)))]
pub async fn pdf(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    if !state.pdf.available() {
        return Err(documents::pdf::PdfError::NoLibreOffice.into());
    }
    let (permit, doc) = prepare(&state, &principal, id).await?;
    let bytes = tokio::task::spawn_blocking(move || documents::docx::render(&doc))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let pdf = state.pdf.convert(&bytes).await?;
    Ok(download(
        pdf.to_vec(),
        "application/pdf",
        format!("giay-phep-{}.pdf", permit.application.id),
        true,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyParams {
    /// The permit's number as printed.
    number: Option<String>,
    /// The verification code printed beside the QR code.
    code: Option<String>,
}

fn escape(text: &str) -> String {
    documents::figures::xml_escape(text)
}

/// `GET /verify?number=…&code=…`: public check of a printed permit.
#[utoipa::path(get, path = "/verify", tag = "Permits", operation_id = "verify_permit",
    summary = "Public check of a printed permit", security(()), params(VerifyParams),
    responses((status = 200, description = "Genuine: what the permit says and its state.", content_type = "text/html", body = String),
              (status = 404, description = "No such permit.", content_type = "text/html", body = String),
              (status = 409, description = "The code does not match what the permit says.", content_type = "text/html", body = String)))]
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
                    "Số {} cấp {} cho {} — {}; {}; khởi công trước {}; trạng thái: {}.",
                    escape(&number),
                    vn::long_date(permit.granted_on),
                    escape(&permit.holder),
                    escape(&format!("{}: {}", a.works_type.label_vi(), a.title)),
                    escape(&unit(&permit.unit_type, &permit.ward_name)),
                    a.validity_end.map(vn::short_date).unwrap_or_default(),
                    a.state.label_vi()
                ),
            )
        }
    };
    let page = format!(
        "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Kiểm tra giấy phép</title>\
         <body style=\"font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em\"><h1>{verdict}</h1><p>{detail}</p>\
         <p><small>Hạ tầng — sổ đăng ký hạ tầng viễn thông thụ động</small></p></body></html>"
    );
    Ok((status, Html(page)).into_response())
}
