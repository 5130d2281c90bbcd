//! Automatic pre-checks, run when an application is submitted and again on
//! demand. Each says what it found (with the features on the map) and cites
//! the rule it applied, so that the operator and the ward see the same thing:
//!
//! - **exemption**: non-bulky A1 towers, and towers outside urban areas that
//!   match the approved plan, need no permit — notification only;
//! - **sharing**: existing towers within the province's distance for the class
//!   → sharing required (or suggested), with the candidates and their distance;
//! - **undergrounding**: no new overhead cable on a street that must go underground
//!   (a route within 15 m of the street's centre line runs along it: poles stand on the pavement);
//! - **dig-once**: other operators' planned works and announced civil works
//!   nearby at the same time, and no-dig periods after resurfacing;
//! - **restricted zones**: heritage sites and other configured zones.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::WorksType;
use super::store::Application;
use crate::rules;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Info,
    Warning,
    Blocking,
    Exempt,
    /// The works need a construction permit (the answer of the exemption check).
    Required,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Blocking => "blocking",
            Self::Exempt => "exempt",
            Self::Required => "required",
        }
    }
}

/// What one check found.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PermitFinding)]
pub struct Finding {
    pub check_key: &'static str,
    pub outcome: Outcome,
    pub message_vi: String,
    pub message_en: String,
    #[schema(required = true)]
    pub citation: Option<String>,
    #[schema(required = true)]
    pub rule_id: Option<i64>,
    /// Related features for the map: `{"features": [{id, name, distance_m, geometry}], ...}`.
    #[schema(value_type = Object)]
    pub details: Value,
}

impl Finding {
    fn new(
        check_key: &'static str,
        outcome: Outcome,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            check_key,
            outcome,
            message_vi: vi.into(),
            message_en: en.into(),
            citation: None,
            rule_id: None,
            details: json!({}),
        }
    }

    fn cite(mut self, rule: &rules::Rule) -> Self {
        self.citation = Some(rule.citation.clone());
        self.rule_id = Some(rule.id);
        self
    }

    fn with(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// Where the application is: its province (for the rules) and whether the
/// ward is urban (a phường) or rural (a xã).
struct Place {
    province_code: Option<String>,
    urban: bool,
}

async fn place(conn: &mut PgConnection, application: &Application) -> sqlx::Result<Place> {
    let row: Option<(Option<String>, String)> = sqlx::query_as(
        "select p.gso_code, w.unit_type from admin_unit w join admin_unit p on p.id = w.parent_id where w.id = $1",
    )
    .bind(application.ward_id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some((province_code, unit_type)) => Place {
            province_code,
            urban: unit_type != "xã",
        },
        None => Place {
            province_code: None,
            urban: true,
        },
    })
}

/// Runs every check that applies to the application's works.
pub async fn run(
    conn: &mut PgConnection,
    application: &Application,
    on: NaiveDate,
) -> sqlx::Result<Vec<Finding>> {
    let place = place(conn, application).await?;
    let mut findings = Vec::new();
    if application.works_type == WorksType::Tower {
        findings.push(exemption(conn, application, &place, on).await?);
        findings.push(sharing(conn, application, &place, on).await?);
    }
    if matches!(
        application.works_type,
        WorksType::OverheadCable | WorksType::PoleLine
    ) {
        findings.push(undergrounding(conn, application).await?);
    }
    if application.works_type.digs() {
        findings.extend(dig_once(conn, application).await?);
    }
    findings.push(restricted_zones(conn, application).await?);
    Ok(findings)
}

