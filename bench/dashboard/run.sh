#!/usr/bin/env bash
# Benchmark: how long the ward undergrounding dashboard (and the flags table)
# take on the demo ward and on a synthetic city of 100,000 cable routes.
# Usage: bench/dashboard/run.sh [requests per measurement, default 10]
#   PROFILE=debug   build and run the debug binary instead of release
#   HATANG_BIN=path run this binary (not built), e.g. an older build to compare
# The dashboard and flags read sums kept by triggers (migration 0115), so the
# synthetic city's load pays for computing the figures once; its time is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-10}"
source bench/lib/server.sh
start_hatang dashboard

measure() { # label, path
  local times=()
  curl -s -o /dev/null -H "Cookie: $cookie" "$url$2" # warm-up
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$url$2")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$1" '{t[NR]=$1} END {
    printf "%-48s median %7.0f ms   p90 %7.0f ms   (n=%d)", label, t[int((NR+1)/2)]*1000, t[int(NR*0.9+0.5)]*1000, NR }'
  echo "   load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "Hatang ward dashboard benchmark ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $bin)"
measure "demo: dashboard Chánh Lộ (21031)" "/api/v1/undergrounding/dashboard?ward=21031"
measure "demo: flags, all areas" "/api/v1/undergrounding/flags"

echo "building the synthetic city (100,000 cable routes)…"
start=$(date +%s)
psql -q -v ON_ERROR_STOP=1 --single-transaction -h "$data/pg" -U hatang -d hatang -f bench/dashboard/synthetic_city.sql >/dev/null
echo "  loaded in $(( $(date +%s) - start )) s: $(psql -Atq -h "$data/pg" -U hatang -d hatang -c "select count(*) from asset a join cable c on c.asset_id = a.id join admin_unit w on w.id = a.ward_id where w.gso_code = '99999'") cable routes in the synthetic ward"
measure "synthetic city: dashboard (99999)" "/api/v1/undergrounding/dashboard?ward=99999"
measure "synthetic city: flags of the ward" "/api/v1/undergrounding/flags?ward=99999"
for code in SYN-C2 SYN-C3 SYN-C5; do
  printf '%-48s %s\n' "synthetic city: one cable moved ($code, psql)" \
    "$(psql -Atq -h "$data/pg" -U hatang -d hatang -c '\timing on' \
         -c "update asset set geom = ST_Translate(geom, 0.00001, 0) where code = '$code'" | grep -o 'Time: .*')"
done
