//! Plans, their targets, tasks and reporting duties in the database.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;

use crate::admin_units::UnitRef;
use crate::http::error::{ApiError, ApiResult, Problems};

/// The statuses of a task.
pub const TASK_STATUSES: [&str; 4] = ["not_started", "in_progress", "done", "cancelled"];

/// A target as the plan states it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetInput {
    /// An indicator code (`GET /api/v1/indicators`).
    pub indicator: String,
    pub target_value: f64,
    /// at_least (default) or at_most.
    #[serde(default)]
    pub comparison: Option<String>,
    pub year: i32,
    /// The plan's own sentence.
    pub sentence: String,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub baseline_value: Option<f64>,
    #[serde(default)]
    pub baseline_year: Option<i32>,
}

/// A task of the plan's annex.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    #[serde(default)]
    pub code: Option<String>,
    pub title: String,
    pub lead: String,
    #[serde(default)]
    pub partners: Option<String>,
    #[serde(default)]
    pub operators_lead: bool,
    #[serde(default)]
    pub due_text: Option<String>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub yearly: bool,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
}

/// A reporting duty.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DutyInput {
    pub reporter: String,
    pub recipient: String,
    pub what: String,
    pub due_day: i32,
    pub due_month: i32,
    /// "trước ngày …": due the day before (default true).
    #[serde(default = "yes")]
    pub before: bool,
    /// department, unit or operators.
    #[serde(default)]
    pub reporter_kind: Option<String>,
    #[serde(default)]
    pub sentence: Option<String>,
}

fn yes() -> bool {
    true
}

/// A plan with what it holds, as created.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// "58/KH-UBND"; leave it out when the copy leaves it blank.
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// The date as written when it is not whole ("tháng 02 năm 2025").
    #[serde(default)]
    pub issued_text: Option<String>,
    pub issuer: String,
    #[serde(default)]
    pub signer: Option<String>,
    pub title: String,
    pub unit_id: i64,
    pub period_from: i32,
    pub period_to: i32,
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub targets: Vec<TargetInput>,
    #[serde(default)]
    pub tasks: Vec<TaskInput>,
    #[serde(default)]
    pub duties: Vec<DutyInput>,
}

fn text(problems: &mut Problems, field: &str, value: Option<&str>, max: usize, required: bool) {
    match value.map(str::trim) {
        None | Some("") if required => problems.add(field, "required"),
        Some(t) if t.chars().count() > max => {
            problems.add(field, format!("is longer than {max} characters"))
        }
        _ => {}
    }
}

impl TargetInput {
    pub fn check(&self, problems: &mut Problems, at: &str) {
        match crate::indicators::kind(&self.indicator) {
            None => problems.add(
                format!("{at}indicator"),
                format!("{} is not an indicator Hatang knows", self.indicator),
            ),
            Some(kind) => {
                if kind.meta().measure == crate::indicators::Measure::Percent
                    && !(0.0..=100.0).contains(&self.target_value)
                {
                    problems.add(format!("{at}target_value"), "a share from 0 to 100");
                }
            }
        }
        if !self.target_value.is_finite() {
            problems.add(format!("{at}target_value"), "must be a number");
        }
        if let Some(c) = &self.comparison
            && !["at_least", "at_most"].contains(&c.as_str())
        {
            problems.add(format!("{at}comparison"), "at_least or at_most");
        }
        if !(2000..=2100).contains(&self.year) {
            problems.add(format!("{at}year"), "a year from 2000 to 2100");
        }
        text(
            problems,
            &format!("{at}sentence"),
            Some(&self.sentence),
            2000,
            true,
        );
        text(
            problems,
            &format!("{at}section"),
            self.section.as_deref(),
            40,
            false,
        );
        if self.baseline_year.is_some_and(|y| y > self.year) {
            problems.add(format!("{at}baseline_year"), "is after the target year");
        }
    }
}