async fn exemption(
    conn: &mut PgConnection,
    application: &Application,
    place: &Place,
    on: NaiveDate,
) -> sqlx::Result<Finding> {
    let Some(rule) =
        rules::find(conn, "exemption.towers", place.province_code.as_deref(), on).await?
    else {
        return Ok(Finding::new(
            "exemption",
            Outcome::Info,
            "Chưa có quy định về miễn giấy phép đang có hiệu lực.",
            "No exemption rule is in force.",
        ));
    };
    let class = application.tower_class().unwrap_or_default();
    let exempt_classes: Vec<String> = rule.value.0["classes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(String::from))
        .collect();
    // "A1" names the family: A1a (on a building) and A1b (disguised) are A1 masts.
    if exempt_classes.iter().any(|c| class.starts_with(c.as_str())) {
        // The class is declared; whether the mast is one is a matter of its figures.
        let a1 = rules::find(conn, "tower_class.a1", place.province_code.as_deref(), on).await?;
        let check = a1
            .as_ref()
            .map_or(ClassCheck::NotChecked, |a1| class_check(application, a1));
        return Ok(match (a1, check) {
            (Some(a1), ClassCheck::Exceeds { height, limit, building }) => Finding::new(
                "exemption",
                Outcome::Required,
                format!(
                    "Khai báo loại {class} nhưng cột cao {} m, vượt giới hạn của cột ăng ten không cồng kềnh tự đứng trên công trình: tối đa {} m và không quá {}% chiều cao công trình ({} m → {} m). Cột không thuộc loại A1 nên cần giấy phép xây dựng.",
                    vi_number(height), vi_number(a1_value(&a1, "max_height_m", 3.0)),
                    vi_number(a1_value(&a1, "max_share_of_building", 0.2) * 100.0), vi_number(building), vi_number(limit)
                ),
                format!(
                    "Declared {class}, but the mast is {height} m tall, above the limit of a self-standing non-bulky mast on a building: at most {} m and {}% of the building height ({building} m → {limit} m). It is not an A1 mast and needs a construction permit.",
                    a1_value(&a1, "max_height_m", 3.0), a1_value(&a1, "max_share_of_building", 0.2) * 100.0
                ),
            )
            .cite(&a1)
            .with(json!({"decided_by": "tower_class.a1", "height_m": height, "limit_m": limit, "building_height_m": building})),
            (Some(a1), ClassCheck::OnTheGround) => Finding::new(
                "exemption",
                Outcome::Required,
                format!("Khai báo loại {class} nhưng cột đặt trên mặt đất: cột không cồng kềnh là cột lắp trên công trình xây dựng. Cột không thuộc loại A1 nên cần giấy phép xây dựng."),
                format!("Declared {class}, but the mast stands on the ground: a non-bulky mast is one installed on a building. It is not an A1 mast and needs a construction permit."),
            )
            .cite(&a1)
            .with(json!({"decided_by": "tower_class.a1"})),
            (Some(a1), ClassCheck::NoBuildingHeight) => Finding::new(
                "exemption",
                Outcome::Info,
                format!("Khai báo loại {class} nhưng chưa có chiều cao công trình: không kiểm tra được giới hạn 20% và {} m của cột không cồng kềnh. Cán bộ cần đối chiếu hồ sơ.", vi_number(a1_value(&a1, "max_height_m", 3.0))),
                format!("Declared {class}, but the building height is missing: the 20% and {} m limits of a non-bulky mast cannot be checked. The reviewer must check the file.", a1_value(&a1, "max_height_m", 3.0)),
            )
            .cite(&a1)
            .with(json!({"decided_by": "tower_class.a1"})),
            (Some(a1), ClassCheck::Within { height, limit, building }) => Finding::new(
                "exemption",
                Outcome::Exempt,
                format!(
                    "Cột loại {class} cao {} m, trong giới hạn của cột không cồng kềnh ({} m: không quá {} m và {}% chiều cao công trình {} m; {}): được miễn giấy phép xây dựng theo {} — chỉ cần thông báo.",
                    vi_number(height), vi_number(limit), vi_number(a1_value(&a1, "max_height_m", 3.0)),
                    vi_number(a1_value(&a1, "max_share_of_building", 0.2) * 100.0), vi_number(building), a1.citation, rule.citation
                ),
                format!(
                    "A class {class} mast of {height} m, within the limits of a non-bulky mast ({limit} m: at most {} m and {}% of the {building} m building; {}): exempt from a construction permit under {} — notification only.",
                    a1_value(&a1, "max_height_m", 3.0), a1_value(&a1, "max_share_of_building", 0.2) * 100.0, a1.citation, rule.citation
                ),
            )
            .cite(&rule)
            .with(json!({"decided_by": "exemption.towers", "checked_by": "tower_class.a1", "height_m": height, "limit_m": limit, "building_height_m": building})),
            // A disguised mast (A1b) has no height limit to check; without the
            // class rule nothing can be checked either.
            (a1, _) => Finding::new(
                "exemption",
                Outcome::Exempt,
                format!("Cột ăng ten loại {class} (không cồng kềnh) được miễn giấy phép xây dựng — chỉ cần thông báo."),
                format!("A class {class} (non-bulky) antenna mast needs no construction permit — notification only."),
            )
            .cite(&rule)
            .with(json!({"decided_by": "exemption.towers", "class_checked": a1.is_some() && class != "A1b"})),
        });
    }
    if !place.urban && rule.value.0["outside_urban_when_in_plan"] == json!(true) {
        return Ok(Finding::new(
            "exemption",
            Outcome::Info,
            "Ngoài đô thị: được miễn phép nếu phù hợp quy hoạch đã được phê duyệt. Cán bộ cần đối chiếu quy hoạch.",
            "Outside urban areas: exempt if the site matches the approved plan. The reviewer must check the plan.",
        )
        .cite(&rule));
    }
    Ok(Finding::new(
        "exemption",
        Outcome::Required,
        format!("Cột loại {class} trong đô thị không thuộc diện miễn: cần giấy phép xây dựng."),
        format!(
            "A class {class} tower in an urban area is not exempt: it needs a construction permit."
        ),
    )
    .cite(&rule)
    .with(json!({"decided_by": "exemption.towers"})))
}

/// What the heights say of a mast declared non-bulky (A1, A1a).
#[derive(Debug, Clone, Copy, PartialEq)]
enum ClassCheck {
    /// A disguised mast (A1b), or no tower figures: nothing to check.
    NotChecked,
    OnTheGround,
    NoBuildingHeight,
    Exceeds {
        height: f64,
        limit: f64,
        building: f64,
    },
    Within {
        height: f64,
        limit: f64,
        building: f64,
    },
}

/// Circular 15/2016 (Art. 3): a self-standing mast on a building is non-bulky when it is at
/// most 20% of the building's height and at most 3 m (the figures come from the rule).
fn class_check(application: &Application, rule: &rules::Rule) -> ClassCheck {
    let Some(tower) = application.tower.as_ref() else {
        return ClassCheck::NotChecked;
    };
    if tower["tower_class"].as_str() == Some("A1b") {
        return ClassCheck::NotChecked;
    }
    if tower["placement"].as_str() == Some("ground") {
        return ClassCheck::OnTheGround;
    }
    let (Some(height), Some(building)) = (
        tower["height_m"].as_f64(),
        tower["host_building_height_m"].as_f64(),
    ) else {
        return ClassCheck::NoBuildingHeight;
    };
    let limit = a1_value(rule, "max_height_m", 3.0)
        .min(a1_value(rule, "max_share_of_building", 0.2) * building);
    let limit = (limit * 100.0).round() / 100.0;
    if height > limit + 1e-9 {
        ClassCheck::Exceeds {
            height,
            limit,
            building,
        }
    } else {
        ClassCheck::Within {
            height,
            limit,
            building,
        }
    }
}

fn a1_value(rule: &rules::Rule, field: &str, default: f64) -> f64 {
    rule.value.0[field].as_f64().unwrap_or(default)
}

/// `12`, `3,5`, `17,5`: a figure as a Vietnamese sentence writes it.
fn vi_number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    };
    text.replace('.', ",")
}

