#!/usr/bin/env bash
# Read replicas, measured: read throughput of one Hatang server with one and
# with two streaming replicas, and the replicas' lag while writes go on.
#   bench/cluster/run.sh [SECONDS per measurement, default 20]
#   HATANG_BINARY=target/debug/hatang bench/cluster/run.sh 10   # another build
# A primary (Debian's PostgreSQL on a free port, with the demo ward), two
# standbys made by `hatang replica`, a release build of Hatang; wrk (Debian's,
# installed if missing) makes the load. It prints a table; nothing is kept.
# On one machine every database shares the same cores, so a second replica
# cannot add capacity here: the figure shows the cost of routing, not the gain
# of a second machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
make --no-print-directory deps >/dev/null
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
binary="${HATANG_BINARY:-$PWD/target/release/hatang}"
[ -n "${HATANG_BINARY:-}" ] || cargo build --release --locked --quiet --bin hatang
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
work="$(mktemp -d "${TMPDIR:-/tmp}/hatang-bench-cluster.XXXXXX")"
chmod 711 "$work"
as_pg=(); [ "$(id -u)" -eq 0 ] && { as_pg=(runuser -u postgres --); chown postgres "$work"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port=$(free_port); port=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/primary" -m fast stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
wait_for() { for _ in $(seq 1 1200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "timed out: $*" >&2; return 1; }

"${as_pg[@]}" "$pg_bin/initdb" -D "$work/primary" -U hatang --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/primary" -l "$work/primary.log" -w \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work -c max_connections=300" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U hatang hatang
primary="postgres://hatang@127.0.0.1:$pg_port/hatang"
DATABASE_URL="$primary" "$binary" load-demo --data-dir "$work/accounts" >/dev/null
password="$(awk '$1 == "admin" {print $2}' "$work/accounts/demo-logins.txt")"
replicas=()
for n in 1 2; do
  mkdir -p "$work/standby$n"; chmod 711 "$work/standby$n"
  "$binary" replica --from "$primary" --data-dir "$work/standby$n" >"$work/standby$n.out" 2>&1 &
  pids+=($!)
  wait_for grep -q "Stop with Ctrl+C" "$work/standby$n.out" || { cat "$work/standby$n.out" >&2; exit 1; }
  replicas+=("postgres://hatang@localhost/hatang?host=$work/standby$n/pg")
done

server_pid=""
start_server() { # replica URLs, comma-separated ("" for none)
  [ -n "$server_pid" ] && { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }
  local replicas=(); [ -n "$1" ] && replicas=(--database-replica-url "$1")
  DATABASE_URL="$primary" RUST_LOG=warn \
    "$binary" "${replicas[@]}" serve --no-demo --port "$port" --data-dir "$work/server" --web-dir /nonexistent >"$work/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  wait_for curl -sf "http://127.0.0.1:$port/readyz" || { tail -20 "$work/server.log" >&2; exit 1; }
  sleep 1.5 # the monitor's first looks
}
url="http://127.0.0.1:$port"
login() {
  curl -sf -c "$work/jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$url/api/v1/auth/login" >"$work/login.json"
  cookie="$(awk '$6 == "hatang_session" {print $6 "=" $7}' "$work/jar")"
  csrf="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$work/login.json")"
}
read_rate() { # label
  local path="/api/v1/towers?limit=50"
  local out
  out="$(wrk -t2 -c32 -d"${seconds}s" -H "Cookie: $cookie" "$url$path" 2>&1)"
  local rps p50
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  p50="$(echo "$out" | awk '$1 == "Latency" {print $2}')"
  printf '%-34s %10s req/s   mean latency %s\n' "$1" "$rps" "$p50"
}

echo "Hatang read replicas ($(nproc) cores, $(date -u +%Y-%m-%d)); GET /api/v1/towers?limit=50, wrk 2 threads × 32 connections, ${seconds} s each"
start_server ""
login
read_rate "primary only (no replica)"
start_server "${replicas[0]}"
login
read_rate "one replica"
start_server "${replicas[0]},${replicas[1]}"
login
read_rate "two replicas"

echo
echo "Replica lag while 8 writers create towers for ${seconds} s (pg_stat_replication on the primary, every 100 ms):"
writer() {
  local n=0
  while [ -f "$work/writing" ]; do
    n=$((n + 1))
    curl -s -o /dev/null -b "$cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
      -d "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[108.8$RANDOM,15.1$RANDOM]},\"properties\":{\"code\":\"LAG-$1-$n\",\"operator\":\"VNPT\",\"status\":\"operational\",\"tower_class\":\"A2b\",\"height_m\":42,\"structure\":\"lattice\",\"placement\":\"ground\"}}" \
      "$url/api/v1/towers"
  done
  echo "$n" >"$work/written-$1"
}
touch "$work/writing"
writers=()
for w in 1 2 3 4 5 6 7 8; do writer "$w" & writers+=($!); done
end=$(( $(date +%s) + seconds ))
: >"$work/lag"
while [ "$(date +%s)" -lt "$end" ]; do
  # PostgreSQL's own measure on the primary: bytes not yet replayed, and replay_lag.
  "$pg_bin/psql" -qAtX -F ' ' -h 127.0.0.1 -p "$pg_port" -U hatang hatang -c "
    SELECT application_name || '@' || pid, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn),
           coalesce(extract(epoch FROM replay_lag), 0)
      FROM pg_stat_replication" >>"$work/lag"
  sleep 0.1
done
rm "$work/writing"
wait "${writers[@]}"
written=$(cat "$work"/written-* | paste -sd+ | bc)
echo "  writes: $written in ${seconds} s ($((written / seconds)) per second)"
python3 - "$work/lag" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, b, s = line.split()
    rows.setdefault(name, []).append((int(b), float(s)))
for name, samples in sorted(rows.items()):
    b = sorted(x[0] for x in samples); s = sorted(x[1] for x in samples)
    p = lambda v, q: v[min(len(v) - 1, int(q * len(v)))]
    print(f"  {name}: lag median {p(b, .5):,} bytes / {p(s, .5) * 1000:.0f} ms, "
          f"p99 {p(b, .99):,} bytes / {p(s, .99) * 1000:.0f} ms, max {b[-1]:,} bytes / {s[-1] * 1000:.0f} ms "
          f"({len(samples)} samples)")
PY