impl TaskInput {
    pub fn check(&self, problems: &mut Problems, at: &str) {
        text(
            problems,
            &format!("{at}title"),
            Some(&self.title),
            4000,
            true,
        );
        text(problems, &format!("{at}lead"), Some(&self.lead), 500, true);
        text(
            problems,
            &format!("{at}partners"),
            self.partners.as_deref(),
            1000,
            false,
        );
        text(
            problems,
            &format!("{at}code"),
            self.code.as_deref(),
            20,
            false,
        );
        text(
            problems,
            &format!("{at}due_text"),
            self.due_text.as_deref(),
            100,
            false,
        );
        text(
            problems,
            &format!("{at}evidence"),
            self.evidence.as_deref(),
            2000,
            false,
        );
        if let Some(s) = &self.status
            && !TASK_STATUSES.contains(&s.as_str())
        {
            problems.add(
                format!("{at}status"),
                format!("one of {}", TASK_STATUSES.join(", ")),
            );
        }
    }
}

impl DutyInput {
    pub fn check(&self, problems: &mut Problems, at: &str) {
        text(
            problems,
            &format!("{at}reporter"),
            Some(&self.reporter),
            500,
            true,
        );
        text(
            problems,
            &format!("{at}recipient"),
            Some(&self.recipient),
            500,
            true,
        );
        text(problems, &format!("{at}what"), Some(&self.what), 1000, true);
        text(
            problems,
            &format!("{at}sentence"),
            self.sentence.as_deref(),
            2000,
            false,
        );
        if NaiveDate::from_ymd_opt(
            2024,
            self.due_month.clamp(1, 12) as u32,
            self.due_day.clamp(1, 31) as u32,
        )
        .is_none()
            || !(1..=12).contains(&self.due_month)
            || !(1..=31).contains(&self.due_day)
        {
            problems.add(format!("{at}due_day"), "not a day of the year");
        }
        if let Some(k) = &self.reporter_kind
            && !["department", "unit", "operators"].contains(&k.as_str())
        {
            problems.add(
                format!("{at}reporter_kind"),
                "department, unit or operators",
            );
        }
    }
}

impl PlanInput {
    pub fn check(&self) -> ApiResult<()> {
        let mut problems = Problems::new();
        text(&mut problems, "number", self.number.as_deref(), 60, false);
        text(
            &mut problems,
            "issued_text",
            self.issued_text.as_deref(),
            100,
            false,
        );
        text(&mut problems, "issuer", Some(&self.issuer), 300, true);
        text(&mut problems, "signer", self.signer.as_deref(), 200, false);
        text(&mut problems, "title", Some(&self.title), 500, true);
        text(&mut problems, "basis", self.basis.as_deref(), 2000, false);
        text(&mut problems, "note", self.note.as_deref(), 4000, false);
        if !(2000..=2100).contains(&self.period_from) {
            problems.add("period_from", "a year from 2000 to 2100");
        }
        if self.period_to < self.period_from || self.period_to > 2100 {
            problems.add("period_to", "a year from period_from to 2100");
        }
        for (i, t) in self.targets.iter().enumerate() {
            t.check(&mut problems, &format!("targets[{i}]."));
        }
        for (i, t) in self.tasks.iter().enumerate() {
            t.check(&mut problems, &format!("tasks[{i}]."));
        }
        for (i, d) in self.duties.iter().enumerate() {
            d.check(&mut problems, &format!("duties[{i}]."));
        }
        problems.into_result(())
    }
}

/// A target with its indicator's name.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Target {
    pub id: i64,
    pub indicator: String,
    #[sqlx(skip)]
    pub indicator_name: String,
    pub target_value: f64,
    pub comparison: String,
    pub year: i32,
    pub sentence: String,
    pub section: Option<String>,
    pub baseline_value: Option<f64>,
    pub baseline_year: Option<i32>,
    pub position: i32,
}

/// A task, with whether it is overdue today.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Task {
    pub id: i64,
    pub plan_id: i64,
    pub code: Option<String>,
    pub title: String,
    pub lead: String,
    pub partners: Option<String>,
    pub operators_lead: bool,
    pub due_text: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub yearly: bool,
    pub status: String,
    pub evidence: Option<String>,
    pub position: i32,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
    pub notes: i64,
    pub last_note: Option<String>,
    #[sqlx(skip)]
    pub overdue: bool,
    /// The day it is due this year (a yearly task) or at all.
    #[sqlx(skip)]
    pub due: Option<NaiveDate>,
}