/// A number as Vietnamese writes it in a sentence: a comma before the decimals (139,1).
fn vi_decimal(value: &Value) -> String {
    value.to_string().replace('.', ",")
}

async fn sharing(
    conn: &mut PgConnection,
    application: &Application,
    place: &Place,
    on: NaiveDate,
) -> sqlx::Result<Finding> {
    let Some(rule) =
        rules::find(conn, "sharing.spacing", place.province_code.as_deref(), on).await?
    else {
        return Ok(Finding::new(
            "sharing",
            Outcome::Info,
            "Tỉnh chưa có quy định khoảng cách dùng chung cột ăng ten.",
            "The province has no tower spacing rule.",
        ));
    };
    let class = application.tower_class().unwrap_or_default();
    let Some(distance) = crate::sharing::spacing_distance(
        &rule.value.0,
        &class,
        application.tower_height(),
        place.urban,
    ) else {
        return Ok(Finding::new(
            "sharing",
            Outcome::Pass,
            format!("Quy định không đặt khoảng cách cho cột loại {class}."),
            format!("The rule sets no spacing for class {class}."),
        )
        .cite(&rule));
    };
    let required = rule.value.0["mode"] == json!("required");
    let candidates = crate::sharing::towers_within(conn, &application.geom_ewkt, distance).await?;
    let area = if place.urban {
        ("đô thị", "urban")
    } else {
        ("ngoài đô thị", "rural")
    };
    if candidates.is_empty() {
        return Ok(Finding::new(
            "sharing",
            Outcome::Pass,
            format!(
                "Không có cột ăng ten nào trong bán kính {distance} m ({}).",
                area.0
            ),
            format!("No existing tower within {distance} m ({}).", area.1),
        )
        .cite(&rule)
        .with(json!({"radius_m": distance, "features": []})));
    }
    let nearest = &candidates[0];
    let list_vi: Vec<String> = candidates
        .iter()
        .map(|c| {
            format!(
                "{} của {} cách {} m (còn {} vị trí trống)",
                c["code"].as_str().unwrap_or(""),
                c["operator"].as_str().unwrap_or(""),
                vi_decimal(&c["distance_m"]),
                c["free_capacity"]
            )
        })
        .collect();
    let list_en: Vec<String> = candidates
        .iter()
        .map(|c| {
            format!(
                "{} of {} at {} m ({} free slots)",
                c["code"].as_str().unwrap_or(""),
                c["operator"].as_str().unwrap_or(""),
                c["distance_m"],
                c["free_capacity"]
            )
        })
        .collect();
    let (outcome, vi, en) = if required {
        (
            Outcome::Blocking,
            format!(
                "Phải dùng chung: có {} cột trong bán kính {distance} m; gần nhất cách {} m. {}",
                candidates.len(),
                vi_decimal(&nearest["distance_m"]),
                list_vi.join("; ")
            ),
            format!(
                "Sharing required: {} tower(s) within {distance} m; the nearest is {} m away. {}",
                candidates.len(),
                nearest["distance_m"],
                list_en.join("; ")
            ),
        )
    } else {
        (
            Outcome::Info,
            format!(
                "Nên dùng chung: có {} cột trong bán kính {distance} m. {}",
                candidates.len(),
                list_vi.join("; ")
            ),
            format!(
                "Sharing suggested: {} tower(s) within {distance} m. {}",
                candidates.len(),
                list_en.join("; ")
            ),
        )
    };
    Ok(Finding::new("sharing", outcome, vi, en)
        .cite(&rule)
        .with(json!({"radius_m": distance, "features": candidates})))
}

