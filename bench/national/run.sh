#!/usr/bin/env bash
# Loads the national benchmark data set (README.md) into its own embedded
# cluster in bench/var/national, with a release build of Hatang.
#   bench/national/run.sh [SCALE]     SCALE 1 = the whole country (default), 0.01 = 1 %
# A second run with the same scale reuses the loaded data; delete
# bench/var/national to start again.
set -euo pipefail
cd "$(dirname "$0")/../.."
scale="${1:-1}"
data="$PWD/bench/var/national-$scale"
log="$data/server.log"
make --no-print-directory deps
# HATANG_BINARY=path uses that binary instead of building a release one.
if [ -z "${HATANG_BINARY:-}" ]; then cargo build --release --locked --quiet --bin hatang; fi
hatang="${HATANG_BINARY:-$PWD/target/release/hatang}"
mkdir -p "$data"
chmod 711 "$PWD/bench/var" "$data" # PostgreSQL runs as another user when this runs as root

seconds() { date +%s.%N; }
step() { printf '%-44s %8.1f s\n' "$1" "$(echo "$(seconds) - $2" | bc)"; }

if [ ! -f "$data/admin-password" ]; then
  t=$(seconds)
  "$hatang" create-user --data-dir "$data" --username admin --display-name "Quản trị" --role admin \
    | sed -E 's/.*Password \(shown once\): //' | grep -E '^[[:alnum:]]{4}(-[[:alnum:]]{4}){3}$' >"$data/admin-password"
  chmod 600 "$data/admin-password"
  step "initdb, migrations, admin account" "$t"
fi

t=$(seconds)
"$hatang" serve --no-demo --port 0 --data-dir "$data" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 600); do grep -q "Stop with Ctrl+C" "$log" && break; sleep 0.5; done
grep -q "Stop with Ctrl+C" "$log" || { cat "$log"; exit 1; }
step "server start-up" "$t"
url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)"
psql=(psql -X -q -v ON_ERROR_STOP=1 -h "$data/pg" -U hatang -d hatang)

if [ "$("${psql[@]}" -Atc "select count(*) from asset where code like 'N-%'")" = 0 ]; then
  echo "loading the national data set at scale $scale…"
  t=$(seconds)
  "${psql[@]}" -v scale="$scale" -f bench/national/load.sql | grep -v '^Time' || true
  step "assets, details, tenancies, documents" "$t"
  t=$(seconds)
  read -r first_id first_seq prev_hash < <("${psql[@]}" -AtF ' ' -c "
    select coalesce((select max(id) from asset_history), 0) + 1,
           coalesce((select max(chain_seq) from asset_history), 0) + 1,
           coalesce((select encode(hash, 'hex') from asset_history order by chain_seq desc nulls last limit 1), '')")
  at_text='2026-01-01 00:00:00+07'
  at_micros="$("${psql[@]}" -Atc "select (extract(epoch from timestamptz '$at_text') * 1000000)::bigint")"
  "${psql[@]}" -c "\\copy (select asset_id, after::text from national_history_staging order by asset_id) to stdout with (format csv)" \
    | python3 bench/national/chain.py "$first_id" "$first_seq" "$prev_hash" "$at_micros" "$at_text" "system:national-benchmark" \
    | "${psql[@]}" -c "set session_replication_role = replica" \
        -c "\\copy asset_history (id, asset_id, action, actor, at, version, after, chain_seq, prev_hash, hash) from stdin with (format csv)"
  "${psql[@]}" -c "select setval(pg_get_serial_sequence('asset_history', 'id'), (select max(id) from asset_history))" \
    -c "drop table national_history_staging" -c "analyze asset_history" >/dev/null
  step "history entries, hash-chained" "$t"
fi

"${psql[@]}" -c "select kind, to_char(count(*), 'FM999G999G999') as assets from asset group by kind order by kind"
"${psql[@]}" -Atc "select 'wards: ' || count(*) from admin_unit where level = 'ward'"
"${psql[@]}" -Atc "select 'tenancies: ' || count(*) from tenancy"
"${psql[@]}" -Atc "select 'history entries: ' || count(*) from asset_history"
"${psql[@]}" -Atc "select 'database size: ' || pg_size_pretty(pg_database_size(current_database()))"
echo "server: $url (admin password in $data/admin-password)"
if [ "${KEEP_RUNNING:-0}" = 1 ]; then
  echo "KEEP_RUNNING=1: the server stays up until Ctrl+C"
  wait $server
fi