/// A reporting duty, with this year's deadline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Duty {
    pub id: i64,
    pub reporter: String,
    pub recipient: String,
    pub what: String,
    pub due_day: i32,
    pub due_month: i32,
    pub before: bool,
    pub reporter_kind: String,
    pub sentence: Option<String>,
    pub position: i32,
    /// The last day to report in the year asked (the day before a "trước ngày").
    #[sqlx(skip)]
    pub deadline: Option<NaiveDate>,
}

impl Duty {
    /// The last day to report in `year`.
    pub fn deadline_in(&self, year: i32) -> Option<NaiveDate> {
        let day = NaiveDate::from_ymd_opt(year, self.due_month as u32, self.due_day as u32)?;
        if self.before {
            day.pred_opt()
        } else {
            Some(day)
        }
    }
}

/// A file attached to a plan.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Document {
    pub id: i64,
    pub role: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub sha256: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
}

/// A plan with everything it holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plan {
    pub id: i64,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub issued_text: Option<String>,
    pub issuer: String,
    pub signer: Option<String>,
    pub title: String,
    pub unit: UnitRef,
    pub period_from: i32,
    pub period_to: i32,
    pub basis: Option<String>,
    pub note: Option<String>,
    pub version: i32,
    pub targets: Vec<Target>,
    pub tasks: Vec<Task>,
    pub duties: Vec<Duty>,
    pub documents: Vec<Document>,
}

/// A plan in a list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct PlanSummary {
    pub id: i64,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub issued_text: Option<String>,
    pub issuer: String,
    pub title: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_type: String,
    pub period_from: i32,
    pub period_to: i32,
    pub targets: i64,
    pub tasks: i64,
    pub overdue_tasks: i64,
}

/// The day a task is due, and whether it is overdue on `today`.
pub fn due_and_overdue(task: &Task, today: NaiveDate) -> (Option<NaiveDate>, bool) {
    let due = if task.yearly {
        NaiveDate::from_ymd_opt(today.year(), 12, 31)
    } else {
        task.due_on
    };
    let open = !matches!(task.status.as_str(), "done" | "cancelled");
    (due, open && due.is_some_and(|d| d < today))
}

pub async fn insert_target(
    conn: &mut PgConnection,
    plan: i64,
    t: &TargetInput,
    position: i32,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into plan_target (plan_id, indicator, target_value, comparison, year, sentence, section, baseline_value, baseline_year, position)
         values ($1, $2, $3, coalesce($4, 'at_least'), $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(plan)
    .bind(&t.indicator)
    .bind(t.target_value)
    .bind(&t.comparison)
    .bind(t.year)
    .bind(t.sentence.trim())
    .bind(&t.section)
    .bind(t.baseline_value)
    .bind(t.baseline_year)
    .bind(position)
    .fetch_one(conn)
    .await
}

pub async fn insert_task(
    conn: &mut PgConnection,
    plan: i64,
    t: &TaskInput,
    position: i32,
    user: Option<i64>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into plan_task (plan_id, code, title, lead, partners, operators_lead, due_text, due_on, yearly, status, evidence, position, updated_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, 'not_started'), $11, $12, $13) returning id",
    )
    .bind(plan)
    .bind(&t.code)
    .bind(t.title.trim())
    .bind(t.lead.trim())
    .bind(&t.partners)
    .bind(t.operators_lead)
    .bind(&t.due_text)
    .bind(t.due_on)
    .bind(t.yearly)
    .bind(&t.status)
    .bind(&t.evidence)
    .bind(position)
    .bind(user)
    .fetch_one(conn)
    .await
}

pub async fn insert_duty(
    conn: &mut PgConnection,
    plan: i64,
    d: &DutyInput,
    position: i32,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into plan_reporting_duty (plan_id, reporter, recipient, what, due_day, due_month, before, reporter_kind, sentence, position)
         values ($1, $2, $3, $4, $5, $6, $7, coalesce($8, 'department'), $9, $10) returning id",
    )
    .bind(plan)
    .bind(d.reporter.trim())
    .bind(d.recipient.trim())
    .bind(d.what.trim())
    .bind(d.due_day)
    .bind(d.due_month)
    .bind(d.before)
    .bind(&d.reporter_kind)
    .bind(&d.sentence)
    .bind(position)
    .fetch_one(conn)
    .await
}