async fn undergrounding(
    conn: &mut PgConnection,
    application: &Application,
) -> sqlx::Result<Finding> {
    let areas: Vec<(Value,)> = sqlx::query_as(
        "select json_build_object('id', u.id, 'name', u.name, 'target_year', u.target_year, 'source_doc', u.source_doc,
                                  'geometry', ST_AsGeoJSON(u.geom, 7)::json)
         from undergrounding_area u
         where ST_Intersects(u.footprint, $1::geometry)
         order by u.target_year, u.name",
    )
    .bind(&application.geom_ewkt)
    .fetch_all(conn)
    .await?;
    let areas: Vec<Value> = areas.into_iter().map(|(a,)| a).collect();
    if areas.is_empty() {
        return Ok(Finding::new(
            "undergrounding",
            Outcome::Pass,
            "Tuyến không đi qua phố thuộc danh mục hạ ngầm.",
            "The route crosses no street that must go underground.",
        ));
    }
    let names: Vec<String> = areas
        .iter()
        .map(|a| {
            format!(
                "{} (hạ ngầm năm {})",
                a["name"].as_str().unwrap_or(""),
                a["target_year"]
            )
        })
        .collect();
    let names_en: Vec<String> = areas
        .iter()
        .map(|a| {
            format!(
                "{} (underground by {})",
                a["name"].as_str().unwrap_or(""),
                a["target_year"]
            )
        })
        .collect();
    let mut finding = Finding::new(
        "undergrounding",
        Outcome::Blocking,
        format!(
            "Không được kéo cáp treo mới trên phố phải hạ ngầm: {}.",
            names.join("; ")
        ),
        format!(
            "No new overhead cable on streets that must go underground: {}.",
            names_en.join("; ")
        ),
    )
    .with(json!({"features": areas}));
    finding.citation = areas[0]["source_doc"].as_str().map(String::from);
    Ok(finding)
}

