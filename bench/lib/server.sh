# Sourced by the benchmark scripts: a Hatang server on a throw-away data folder
# with the demo loaded, signed in as the demo admin, stopped and deleted on exit.
#   start_hatang NAME   sets data, log, bin, server, url, cookie
# PROFILE=debug builds and runs the debug binary instead of release;
# HATANG_BIN=path runs that binary (not built).

start_hatang() {
  data="$(mktemp -d "/tmp/hatang-bench-$1.XXXX")"
  chmod 711 "$data" # PostgreSQL runs as another user when this runs as root
  log="$data/server.log"
  if [ -n "${HATANG_BIN:-}" ]; then
    bin="$HATANG_BIN"
  elif [ "${PROFILE:-release}" = debug ]; then
    cargo build --quiet --bin hatang
    bin=./target/debug/hatang
  else
    cargo build --release --quiet --bin hatang
    bin=./target/release/hatang
  fi
  "$bin" serve --data-dir "$data" --port 0 >"$log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
  for _ in $(seq 1 240); do grep -q "Stop with Ctrl+C" "$log" && break; sleep 0.5; done
  url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)"
  local password
  password="$(awk '$1 == "admin" {print $2}' "$data/demo-logins.txt")"
  cookie="$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$url/api/v1/auth/login" |
    grep -i '^set-cookie: hatang_session' | sed -E 's/^[^:]*: ([^;]*);.*/\1/')"
}
