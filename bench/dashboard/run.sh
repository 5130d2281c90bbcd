#!/usr/bin/env bash
# Benchmark: how long the ward undergrounding dashboard (and the flags table)
# take on the demo ward and on a synthetic city of 100,000 cable routes.
# Usage: bench/dashboard/run.sh [requests per measurement, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-10}"
data="$(mktemp -d /tmp/hatang-bench-dashboard.XXXX)"
chmod 711 "$data" # PostgreSQL runs as another user when this runs as root
log="$data/server.log"

cargo build --release --quiet --bin hatang
./target/release/hatang serve --data-dir "$data" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do grep -q "Stop with Ctrl+C" "$log" && break; sleep 0.5; done
url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)"
password="$(awk '$1 == "admin" {print $2}' "$data/demo-logins.txt")"
cookie="$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$url/api/v1/auth/login" | grep -i '^set-cookie: hatang_session' | sed -E 's/^[^:]*: ([^;]*);.*/\1/')"

measure() { # label, path
  local times=()
  curl -s -o /dev/null -H "Cookie: $cookie" "$url$2" # warm-up
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$url$2")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$1" '{t[NR]=$1} END {
    printf "%-48s median %7.0f ms   p90 %7.0f ms   (n=%d)\n", label, t[int((NR+1)/2)]*1000, t[int(NR*0.9+0.5)]*1000, NR }'
}

echo "Hatang ward dashboard benchmark ($(nproc) cores, $(date -u +%Y-%m-%d))"
measure "demo: dashboard Chánh Lộ (21031)" "/api/v1/undergrounding/dashboard?ward=21031"
measure "demo: flags, all areas" "/api/v1/undergrounding/flags"

echo "building the synthetic city (100,000 cable routes)…"
start=$(date +%s)
psql -q -v ON_ERROR_STOP=1 --single-transaction -h "$data/pg" -U hatang -d hatang -f bench/dashboard/synthetic_city.sql >/dev/null
echo "  loaded in $(( $(date +%s) - start )) s: $(psql -Atq -h "$data/pg" -U hatang -d hatang -c "select count(*) from asset a join cable c on c.asset_id = a.id join admin_unit w on w.id = a.ward_id where w.gso_code = '99999'") cable routes in the synthetic ward"
measure "synthetic city: dashboard (99999)" "/api/v1/undergrounding/dashboard?ward=99999"
measure "synthetic city: flags of the ward" "/api/v1/undergrounding/flags?ward=99999"