async fn dig_once(
    conn: &mut PgConnection,
    application: &Application,
) -> sqlx::Result<Vec<Finding>> {
    let works: Vec<(Value, bool)> = sqlx::query_as(
        "select json_build_object('id', c.id, 'title', c.title, 'sector', c.sector, 'owner_org', c.owner_org,
                                  'contact', c.contact, 'starts_on', c.starts_on, 'ends_on', c.ends_on,
                                  'no_dig_until', c.no_dig_until,
                                  'distance_m', round(ST_Distance(c.geom::geography, $1::geography)::numeric, 1),
                                  'geometry', ST_AsGeoJSON(c.geom, 7)::json),
                c.ends_on < $2 and c.no_dig_until >= $2
         from civil_work c
         where c.cancelled_at is null and c.geom && metres_box($1::geometry, 30) and ST_DWithin(c.geom::geography, $1::geography, 30)
           and (c.ends_on >= $2 - 30 or c.no_dig_until >= $2)
           and c.starts_on <= $3 + 180
         order by c.starts_on",
    )
    .bind(&application.geom_ewkt)
    .bind(application.planned_start)
    .bind(application.planned_end)
    .fetch_all(&mut *conn)
    .await?;
    let others: Vec<(Value,)> = sqlx::query_as(
        "select json_build_object('id', p.id, 'reference', p.reference, 'title', p.title, 'operator', o.code,
                                  'state', p.state, 'planned_start', p.planned_start, 'planned_end', p.planned_end,
                                  'distance_m', round(ST_Distance(p.geom::geography, $1::geography)::numeric, 1),
                                  'geometry', ST_AsGeoJSON(p.geom, 7)::json)
         from permit_application p join operator o on o.id = p.operator_id
         where p.id <> $4 and p.operator_id <> $5
           and p.state = any($6)
           and p.geom && metres_box($1::geometry, 30) and ST_DWithin(p.geom::geography, $1::geography, 30)
           and p.planned_start <= $3 + 90 and p.planned_end >= $2 - 90
         order by p.planned_start",
    )
    .bind(&application.geom_ewkt)
    .bind(application.planned_start)
    .bind(application.planned_end)
    .bind(application.id)
    .bind(application.operator_id)
    .bind(super::lifecycle::names(super::lifecycle::LIVE))
    .fetch_all(&mut *conn)
    .await?;
    let mut findings = Vec::new();
    let (no_dig, chances): (Vec<_>, Vec<_>) = works.into_iter().partition(|(_, no_dig)| *no_dig);
    if !no_dig.is_empty() {
        let items: Vec<Value> = no_dig.into_iter().map(|(w, _)| w).collect();
        let until = items
            .iter()
            .filter_map(|w| w["no_dig_until"].as_str())
            .max()
            .unwrap_or("")
            .to_string();
        let mut finding = Finding::new(
            "no_dig",
            Outcome::Blocking,
            format!(
                "Mặt đường vừa được cải tạo: cấm đào đến hết ngày {}.",
                vi_date(&until)
            ),
            format!("The street was just resurfaced: no digging until {until}."),
        )
        .with(json!({"features": items}));
        finding.citation = items[0]["title"]
            .as_str()
            .map(|t| format!("Thông báo công trình: {t}"));
        findings.push(finding);
    }
    let chances: Vec<Value> = chances
        .into_iter()
        .map(|(w, _)| w)
        .chain(others.into_iter().map(|(p,)| p))
        .collect();
    findings.push(if chances.is_empty() {
        Finding::new("dig_once", Outcome::Pass, "Không có công trình khác gần đó cùng thời gian.", "No other works nearby at the same time.")
    } else {
        Finding::new(
            "dig_once",
            Outcome::Info,
            format!("Cơ hội thi công chung (đào một lần): {} công trình gần đó trong cùng khoảng thời gian.", chances.len()),
            format!("Dig-once chance: {} works nearby at about the same time.", chances.len()),
        )
        .with(json!({"features": chances}))
    });
    if let Some(last) = findings.last_mut()
        && last.outcome == Outcome::Info
    {
        last.citation = Some(
            "Luật Viễn thông 24/2023/QH15, Điều 65 (chia sẻ thông tin để sử dụng chung hạ tầng)"
                .into(),
        );
    }
    Ok(findings)
}