/// Creates a plan with its targets, tasks and duties.
pub async fn insert(
    conn: &mut PgConnection,
    input: &PlanInput,
    user: Option<i64>,
) -> ApiResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "insert into plan (number, issued_on, issued_text, issuer, signer, title, unit_id, period_from, period_to, basis, note, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
    )
    .bind(&input.number)
    .bind(input.issued_on)
    .bind(&input.issued_text)
    .bind(input.issuer.trim())
    .bind(&input.signer)
    .bind(input.title.trim())
    .bind(input.unit_id)
    .bind(input.period_from)
    .bind(input.period_to)
    .bind(&input.basis)
    .bind(&input.note)
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    for (i, t) in input.targets.iter().enumerate() {
        insert_target(conn, id, t, i as i32).await?;
    }
    for (i, t) in input.tasks.iter().enumerate() {
        insert_task(conn, id, t, i as i32, user).await?;
    }
    for (i, d) in input.duties.iter().enumerate() {
        insert_duty(conn, id, d, i as i32).await?;
    }
    Ok(id)
}

const TASK_SELECT: &str = "select t.id, t.plan_id, t.code, t.title, t.lead, t.partners, t.operators_lead, t.due_text, t.due_on,
        t.yearly, t.status, t.evidence, t.position, t.updated_at, t.version,
        (select count(*) from plan_task_note n where n.task_id = t.id) as notes,
        (select n.note from plan_task_note n where n.task_id = t.id order by n.id desc limit 1) as last_note
    from plan_task t";

pub async fn tasks(
    conn: &mut PgConnection,
    plan: i64,
    today: NaiveDate,
) -> sqlx::Result<Vec<Task>> {
    let mut tasks: Vec<Task> = sqlx::query_as(&format!(
        "{TASK_SELECT} where t.plan_id = $1 order by t.position, t.id"
    ))
    .bind(plan)
    .fetch_all(conn)
    .await?;
    for task in &mut tasks {
        (task.due, task.overdue) = due_and_overdue(task, today);
    }
    Ok(tasks)
}

pub async fn task(
    conn: &mut PgConnection,
    plan: i64,
    id: i64,
    today: NaiveDate,
) -> ApiResult<Task> {
    let task: Option<Task> =
        sqlx::query_as(&format!("{TASK_SELECT} where t.plan_id = $1 and t.id = $2"))
            .bind(plan)
            .bind(id)
            .fetch_optional(conn)
            .await?;
    let mut task =
        task.ok_or_else(|| ApiError::not_found(format!("plan {plan} has no task {id}")))?;
    (task.due, task.overdue) = due_and_overdue(&task, today);
    Ok(task)
}

pub async fn targets(conn: &mut PgConnection, plan: i64) -> sqlx::Result<Vec<Target>> {
    let mut targets: Vec<Target> = sqlx::query_as(
        "select id, indicator, target_value, comparison, year, sentence, section, baseline_value, baseline_year, position
         from plan_target where plan_id = $1 order by position, id",
    )
    .bind(plan)
    .fetch_all(conn)
    .await?;
    for t in &mut targets {
        t.indicator_name = crate::indicators::kind(&t.indicator)
            .map(|k| k.meta().name_vi.to_string())
            .unwrap_or_else(|| t.indicator.clone());
    }
    Ok(targets)
}

pub async fn duties(conn: &mut PgConnection, plan: i64, year: i32) -> sqlx::Result<Vec<Duty>> {
    let mut duties: Vec<Duty> = sqlx::query_as(
        "select id, reporter, recipient, what, due_day, due_month, before, reporter_kind, sentence, position
         from plan_reporting_duty where plan_id = $1 order by position, id",
    )
    .bind(plan)
    .fetch_all(conn)
    .await?;
    for d in &mut duties {
        d.deadline = d.deadline_in(year);
    }
    Ok(duties)
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    number: Option<String>,
    issued_on: Option<NaiveDate>,
    issued_text: Option<String>,
    issuer: String,
    signer: Option<String>,
    title: String,
    unit_id: i64,
    period_from: i32,
    period_to: i32,
    basis: Option<String>,
    note: Option<String>,
    version: i32,
}

