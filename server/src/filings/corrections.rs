//! What a submitted filing version settles: the public's challenges (see
//! `crate::challenges`) that it answers are marked corrected, in the same
//! transaction as the submission.

use sqlx::PgConnection;

use super::FilingKind;

/// After `version_id` was submitted: the operator's accepted or upheld
/// challenges in `wards` that the version no longer claims are corrected.
/// A coverage version corrects a no-4G/5G challenge when none of its polygons
/// of that technology covers the point; a fixed version corrects a no-fibre
/// challenge when the neighbourhood unit around the point has no row, or
/// fewer households passed than the operator's previous submission said.
pub async fn corrected_by(
    conn: &mut PgConnection,
    kind: FilingKind,
    version_id: i64,
    operator_id: i64,
    wards: &[i64],
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "with v as (select id, filing_id, number, rows from filing_version where id = $1),
         previous as (
             select p.rows from filing_version p, v
             where p.filing_id = v.filing_id and p.submitted_at is not null and p.number < v.number
             order by p.number desc limit 1),
         passed as (
             select (r->>'unit_id')::bigint as unit_id, (r->>'households_passed')::bigint as n
             from v, jsonb_array_elements(v.rows) r),
         passed_before as (
             select (r->>'unit_id')::bigint as unit_id, (r->>'households_passed')::bigint as n
             from previous, jsonb_array_elements(previous.rows) r)
         update challenge ch set state = 'corrected', corrected_by_version_id = $1, corrected_at = now(),
                version = version + 1, updated_at = now()
         where ch.operator_id = $2 and ch.state in ('accepted', 'upheld') and ch.ward_id = any($3)
           and (($4 = 'mobile_coverage' and ch.kind = 'no_mobile' and not exists (
                    select 1 from filing_area a where a.version_id = $1 and a.technology = ch.technology
                      and ST_Intersects(a.geom, ch.geom)))
             or ($4 = 'fixed_broadband' and ch.kind = 'no_fibre' and exists (
                    select 1 from admin_unit n
                    where n.level = 'neighbourhood' and ST_Covers(n.boundary, ch.geom)
                      and (not exists (select 1 from passed where passed.unit_id = n.id and passed.n > 0)
                           or (select passed.n from passed where passed.unit_id = n.id limit 1)
                              < (select b.n from passed_before b where b.unit_id = n.id limit 1)))))",
    )
    .bind(version_id)
    .bind(operator_id)
    .bind(wards)
    .bind(kind.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