async fn restricted_zones(
    conn: &mut PgConnection,
    application: &Application,
) -> sqlx::Result<Finding> {
    let zones: Vec<(Value, String, String)> = sqlx::query_as(
        "select json_build_object('id', z.id, 'name', z.name, 'zone_type', z.zone_type, 'buffer_m', z.buffer_m,
                                  'distance_m', round(ST_Distance(z.geom::geography, $1::geography)::numeric, 1),
                                  'geometry', ST_AsGeoJSON(z.geom, 7)::json),
                z.severity, z.citation
         from restricted_zone z
         where ST_DWithin(z.geom::geography, $1::geography, z.buffer_m)
         order by z.severity = 'blocking' desc, z.name",
    )
    .bind(&application.geom_ewkt)
    .fetch_all(conn)
    .await?;
    if zones.is_empty() {
        return Ok(Finding::new(
            "restricted_zone",
            Outcome::Pass,
            "Không nằm trong vùng hạn chế.",
            "Not in a restricted zone.",
        ));
    }
    let blocking = zones.iter().any(|(_, severity, _)| severity == "blocking");
    let names: Vec<String> = zones
        .iter()
        .map(|(z, _, _)| z["name"].as_str().unwrap_or("").to_string())
        .collect();
    let mut finding = Finding::new(
        "restricted_zone",
        if blocking {
            Outcome::Blocking
        } else {
            Outcome::Warning
        },
        format!("Nằm trong hoặc gần vùng hạn chế: {}.", names.join("; ")),
        format!("In or near a restricted zone: {}.", names.join("; ")),
    )
    .with(json!({"features": zones.iter().map(|(z, _, _)| z.clone()).collect::<Vec<_>>()}));
    finding.citation = Some(zones[0].2.clone());
    Ok(finding)
}

/// `2026-03-02` as Vietnamese write it: `02/03/2026`.
pub fn vi_date(iso: &str) -> String {
    match iso.parse::<NaiveDate>() {
        Ok(date) => date.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_string(),
    }
}

/// Replaces the stored findings of an application.
pub async fn store(
    conn: &mut PgConnection,
    application_id: i64,
    findings: &[Finding],
) -> sqlx::Result<()> {
    sqlx::query("delete from permit_check where application_id = $1")
        .bind(application_id)
        .execute(&mut *conn)
        .await?;
    for f in findings {
        sqlx::query(
            "insert into permit_check (application_id, check_key, outcome, message_vi, message_en, citation, rule_id, details)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(application_id)
        .bind(f.check_key)
        .bind(f.outcome.as_str())
        .bind(&f.message_vi)
        .bind(&f.message_en)
        .bind(&f.citation)
        .bind(f.rule_id)
        .bind(sqlx::types::Json(&f.details))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::vi_decimal;
    use serde_json::json;

    #[test]
    fn distances_in_vietnamese_sentences_use_a_decimal_comma() {
        assert_eq!(vi_decimal(&json!(139.1)), "139,1");
        assert_eq!(vi_decimal(&json!(80)), "80");
    }
}
