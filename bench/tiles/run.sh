#!/usr/bin/env bash
# Tile benchmark: builds Hatang (release), installs Martin 1.14 and oha into
# bench/.tools if missing, then runs bench.py (see README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
tools="$PWD/bench/.tools"
make deps
cargo build --release --locked --bin hatang
if [ ! -x "$tools/bin/martin" ]; then
  echo "installing Martin 1.14 into bench/.tools (about 4 minutes)"
  cargo install martin@1.14.0 --locked --no-default-features --features postgres --root "$tools"
fi
if [ ! -x "$tools/bin/oha" ]; then
  cargo install oha --locked --root "$tools"
fi
# The embedded cluster runs as an unprivileged user when Hatang runs as root.
mkdir -p bench/var
exec python3 bench/tiles/bench.py "$@"