/// The unit of a plan (for access rules), or 404.
pub async fn unit_of(conn: &mut PgConnection, plan: i64) -> ApiResult<i64> {
    let unit: Option<i64> = sqlx::query_scalar("select unit_id from plan where id = $1")
        .bind(plan)
        .fetch_optional(conn)
        .await?;
    unit.ok_or_else(|| ApiError::not_found(format!("there is no plan {plan}")))
}

pub async fn get(conn: &mut PgConnection, id: i64, today: NaiveDate) -> ApiResult<Plan> {
    let row: Option<PlanRow> = sqlx::query_as(
        "select id, number, issued_on, issued_text, issuer, signer, title, unit_id, period_from, period_to, basis, note, version
         from plan where id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or_else(|| ApiError::not_found(format!("there is no plan {id}")))?;
    let unit = crate::admin_units::store::get(conn, row.unit_id, false)
        .await?
        .reference();
    let documents: Vec<Document> = sqlx::query_as(
        "select id, role, file_name, content_type, size_bytes, sha256, uploaded_at from plan_document where plan_id = $1 order by id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Plan {
        id: row.id,
        number: row.number,
        issued_on: row.issued_on,
        issued_text: row.issued_text,
        issuer: row.issuer,
        signer: row.signer,
        title: row.title,
        unit,
        period_from: row.period_from,
        period_to: row.period_to,
        basis: row.basis,
        note: row.note,
        version: row.version,
        targets: targets(conn, id).await?,
        tasks: tasks(conn, id, today).await?,
        duties: duties(conn, id, today.year()).await?,
        documents,
    })
}

/// Plans of a unit (and of the units it replaced or that replaced it, and of
/// its parts), in force in `year` when given.
pub async fn list(
    conn: &mut PgConnection,
    unit: Option<i64>,
    year: Option<i32>,
    today: NaiveDate,
) -> sqlx::Result<Vec<PlanSummary>> {
    sqlx::query_as(
        "select p.id, p.number, p.issued_on, p.issued_text, p.issuer, p.title, p.unit_id, u.name as unit_name, u.unit_type,
                p.period_from, p.period_to,
                (select count(*) from plan_target t where t.plan_id = p.id) as targets,
                (select count(*) from plan_task t where t.plan_id = p.id) as tasks,
                (select count(*) from plan_task t where t.plan_id = p.id and t.status not in ('done', 'cancelled')
                    and not t.yearly and t.due_on < $3) as overdue_tasks
         from plan p join admin_unit u on u.id = p.unit_id
         where ($1::bigint is null
                or p.unit_id in (select id from admin_unit_lineage($1))
                or p.unit_id in (select admin_unit_ancestors($1))
                or $1 in (select id from admin_unit_lineage(p.unit_id))
                or p.unit_id in (select admin_unit_descendants($1)))
           and ($2::int is null or $2 between p.period_from and p.period_to)
         order by p.period_from desc, u.name, p.id",
    )
    .bind(unit)
    .bind(year)
    .bind(today)
    .fetch_all(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duty(day: i32, month: i32, before: bool) -> Duty {
        Duty {
            id: 1,
            reporter: "Các ban ngành".into(),
            recipient: "UBND phường".into(),
            what: "Báo cáo kết quả".into(),
            due_day: day,
            due_month: month,
            before,
            reporter_kind: "department".into(),
            sentence: None,
            position: 0,
            deadline: None,
        }
    }

    #[test]
    fn before_the_first_of_december_is_by_the_thirtieth_of_november() {
        assert_eq!(
            duty(1, 12, true).deadline_in(2026),
            NaiveDate::from_ymd_opt(2026, 11, 30)
        );
        assert_eq!(
            duty(15, 12, true).deadline_in(2026),
            NaiveDate::from_ymd_opt(2026, 12, 14)
        );
        assert_eq!(
            duty(15, 12, false).deadline_in(2026),
            NaiveDate::from_ymd_opt(2026, 12, 15)
        );
    }
}
