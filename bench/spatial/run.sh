#!/usr/bin/env bash
# Benchmark: Hatang's co-location candidates endpoint (towers within the
# province's spacing distance of a point: GET /api/v1/sharing/colocation)
# under wrk, beside pgbench running the same prepared SQL the endpoint runs
# (the point's ward and province, the spacing rule in force, the towers
# within the distance) on the same database, with the same connections.
# Prints both rates and Hatang's share of pgbench's (goal ≥ 50 %).
# Usage: bench/spatial/run.sh [seconds per measurement, default 10] [connections, default 8]
#   PROFILE=debug   build and run the debug binary instead of release
#   HATANG_BIN=path run this binary (not built)
# Needs wrk and pgbench (apt-get install wrk postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
connections="${2:-8}"
source bench/lib/server.sh
start_hatang spatial
psql=(psql -Atq -v ON_ERROR_STOP=1 -h "$data/pg" -U hatang -d hatang)

echo "Hatang spatial endpoints vs pgbench ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $bin, ${connections} connections, ${seconds} s)"
# 20,000 more towers over the demo's part of Quảng Ngãi, so the distance
# query has an index to search (the demo alone has 50).
"${psql[@]}" <<'SQL'
select setseed(0.15);
with a as (
    insert into asset (kind, code, owner_id, status, capacity, geom)
    select 'tower', 'SPB-T' || i, (select id from operator where code = (array['VNPT', 'VIETTEL', 'MOBIFONE'])[1 + i % 3]),
           'operational', 4, ST_SetSRID(ST_MakePoint(108.70 + random() * 0.2, 15.02 + random() * 0.2), 4326)
    from generate_series(1, 20000) i
    returning id)
insert into tower (asset_id, tower_class, height_m, structure, placement)
select id, 'A2b', 30, 'monopole', 'ground' from a;
analyze asset;
analyze tower;
SQL

lon=108.8
lat=15.115
path="/api/v1/sharing/colocation?lon=$lon&lat=$lat"
answer="$(curl -s -H "Cookie: $cookie" "$url$path")"
radius="$(printf '%s' "$answer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["radius_m"])')"
found="$(printf '%s' "$answer" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["candidates"]))')"
echo "  co-location at ($lon, $lat): radius $radius m, $found candidates"

rate_hatang="$(wrk -t2 -c"$connections" -d"${seconds}s" -H "Cookie: $cookie" "$url$path" | awk '/Requests\/sec/ {print $2}')"
echo "  Hatang  GET $path: $rate_hatang req/s   load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The endpoint's SQL, statement by statement (sharing::place_of, rules::find,
# sharing::towers_within), as prepared statements with the same parameters.
script="$data/colocation.sql"
cat >"$script" <<'SQL'
select p.gso_code, w.unit_type from admin_unit w join admin_unit p on p.id = w.parent_id
 where w.id = ward_for(:point::geometry);
select id, rule_key, province_code, valid_from, valid_to, value, citation, note, provisional from rule_setting
 where rule_key = 'sharing.spacing' and (province_code is null or province_code = :province)
   and valid_from <= current_date and (valid_to is null or valid_to >= current_date)
 order by province_code is null, valid_from desc
 limit 1;
select json_build_object(
            'id', a.id, 'code', a.code, 'name', a.name, 'operator', o.code, 'status', a.status,
            'tower_class', t.tower_class, 'height_m', t.height_m,
            'distance_m', round(ST_Distance(a.geom::geography, (:point)::geography)::numeric, 1),
            'tenant_count', (asset_properties(a) ->> 'tenant_count')::int,
            'free_capacity', (asset_properties(a) ->> 'free_capacity')::int,
            'geometry', ST_AsGeoJSON(a.geom, 7)::json)
 from asset a
 join tower t on t.asset_id = a.id
 join operator o on o.id = a.owner_id
 where a.kind = 'tower' and a.status in ('operational', 'under_construction', 'planned')
   and a.geom && metres_box((:point)::geometry, :radius)
   and ST_DWithin(a.geom::geography, (:point)::geography, :radius)
 order by ST_Distance(a.geom::geography, (:point)::geography)
 limit 20;
SQL
province="$("${psql[@]}" -c "select p.gso_code from admin_unit w join admin_unit p on p.id = w.parent_id where w.id = ward_for('SRID=4326;POINT($lon $lat)'::geometry)")"
# With Hatang's connection settings: jit = off (server/src/database/mod.rs).
# PostgreSQL's default JIT compiles these statements on every execution
# (their PostGIS costs pass jit_above_cost), which cost pgbench ~0.5 s each.
rate_pgbench="$(PGOPTIONS='-c jit=off' pgbench -n -M prepared -h "$data/pg" -U hatang -c "$connections" -j 2 -T "$seconds" \
    -D "point=SRID=4326;POINT($lon $lat)" -D "province=$province" -D "radius=$radius" -f "$script" hatang 2>&1 \
  | awk '/^tps/ {print $3}')"
echo "  pgbench the same 3 prepared statements:        $rate_pgbench transactions/s   load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The plan of the towers query, as the endpoint runs it (a generic plan, the
# connection settings of the server): the index must find the box first.
echo "  the towers query's plan (generic, jit off):"
"${psql[@]}" <<SQL | sed 's/^/    /'
set jit = off;
set plan_cache_mode = force_generic_plan;
prepare towers(text, float8) as
  select a.id from asset a join tower t on t.asset_id = a.id
   where a.kind = 'tower' and a.status in ('operational', 'under_construction', 'planned')
     and a.geom && metres_box(\$1::geometry, \$2) and ST_DWithin(a.geom::geography, \$1::geography, \$2)
   order by ST_Distance(a.geom::geography, \$1::geography) limit 20;
\o /dev/null
execute towers('SRID=4326;POINT($lon $lat)', $radius);
\o
explain (analyze, buffers, costs off, summary on) execute towers('SRID=4326;POINT($lon $lat)', $radius);
SQL
awk -v h="$rate_hatang" -v p="$rate_pgbench" 'BEGIN { printf "Hatang / pgbench: %.0f %% (goal ≥ 50 %%)\n", 100 * h / p }'
