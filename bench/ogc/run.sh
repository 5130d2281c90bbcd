#!/usr/bin/env bash
# Benchmark: OGC API – Features deep paging. Page 1 and page 1,000 (100
# features a page) of the poles collection holding N poles (default
# 1,000,000), reached the way a client does: the next links page by keyset
# (`after=<id>`), so page 1,000 costs what page 1 does (goal: ≤ 1.2×). The
# same page by `offset=99900` is printed beside it for contrast.
# Usage: bench/ogc/run.sh [poles, default 1000000] [requests per measurement, default 20]
#   PROFILE=debug   build and run the debug binary instead of release
#   HATANG_BIN=path run this binary (not built)
set -euo pipefail
cd "$(dirname "$0")/../.."
poles="${1:-1000000}"
runs="${2:-20}"
source bench/lib/server.sh
start_hatang ogc # signed in: poles are not public
psql=(psql -Atq -v ON_ERROR_STOP=1 -h "$data/pg" -U hatang -d hatang)

echo "Hatang OGC API – Features deep paging ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $bin)"
start=$(date +%s)
# Poles spread over Quảng Ngãi's demo extent, loaded with per-row triggers off
# (ward ids are not needed by the collection's paging).
"${psql[@]}" <<SQL
set session_replication_role = replica;
insert into asset (kind, code, owner_id, status, capacity, geom)
select 'pole', 'OGCB-' || i, (select id from operator where code = 'EVNCPC'), 'operational', 6,
       ST_SetSRID(ST_MakePoint(108.70 + (i % 1000) * 0.0002, 15.05 + (i / 1000) % 1000 * 0.0001), 4326)
from generate_series(1, $poles) i;
insert into pole (asset_id, material, height_m, purpose)
select id, 'concrete', 8.5, 'power' from asset where code like 'OGCB-%';
reset session_replication_role;
analyze asset;
analyze pole;
SQL
total="$("${psql[@]}" -c "select count(*) from asset where kind = 'pole'")"
echo "  loaded $poles poles in $(( $(date +%s) - start )) s; the collection holds $total"

# Page 1,000 starts after the 99,900th pole in id order: where page 999's next link points.
after="$("${psql[@]}" -c "select id from asset where kind = 'pole' order by id offset 99899 limit 1")"
next="$(curl -s -H "Cookie: $cookie" "$url/ogc/collections/poles/items?limit=100&after=$after" | grep -o '"rel":"next"' | head -1 || true)"

measure() { # label, path; prints the median in ms and remembers it in $median
  local times=()
  curl -s -o /dev/null -H "Cookie: $cookie" "$url$2" # warm-up
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$url$2")")
  done
  median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{t[NR]=$1} END {printf "%.1f", t[int((NR+1)/2)]*1000}')"
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$1" '{t[NR]=$1} END {
    printf "%-52s median %8.1f ms   p90 %8.1f ms   (n=%d)", label, t[int((NR+1)/2)]*1000, t[int(NR*0.9+0.5)]*1000, NR }'
  echo "   load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

measure "page 1 (limit=100)" "/ogc/collections/poles/items?limit=100"
first="$median"
measure "page 1,000 by keyset (after=$after)" "/ogc/collections/poles/items?limit=100&after=$after"
deep="$median"
measure "page 1,000 by offset (offset=99900)" "/ogc/collections/poles/items?limit=100&offset=99900"
by_offset="$median"
[ -n "$next" ] || echo "  (page 1,000 has no next link)"
awk -v a="$first" -v b="$deep" -v c="$by_offset" 'BEGIN {
  printf "page 1,000 / page 1: %.2f× by keyset (goal ≤ 1.2×), %.2f× by offset\n", b / a, c / a }'
