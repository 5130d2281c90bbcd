#!/usr/bin/env bash
# Tile cache hits signed in vs anonymous (issue 15, third row of the table).
#   bench/sessions/run.sh [SECONDS]   (default 8 s per measure)
# Builds Hatang in release mode, starts it on its own embedded cluster in
# bench/var/sessions (the first start loads the demo ward), and asks one cached
# tile again and again with wrk, 16 connections, gzip accepted: signed in
# (session cookie) and anonymous, alternating, in the same run. Then the same
# with the principal cache off (--session-cache-seconds 0), which is how every
# signed-in request worked before (two session queries per request).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration="${1:-8}"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
# HATANG_BINARY=path uses that binary instead of building a release one.
if [ -z "${HATANG_BINARY:-}" ]; then cargo build --release --locked --quiet --bin hatang; fi
hatang="${HATANG_BINARY:-$PWD/target/release/hatang}"
data="$PWD/bench/var/sessions"
mkdir -p "$data"
chmod 711 "$PWD/bench/var" "$data" # PostgreSQL runs as another user when this runs as root
if [ ! -f "$data/admin-password" ]; then
  "$hatang" create-user --data-dir "$data" --username admin --display-name "Quản trị" --role admin \
    | sed -E 's/.*Password \(shown once\): //' | grep -E '^[[:alnum:]]{4}(-[[:alnum:]]{4}){3}$' >"$data/admin-password"
  chmod 600 "$data/admin-password"
fi
password="$(cat "$data/admin-password")"

server=""
stop() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi; }
trap stop EXIT
start() { # extra server arguments
  local log="$data/server.log"
  "$hatang" serve --port 0 --data-dir "$data" "$@" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do grep -q "Stop with Ctrl+C" "$log" && break; sleep 0.5; done
  grep -q "Stop with Ctrl+C" "$log" || { cat "$log"; exit 1; }
  url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)"
  cookie="$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$url/api/v1/auth/login" \
    | tr -d '\r' | sed -nE 's/^[Ss]et-[Cc]ookie: (hatang_session=[^;]*).*/\1/p')"
  [ -n "$cookie" ] || { echo "cannot log in"; exit 1; }
}

# The demo ward's tile at zoom 15 (Chánh Lộ, Quảng Ngãi).
read -r x y < <(python3 -c "
import math
lon, lat, z = 108.800, 15.115, 15
n = 2 ** z
x = int((lon + 180) / 360 * n)
y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
print(x, y)")

rate() { # label, path, extra wrk arguments...
  local label="$1" path="$2"; shift 2
  curl -s -o /dev/null --compressed "$@" "$url$path" # cached now
  local out
  out="$(wrk -t2 -c16 -d"${duration}s" -H 'Accept-Encoding: gzip' "$@" "$url$path")"
  local rps errors
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  errors="$(echo "$out" | awk '/Non-2xx/ {print $5}')"
  printf '  %-34s %10.0f req/s%s\n' "$label" "$rps" "${errors:+  ($errors non-2xx!)}"
  eval "${label//[^a-z]/_}=$rps"
}

metric() { curl -s "$url/metrics" | awk -v m="hatang_$1" '$1 == m {print $2}'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores: $(nproc))"
for cache in 30 0; do
  start --session-cache-seconds "$cache"
  echo "== principal cache ${cache} s ($url, tile 15/$x/$y, wrk 16 connections, ${duration} s each)"
  # Layers the public may see too (it gets published towers for `towers`).
  for layers in wards towers; do
    path="/tiles/$layers/15/$x/$y"
    echo " $path"
    signed_in="" anonymous=""
    for round in 1 2; do
      if [ $round = 1 ]; then
        rate "signed in" "$path" -H "Cookie: $cookie"; a="$signed_in"
        rate "anonymous" "$path"; b="$anonymous"
      else
        rate "anonymous" "$path"; b2="$anonymous"
        rate "signed in" "$path" -H "Cookie: $cookie"; a2="$signed_in"
      fi
    done
    python3 -c "
a, b = ($a + $a2) / 2, ($b + $b2) / 2
print(f'  signed in {a:,.0f} req/s vs anonymous {b:,.0f} req/s: {100 * a / b:.0f} %')"
  done
  echo "  principal cache: $(metric principal_cache_hits) hits, $(metric principal_cache_misses) misses"
  stop
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
