#!/usr/bin/env python3
"""Tile benchmark: Hatang against Martin 1.14 on the same PostGIS and tiles.

Run through ./run.sh, which builds Hatang and installs Martin and oha first.
See README.md for what is measured and how to read the output.
"""

import argparse
import concurrent.futures
import json
import math
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import http.client
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TOOLS = os.path.join(ROOT, "bench", ".tools", "bin")
VAR = os.path.join(ROOT, "bench", "var")
HATANG_PORT = 18180
MARTIN_PORT = 18181
# Lon/lat extent of the synthetic city (data.sql).
EXTENT = (105.72, 20.93, 105.95, 21.10)
LAYERS = ("poles", "cables")
GROUPS = {"z10-12": (10, 11, 12), "z13": (13,), "z14-16": (14, 15, 16)}
SAMPLE_PER_ZOOM = {13: 12, 14: 60, 15: 80, 16: 80}
MISS_CONCURRENCY = 4
HIT_CONCURRENCY = 16
HIT_SECONDS = 8
BIG = -20037508.342789244


def log(*args):
    print(*args, flush=True)


# --- the city's tiles -------------------------------------------------------

def tile_of(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tile_list(seed=7):
    """Every tile of the extent at z10-12, a seeded sample at z13-16."""
    rng = random.Random(seed)
    tiles = []
    for z in range(10, 17):
        x0, y1 = tile_of(EXTENT[0], EXTENT[1], z)
        x1, y0 = tile_of(EXTENT[2], EXTENT[3], z)
        all_tiles = [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
        k = SAMPLE_PER_ZOOM.get(z)
        tiles += all_tiles if k is None or k >= len(all_tiles) else rng.sample(all_tiles, k)
    return tiles


# --- processes --------------------------------------------------------------

def psql(sql=None, file=None):
    url = f"postgresql://hatang@/hatang?host={VAR}/pg"
    command = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", url]
    command += ["-f", file] if file else ["-c", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def wait_http(url, seconds=600):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not come up")


def start(command, logname, env=None):
    out = open(os.path.join(VAR, logname), "ab")
    return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


def stop(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()


def martin_config(port, cache_mb):
    props = {
        "poles": ["kind", "code", "operator", "status", "ward_code", "purpose", "material"],
        "cables": ["kind", "code", "operator", "status", "ward_code", "placement", "medium", "role"],
    }
    lines = [
        f"listen_addresses: '127.0.0.1:{port}'",
        f"cache_size_mb: {cache_mb}",
        "postgres:",
        f"  connection_string: 'postgresql://hatang@/hatang?host={VAR}/pg'",
        "  pool_size: 20",
        "  auto_publish: false",
        "  tables:",
    ]
    for layer in LAYERS:
        lines += [
            f"    {layer}:",
            "      schema: bench",
            f"      table: {layer}",
            "      srid: 3857",
            "      geometry_column: geom",
            "      geometry_type: GEOMETRY",
            "      id_column: id",
            "      extent: 4096",
            "      buffer: 64",
            "      clip_geom: true",
            "      properties:",
        ]
        lines += [f"        {p}: text" for p in props[layer]]
        lines += ["        asset_id: int8", "        tenant_count: int4", "        shared: bool"]
    path = os.path.join(VAR, f"martin-{port}.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


# --- MVT decoding (enough protobuf for vector tiles) -------------------------

def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, i
        shift += 7


def fields(buf):
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 2:
            length, i = varint(buf, i)
            value, i = buf[i:i + length], i + length
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield number, value


def packed(buf):
    out, i = [], 0
    while i < len(buf):
        v, i = varint(buf, i)
        out.append(v)
    return out


def decode_value(buf):
    import struct
    for number, value in fields(buf):
        if number == 1:
            return value.decode()
        if number == 2:
            return struct.unpack("<f", value)[0]
        if number == 3:
            return struct.unpack("<d", value)[0]
        if number in (4, 5):
            return value
        if number == 6:
            return (value >> 1) ^ -(value & 1)
        if number == 7:
            return bool(value)
    return None


def decode(tile, with_props=True):
    """{layer: [(id, props, first vertex)]}; props empty unless asked for."""
    layers = {}
    for number, layer_buf in fields(tile):
        if number != 3:
            continue
        name, keys, values, raw = None, [], [], []
        for n, v in fields(layer_buf):
            if n == 1:
                name = v.decode()
            elif n == 2:
                raw.append(v)
            elif n == 3:
                keys.append(v.decode())
            elif n == 4:
                values.append(decode_value(v))
        features = []
        for f in raw:
            fid, tags, geometry = None, [], []
            for n, v in fields(f):
                if n == 1:
                    fid = v
                elif n == 2 and with_props:
                    tags = packed(v)
                elif n == 4:
                    geometry = v
            props = {keys[tags[k]]: values[tags[k + 1]] for k in range(0, len(tags), 2)}
            zz = lambda v: (v >> 1) ^ -(v & 1)
            first = None
            if geometry:
                _, i = varint(geometry, 0)
                x, i = varint(geometry, i)
                y, i = varint(geometry, i)
                first = (zz(x), zz(y))
            features.append((fid, props, first))
        layers[name] = features
    return layers


# --- measuring --------------------------------------------------------------

# Hatang serves the asset layers to signed-in people only: the benchmark signs
# in as the demo admin and sends the session cookie with every request (to
# Martin too, which ignores it, so both servers get the same requests).
AUTH = {}


def sign_in():
    with open(os.path.join(VAR, "demo-logins.txt")) as f:
        password = next(line.split()[1] for line in f if line.split()[:1] == ["admin"])
    request = urllib.request.Request(
        f"http://127.0.0.1:{HATANG_PORT}/api/v1/auth/login",
        data=json.dumps({"username": "admin", "password": password}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as r:
        cookie = r.headers["Set-Cookie"].split(";", 1)[0]
    AUTH["Cookie"] = cookie


def hatang_stats():
    request = urllib.request.Request(f"http://127.0.0.1:{HATANG_PORT}/tiles/_stats", headers=AUTH)
    with urllib.request.urlopen(request) as r:
        return json.load(r)


def fetch(port, path, gzip=True):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {**AUTH, "Accept-Encoding": "gzip"} if gzip else dict(AUTH)
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, body


def miss_run(port, paths, concurrency=MISS_CONCURRENCY):
    """Every path once, `concurrency` at a time, keep-alive per worker."""
    local = threading.local()
    latencies = []
    errors = []
    lock = threading.Lock()

    def one(path):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        started = time.perf_counter()
        local.conn.request("GET", path, headers={**AUTH, "Accept-Encoding": "gzip"})
        r = local.conn.getresponse()
        r.read()
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            if r.status not in (200, 204):
                errors.append((path, r.status))

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, paths))
    wall = time.perf_counter() - started
    result = summary((len(paths) - len(errors)) / wall, latencies)
    # Throughput counts answered tiles only; anything else is reported.
    result["errors"] = {}
    for _, status in errors:
        result["errors"][str(status)] = result["errors"].get(str(status), 0) + 1
    return result


def summary(rps, latencies):
    latencies = sorted(latencies)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    return {"rps": rps, "p50_ms": pick(0.50) * 1000, "p99_ms": pick(0.99) * 1000,
            "n": len(latencies)}


def hit_run(port, paths):
    """oha for HIT_SECONDS over the (already cached) paths, gzip accepted."""
    url_file = os.path.join(VAR, f"urls-{port}.txt")
    with open(url_file, "w") as f:
        f.write("\n".join(f"http://127.0.0.1:{port}{p}" for p in paths) + "\n")
    out = subprocess.run(
        [os.path.join(TOOLS, "oha"), "--no-tui", "--output-format", "json", "-z", f"{HIT_SECONDS}s",
         "-c", str(HIT_CONCURRENCY), "-H", "Accept-Encoding: gzip",
         *[arg for name, value in AUTH.items() for arg in ("-H", f"{name}: {value}")],
         "--urls-from-file", url_file],
        check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    codes = result.get("statusCodeDistribution", {})
    ok = sum(n for code, n in codes.items() if code in ("200", "204"))
    p = result["latencyPercentiles"]
    # Throughput counts answered tiles only (oha also counts other statuses).
    return {"rps": ok / result["summary"]["total"], "p50_ms": p["p50"] * 1000,
            "p99_ms": p["p99"] * 1000, "n": ok,
            "other_statuses": {c: n for c, n in codes.items() if c not in ("200", "204")}}


def hatang_path(layer, t):
    return f"/tiles/{layer}/{t[0]}/{t[1]}/{t[2]}"


def martin_path(layer, t):
    return f"/{layer}/{t[0]}/{t[1]}/{t[2]}"


def clear_hatang_cache():
    psql(f"select tiles_notify('assets', ST_MakeEnvelope({BIG}, {BIG}, {-BIG}, {-BIG})::box2d)")
    for _ in range(100):
        stats = hatang_stats()
        if stats["cached_tiles"] == 0:
            return
        time.sleep(0.1)
    raise SystemExit("the Hatang tile cache did not empty")


# --- same features? ---------------------------------------------------------

def compare(tiles, per_zoom=4, seed=11):
    # Two tiles per zoom below 14: Martin's tiles there hold up to 760,000
    # points, slow to decode in Python.
    """Checks a sample of tiles: where Hatang draws every feature the ids are
    equal; where it clusters points, its clusters count exactly Martin's points
    inside the tile; where it thins lines, its lines are a subset of Martin's."""
    rng = random.Random(seed)
    rows = []
    by_zoom = {}
    for t in tiles:
        by_zoom.setdefault(t[0], []).append(t)
    for layer in LAYERS:
        for z in sorted(by_zoom):
            for t in rng.sample(by_zoom[z], min(per_zoom if z >= 14 else 2, len(by_zoom[z]))):
                s1, h = fetch(HATANG_PORT, hatang_path(layer, t), gzip=False)
                s2, m = fetch(MARTIN_PORT, martin_path(layer, t), gzip=False)
                assert s1 == 200 and s2 in (200, 204), (layer, t, s1, s2)
                hf = decode(h).get(layer, [])
                mf = decode(m, with_props=False).get(layer, [])
                inside = lambda f: f[2] is not None and 0 <= f[2][0] < 4096 and 0 <= f[2][1] < 4096
                h_ids = {f[0] for f in hf if f[0] is not None}
                m_ids = {f[0] for f in mf}
                clusters = [f for f in hf if f[1].get("cluster")]
                if clusters or (layer == "poles" and z < 15):
                    h_count = sum(f[1]["count"] if f[1].get("cluster") else 1 for f in hf if inside(f))
                    m_count = sum(1 for f in mf if inside(f))
                    # MVT rounds to whole units: a point within half a unit of
                    # the tile's edge can land on either side of it in Martin's
                    # tile, while Hatang counts it in its grid cell. Differences
                    # are allowed up to the number of Martin's points on the edge.
                    edge = sum(1 for f in mf if f[2] is not None and
                               (min(abs(f[2][0]), abs(f[2][0] - 4096)) <= 1 or
                                min(abs(f[2][1]), abs(f[2][1] - 4096)) <= 1))
                    ok = abs(h_count - m_count) <= edge and h_ids <= m_ids
                    how = (f"clusters count {h_count} points, Martin draws {m_count} "
                           f"({edge} on the tile's edge)")
                elif layer == "cables" and z < 14:
                    # Routes are merged per operator and style below zoom 14
                    # (a merged feature has no id and counts its routes).
                    routes = sum(f[1].get("count") or 1 for f in hf)
                    ok = h_ids <= m_ids and routes <= len(m_ids)
                    how = (f"{routes} of Martin's {len(m_ids)} lines in {len(hf)} features "
                           "(short ones dropped, cap 10000, merged per operator and style)")
                else:
                    ok = h_ids == m_ids
                    how = f"same {len(h_ids)} features" if ok else f"{len(h_ids)} vs {len(m_ids)}"
                rows.append({"layer": layer, "tile": "/".join(map(str, t)), "ok": ok, "how": how,
                             "hatang_features": len(hf), "martin_features": len(mf),
                             "hatang_bytes": len(h), "martin_bytes": len(m)})
    return rows


def cold_burst():
    """64 concurrent requests for one tile nobody asked for yet."""
    x, y = tile_of(105.851, 21.028, 15)
    path = f"/tiles/towers,poles,cables/15/{x}/{y}"
    before = hatang_stats()["queries"]
    barrier = threading.Barrier(64)

    def one(_):
        conn = http.client.HTTPConnection("127.0.0.1", HATANG_PORT, timeout=120)
        conn.connect()
        barrier.wait()
        conn.request("GET", path, headers=AUTH)
        r = conn.getresponse()
        return r.status, r.read()

    with concurrent.futures.ThreadPoolExecutor(64) as pool:
        replies = list(pool.map(one, range(64)))
    after = hatang_stats()["queries"]
    same = all(r == replies[0] for r in replies)
    return {"path": path, "queries": after - before, "identical_replies": same,
            "statuses": sorted({r[0] for r in replies})}


# --- main -------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=os.path.join(VAR, "results.json"))
    args = parser.parse_args()
    os.makedirs(VAR, exist_ok=True)
    hatang = martin = None
    try:
        log("== starting Hatang (release) on the benchmark database")
        hatang = start([os.path.join(ROOT, "target", "release", "hatang"), "serve",
                        "--data-dir", VAR, "--port", str(HATANG_PORT), "--web-dir", "/nonexistent",
                        "--tile-cache-mb", "1024"], "hatang.log",
                       env={**os.environ, "RUST_LOG": "warn"})
        wait_http(f"http://127.0.0.1:{HATANG_PORT}/health")
        sign_in()
        loaded = int(psql("select count(*) from asset where code like 'BENCH-%'"))
        if loaded < 1_200_000:
            if loaded:
                raise SystemExit("a partial benchmark data set is in bench/var; delete bench/var and run again")
            log("== loading the synthetic city (1,000,000 points, 200,000 lines; a few minutes)")
            started = time.time()
            psql(file=os.path.join(HERE, "data.sql"))
            log(f"   loaded in {time.time() - started:.0f} s")
        psql(file=os.path.join(HERE, "martin.sql"))
        counts = dict(line.split("|") for line in psql(
            "select kind, count(*) from asset where code like 'BENCH-%' group by kind order by kind").splitlines())
        log("   data set:", counts)

        log("== starting Martin 1.14 with a tile cache large enough for every tile of the list")
        martin = start([os.path.join(TOOLS, "martin"), "--config", martin_config(MARTIN_PORT, 8192)],
                       "martin.log")
        wait_http(f"http://127.0.0.1:{MARTIN_PORT}/health")

        tiles = tile_list()
        log(f"   {len(tiles)} tiles:", {z: sum(1 for t in tiles if t[0] == z) for z in range(10, 17)})
        results = {"tiles": len(tiles), "data": counts, "runs": []}

        log("== warming PostgreSQL's caches (sequential scans, not measured)")
        psql("select count(*) from asset where geom_3857 is not null")
        for table in ("pole", "cable", "tenancy", "operator"):
            psql(f"select count(*) from {table}")
        # A few tiles elsewhere (the demo ward in Quảng Ngãi), 8 at a time, so
        # both servers have open, warmed-up database connections.
        elsewhere = [(z, *tile_of(108.80 + 0.004 * i, 15.115, z)) for z in (14, 15, 16) for i in range(8)]
        for layer in LAYERS:
            miss_run(HATANG_PORT, [hatang_path(layer, t) for t in elsewhere], concurrency=8)
            miss_run(MARTIN_PORT, [martin_path(layer, t) for t in elsewhere], concurrency=8)
        clear_hatang_cache()

        # Each tile is asked once of each server with an empty tile cache (cache
        # miss), then the same tiles again and again for a few seconds (cache
        # hit). The servers take turns, and which goes first alternates.
        step = 0
        for layer in LAYERS:
            for group, zooms in GROUPS.items():
                chosen = [t for t in tiles if t[0] in zooms]
                order = ["hatang", "martin"] if step % 2 == 0 else ["martin", "hatang"]
                step += 1
                runs = {}
                for server in order:
                    port, paths = ((HATANG_PORT, [hatang_path(layer, t) for t in chosen]) if server == "hatang"
                                   else (MARTIN_PORT, [martin_path(layer, t) for t in chosen]))
                    runs[server] = {"miss": miss_run(port, paths)}
                for server in order:
                    port, paths = ((HATANG_PORT, [hatang_path(layer, t) for t in chosen]) if server == "hatang"
                                   else (MARTIN_PORT, [martin_path(layer, t) for t in chosen]))
                    runs[server]["hit"] = hit_run(port, paths)
                for server in ("hatang", "martin"):
                    miss, hit = runs[server]["miss"], runs[server]["hit"]
                    results["runs"].append({"server": server, "layer": layer, "group": group,
                                            "tiles": len(chosen), "miss": miss, "hit": hit})
                    log(f"   {server:6} {layer:6} {group:6} "
                        f"miss {miss['rps']:8.1f} req/s p50 {miss['p50_ms']:8.1f} ms p99 {miss['p99_ms']:8.1f} ms | "
                        f"hit {hit['rps']:8.1f} req/s p50 {hit['p50_ms']:6.2f} ms p99 {hit['p99_ms']:6.2f} ms"
                        + (f" | not answered: miss {miss['errors']} hit {hit['other_statuses']}"
                           if miss["errors"] or hit["other_statuses"] else ""))

        log("== same features? (sample of tiles, Hatang vs Martin)")
        results["comparison"] = compare(tiles)
        for row in results["comparison"]:
            log(f"   {'ok ' if row['ok'] else 'BAD'} {row['layer']:6} {row['tile']:16} {row['how']}  "
                f"({row['hatang_bytes']} vs {row['martin_bytes']} bytes)")

        log("== 64 concurrent requests for one cold tile")
        results["cold_burst"] = cold_burst()
        log("  ", results["cold_burst"])

        log("== ratios (Hatang / Martin)")
        results["ratios"] = []
        for layer in LAYERS:
            for group in GROUPS:
                for kind in ("miss", "hit"):
                    h = statistics.mean(r[kind]["rps"] for r in results["runs"]
                                        if r["server"] == "hatang" and r["layer"] == layer and r["group"] == group)
                    m = statistics.mean(r[kind]["rps"] for r in results["runs"]
                                        if r["server"] == "martin" and r["layer"] == layer and r["group"] == group)
                    results["ratios"].append({"layer": layer, "group": group, "kind": kind,
                                              "hatang_rps": h, "martin_rps": m, "ratio": h / m})
                    log(f"   {layer:6} {group:6} cache-{kind:4}  Hatang {h:9.1f} req/s  Martin {m:9.1f} req/s  "
                        f"ratio {h / m:6.2f}x")
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)
        log(f"== results written to {args.out}")
        bad = [r for r in results["comparison"] if not r["ok"]]
        if bad or results["cold_burst"]["queries"] != 1:
            sys.exit(1)
    finally:
        for p in (martin, hatang):
            stop(p)


if __name__ == "__main__":
    main()
