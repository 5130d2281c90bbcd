#!/usr/bin/env bash
# Cable tiles at zooms 10 and 12 on the national data set, before and after
# merging routes (see bench.py).   bench/lowzoom/run.sh [SCALE]  (default 0.01)
set -euo pipefail
cd "$(dirname "$0")/../.."
scale="${1:-0.01}"
bench/national/run.sh "$scale" # builds (release) and loads once
data="$PWD/bench/var/national-$scale"
log="$data/lowzoom-server.log"
"${HATANG_BINARY:-$PWD/target/release/hatang}" serve --no-demo --port 0 --data-dir "$data" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 600); do grep -q "Stop with Ctrl+C" "$log" && break; sleep 0.5; done
grep -q "Stop with Ctrl+C" "$log" || { cat "$log"; exit 1; }
url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)"
python3 bench/lowzoom/bench.py "$data" "$url" "$(cat "$data/admin-password")"
