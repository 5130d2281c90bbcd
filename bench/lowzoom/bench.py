#!/usr/bin/env python3
"""Cable tiles below zoom 14 on the national data set (issue 15, "lines at low
zoom"): the per-route SQL that Hatang used before (asset_lines.sql, one feature
per route) against the merged SQL it uses now (cable_lines.sql, routes merged
per operator, placement, role, status and sharing), on the same database in
the same run, alternating; then the server's own cache misses.

    bench/lowzoom/bench.py DATA_DIR URL PASSWORD
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "tiles"))
from bench import decode, tile_of  # noqa: E402  (the tile benchmark's MVT decoder)

SQL = os.path.join(ROOT, "server", "src", "tiles", "sql")
# Dense cities of the data set (wards.py): their centres.
CITIES = {
    "Hồ Chí Minh": (106.700, 10.776),
    "Hà Nội": (105.854, 21.028),
    "Hải Phòng": (106.683, 20.856),
    "Đà Nẵng": (108.212, 16.060),
    "Cần Thơ": (105.784, 10.034),
}
ZOOMS = (10, 12)
ROUNDS = 5
BIG = -20037508.342789244


def fragment(name):
    with open(os.path.join(SQL, name)) as f:
        sql = f.read()
    for key, value in {"{chosen_filter}": "", "{audience}": "", "{layer}": "cables", "{kind}": "cable",
                       "{table}": "cable", "{columns}": "d.placement, d.medium, d.role", "{filter}": "",
                       "{cap}": "10000"}.items():
        sql = sql.replace(key, value)
    with open(os.path.join(SQL, "tile.sql")) as f:
        tile = f.read()
    return tile.replace("{grid}", "16").replace("{layers}", sql)


def tiles():
    out = []
    for z in ZOOMS:
        for lon, lat in CITIES.values():
            x, y = tile_of(lon, lat, z)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    out.append((z, x + dx, y + dy))
    return out


def psql(data, script):
    return subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", os.path.join(data, "pg"),
                           "-U", "hatang", "-d", "hatang"], input=script, capture_output=True, text=True,
                          check=True).stdout


def sql_run(data, variants, tile_list):
    """Times every tile with every variant, ROUNDS times, alternating; and
    fetches each tile once to count its features and bytes."""
    script = []
    for name, sql in variants.items():
        script.append(f"prepare {name}_len(int, int, int) as select length(t) from ({sql}) q(t);")
        script.append(f"prepare {name}_tile(int, int, int) as select encode(t, 'base64') from ({sql}) q(t);")
    # Warm-up: read every tile once with each variant (buffers, plans).
    for name in variants:
        for z, x, y in tile_list:
            script.append(f"execute {name}_len({z}, {x}, {y});")
    script.append("\\timing on")
    order = list(variants)
    for r in range(ROUNDS):
        names = order if r % 2 == 0 else order[::-1]
        for z, x, y in tile_list:
            for name in names:
                script.append(f"\\echo T {name} {z} {x} {y}")
                script.append(f"execute {name}_len({z}, {x}, {y});")
    script.append("\\timing off")
    for name in variants:
        for z, x, y in tile_list:
            script.append(f"\\echo B {name} {z} {x} {y}")
            script.append(f"execute {name}_tile({z}, {x}, {y});")
    out = psql(data, "\n".join(script) + "\n").splitlines()
    times, blobs = {}, {}
    i = 0
    while i < len(out):
        line = out[i]
        if line.startswith("T "):
            _, name, z, x, y = line.split()
            # the length, then "Time: 12.345 ms"
            j = i + 1
            while not out[j].startswith("Time:"):
                j += 1
            ms = float(out[j].split()[1])
            times.setdefault((name, int(z)), []).append(ms)
            i = j + 1
        elif line.startswith("B "):
            _, name, z, x, y = line.split()
            j, chunks = i + 1, []
            while j < len(out) and not out[j].startswith(("B ", "T ")):
                chunks.append(out[j])
                j += 1
            import base64
            blobs[(name, int(z), int(x), int(y))] = base64.b64decode("".join(chunks))
            i = j
        else:
            i += 1
    return times, blobs


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def http_misses(data, url, password, tile_list):
    host = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=300)
    conn.request("POST", "/api/v1/auth/login", json.dumps({"username": "admin", "password": password}),
                 {"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    cookie = r.getheader("Set-Cookie").split(";")[0]
    # Empty the tile cache through the change notice, as other writers do.
    psql(data, f"select tiles_notify('assets', ST_MakeEnvelope({BIG}, {BIG}, {-BIG}, {-BIG})::box2d);")
    time.sleep(0.5)
    result = {}
    for z, x, y in tile_list:
        started = time.perf_counter()
        conn.request("GET", f"/tiles/cables/{z}/{x}/{y}", headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        r = conn.getresponse()
        body = r.read()
        ms = 1000 * (time.perf_counter() - started)
        assert r.status == 200, (r.status, body[:200])
        result.setdefault(z, []).append((ms, len(body)))
    return result


def main():
    data, url, password = sys.argv[1:4]
    tile_list = tiles()
    counts = psql(data, "select count(*) filter (where kind = 'cable'), count(*) from asset").split("|")
    print(f"data set: {int(counts[0]):,} cable routes, {int(counts[1]):,} assets")
    print(f"load before: {open('/proc/loadavg').read().split()[:3]} (cores: {os.cpu_count()})")
    variants = {"before": fragment("asset_lines.sql"), "after": fragment("cable_lines.sql")}
    times, blobs = sql_run(data, variants, tile_list)
    print(f"\n== the tile SQL alone (psql, {len(tile_list) // len(ZOOMS)} tiles per zoom around "
          f"{', '.join(CITIES)}, {ROUNDS} rounds, alternating)")
    print(f"{'zoom':>4} {'variant':>7} {'p50 ms':>8} {'p99 ms':>8} {'features':>9} {'routes':>7} {'MVT KB':>8}")
    summary = {}
    for z in ZOOMS:
        for name in variants:
            ms = times[(name, z)]
            feats = routes = size = 0
            top = None
            for (n, zz, x, y), blob in blobs.items():
                if n != name or zz != z:
                    continue
                features = decode(blob).get("cables", [])
                feats += len(features)
                routes += sum(f[1].get("count") or 1 for f in features)
                size += len(blob)
                if top is None or len(blob) > top[0]:
                    top = (len(blob), len(features), f"{zz}/{x}/{y}")
            n_tiles = len(tile_list) // len(ZOOMS)
            summary[(z, name)] = {"p50": pct(ms, 50), "p99": pct(ms, 99), "features": feats, "routes": routes,
                                  "bytes": size, "largest": top}
            print(f"{z:>4} {name:>7} {pct(ms, 50):>8.1f} {pct(ms, 99):>8.1f} {feats / n_tiles:>9.0f} "
                  f"{routes / n_tiles:>7.0f} {size / n_tiles / 1024:>8.1f}   largest {top[2]}: "
                  f"{top[0] / 1024:.0f} KB, {top[1]} features")
        b, a = summary[(z, "before")], summary[(z, "after")]
        print(f"     z{z}: p50 {b['p50'] / a['p50']:.2f}× faster, p99 {b['p99'] / a['p99']:.2f}×, "
              f"{b['bytes'] / max(a['bytes'], 1):.1f}× smaller; routes drawn {a['routes']} vs {b['routes']} "
              "(a merged feature counts routes that clipping leaves empty, which before were dropped)")
    misses = http_misses(data, url, password, tile_list)
    print("\n== the server's cache misses (HTTP, gzip, one request at a time, cache emptied first)")
    for z, rows in misses.items():
        ms = [r[0] for r in rows]
        print(f"  z{z}: p50 {pct(ms, 50):.1f} ms, p99 {pct(ms, 99):.1f} ms, "
              f"mean gzipped {statistics.mean(r[1] for r in rows) / 1024:.1f} KB")
    print(f"load after: {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()
