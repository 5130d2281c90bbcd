#!/usr/bin/env python3
"""Soak clients for bench/soak/run: only the standard library, keep-alive HTTP,
one thread per client, every loop bounded by the deadline (loopback only)."""

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.parse

CHANH_LO = (108.7965, 15.1035, 108.8245, 15.1265)  # lon/lat box of the demo ward
MEMBERS = ["vnpt.qng", "viettel.qng", "mobifone.qng", "fpt.qng"]
OPERATOR = {"vnpt.qng": "VNPT", "viettel.qng": "VIETTEL", "mobifone.qng": "MOBIFONE", "fpt.qng": "FPT"}


def tile(z, lon, lat):
    import math
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


class Client:
    """One keep-alive connection; `session` (cookie, CSRF token) is shared by
    the clients of one person (logging 64 clients in would time the password
    hashing, not the server)."""

    def __init__(self, url, username, password, session=None):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookie = None
        self.csrf = None
        if session:
            self.cookie, self.csrf = session
            return
        status, headers, body = self.call("POST", "/api/v1/auth/login", {"username": username, "password": password})
        if status != 200:
            raise SystemExit(f"login {username}: {status} {body[:200]}")
        self.cookie = headers["set-cookie"].split(";")[0]
        self.csrf = json.loads(body)["csrf_token"]

    def call(self, method, path, body=None, headers=None):
        all_headers = {"Accept-Encoding": "gzip"} if path.startswith("/tiles") else {}
        if self.cookie:
            all_headers["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            all_headers["X-CSRF-Token"] = self.csrf
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=all_headers)
                response = self.conn.getresponse()
                payload = response.read()
                headers = {}
                for k, v in response.getheaders():
                    k = k.lower()
                    # The login sets two cookies: the session's and the device's.
                    if k == "set-cookie" and not v.startswith("hatang_session="):
                        continue
                    headers[k] = v
                return response.status, headers, payload
            except (http.client.HTTPException, ConnectionError, TimeoutError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt:
                    return 0, {}, b""
        return 0, {}, b""


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--url", required=True)
    args.add_argument("--logins", required=True)
    args.add_argument("--clients", type=int, default=64)
    args.add_argument("--seconds", type=int, default=60)
    args.add_argument("--server-pid", type=int)
    args.add_argument("--pgdata")
    a = args.parse_args()
    passwords = {}
    for line in open(a.logins, encoding="utf-8"):
        words = line.split()
        if len(words) >= 2:
            passwords[words[0]] = words[1]

    lock = threading.Lock()
    latencies = {}  # kind -> [seconds]
    statuses = {}  # (kind, status) -> count
    created = []  # (code, operator) acknowledged by a 201
    patched = {}  # asset id -> (version, note) of the last acknowledged PATCH
    errors = []

    def record(kind, status, seconds):
        with lock:
            latencies.setdefault(kind, []).append(seconds)
            statuses[(kind, status)] = statuses.get((kind, status), 0) + 1
            if status >= 500 or status == 0:
                errors.append((kind, status))

    # Each operator's own poles, shared by its clients, so that edits conflict.
    setup = Client(a.url, MEMBERS[0], passwords[MEMBERS[0]])
    own = {}
    sessions = {}
    for member in MEMBERS:
        c = Client(a.url, member, passwords[member])
        sessions[member] = (c.cookie, c.csrf)
        status, _, body = c.call("GET", f"/api/v1/poles?operator={OPERATOR[member]}&limit=40")
        own[member] = [f["id"] for f in json.loads(body)["features"]] if status == 200 else []
    deadline = time.monotonic() + a.seconds
    barrier = threading.Barrier(a.clients)

    def run(n):
        member = MEMBERS[n % len(MEMBERS)]
        rng = random.Random(n)
        client = Client(a.url, member, passwords[member], sessions[member])
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            pass
        serial = 0
        while time.monotonic() < deadline:
            roll = rng.random()
            start = time.monotonic()
            if roll < 0.30:
                lon = rng.uniform(CHANH_LO[0], CHANH_LO[2]); lat = rng.uniform(CHANH_LO[1], CHANH_LO[3])
                kind = "list"
                status, _, _ = client.call("GET", f"/api/v1/{rng.choice(['towers', 'poles', 'cables', 'ducts'])}?bbox={lon-0.003},{lat-0.003},{lon+0.003},{lat+0.003}&limit=100")
            elif roll < 0.45:
                kind = "feature"
                ids = own[member]
                status, _, _ = client.call("GET", f"/api/v1/poles/{rng.choice(ids)}") if ids else (200, {}, b"")
            elif roll < 0.75:
                kind = "tile"
                z = rng.choice([12, 13, 14, 15, 16])
                zz, x, y = tile(z, rng.uniform(CHANH_LO[0], CHANH_LO[2]), rng.uniform(CHANH_LO[1], CHANH_LO[3]))
                status, _, _ = client.call("GET", f"/tiles/{rng.choice(['poles', 'towers', 'cables', 'poles,cables,towers'])}/{zz}/{x}/{y}")
            elif roll < 0.92 and own[member]:
                kind = "patch"
                asset = rng.choice(own[member][:8])  # few assets: concurrent edits meet
                status, headers, body = client.call("GET", f"/api/v1/poles/{asset}")
                etag = headers.get("etag")
                if status == 200 and etag:
                    if rng.random() < 0.3:
                        time.sleep(0.05)  # let someone else change it first, now and then
                    note = f"soak {n}-{serial}"
                    status, headers, body = client.call(
                        "PATCH", f"/api/v1/poles/{asset}", {"properties": {"note": note}},
                        {"If-Match": etag, "Content-Type": "application/merge-patch+json"})
                    if status == 200:
                        version = json.loads(body)["properties"]["version"]
                        with lock:
                            if version > patched.get(asset, (0, None))[0]:
                                patched[asset] = (version, note)
            else:
                kind = "create"
                serial += 1
                code = f"SOAK-{n}-{serial}"
                lon = rng.uniform(CHANH_LO[0], CHANH_LO[2]); lat = rng.uniform(CHANH_LO[1], CHANH_LO[3])
                status, _, _ = client.call("POST", "/api/v1/poles", {
                    "type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                    "properties": {"code": code, "operator": OPERATOR[member], "material": "concrete", "height_m": 8.5}})
                if status == 201:
                    with lock:
                        created.append((code, OPERATOR[member], member))
            serial += 1
            record(kind, status, time.monotonic() - start)

    memory = {"hatang_max_kb": 0, "postgres_max_kb": 0}

    def rss(pid):
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def postgres_rss():
        total = 0
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    cmd = open(f"/proc/{pid}/cmdline", "rb").read()
                except OSError:
                    continue
                if a.pgdata and a.pgdata.encode() in cmd or b"postgres: " in cmd and b"hatang" in cmd:
                    total += rss(pid)
        return total

    def sample():
        while time.monotonic() < deadline + 1:
            if a.server_pid:
                memory["hatang_max_kb"] = max(memory["hatang_max_kb"], rss(a.server_pid))
            memory["postgres_max_kb"] = max(memory["postgres_max_kb"], postgres_rss())
            time.sleep(1)

    start_rss = rss(a.server_pid) if a.server_pid else 0
    threads = [threading.Thread(target=run, args=(n,)) for n in range(a.clients)]
    sampler = threading.Thread(target=sample, daemon=True)
    began = time.monotonic()
    for t in threads:
        t.start()
    sampler.start()
    for t in threads:
        t.join(timeout=a.seconds + 120)
    elapsed = time.monotonic() - began
    end_rss = rss(a.server_pid) if a.server_pid else 0

    # Afterwards: every acknowledged write is there, the history verifies.
    missing = []
    checker = {m: Client(a.url, m, passwords[m], sessions[m]) for m in MEMBERS}
    for code, operator, member in created:
        # q matches within codes (SOAK-2-1 also finds SOAK-2-11): count exact codes only.
        status, _, body = checker[member].call(
            "GET", f"/api/v1/poles?q={urllib.parse.quote(code)}&operator={operator}&limit=1000")
        found = json.loads(body)["features"] if status == 200 else []
        if sum(1 for f in found if f["properties"].get("code") == code) != 1:
            missing.append(code)
    lost_edits = []
    for asset, (version, note) in patched.items():
        status, _, body = checker[MEMBERS[0]].call("GET", f"/api/v1/poles/{asset}")
        feature = json.loads(body) if status == 200 else {}
        props = feature.get("properties", {})
        if props.get("version") != version or props.get("note") != note:
            lost_edits.append((asset, version, note, props.get("version"), props.get("note")))
    admin = Client(a.url, "admin", passwords["admin"])
    status, _, body = admin.call("GET", "/api/v1/history/verify")
    chain = json.loads(body) if status == 200 else {"status": status}

    every = [s for values in latencies.values() for s in values]
    total = len(every)
    def pct(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else 0
    print(f"clients {a.clients}, {elapsed:.1f} s: {total} requests, {total / elapsed:.0f} req/s")
    print(f"{'kind':<10}{'requests':>10}{'p50 ms':>10}{'p99 ms':>10}  statuses")
    for kind in sorted(latencies):
        counts = {s: c for (k, s), c in statuses.items() if k == kind}
        print(f"{kind:<10}{len(latencies[kind]):>10}{pct(latencies[kind], 0.5):>10.1f}{pct(latencies[kind], 0.99):>10.1f}  "
              + ", ".join(f"{s}: {c}" for s, c in sorted(counts.items())))
    print(f"{'all':<10}{total:>10}{pct(every, 0.5):>10.1f}{pct(every, 0.99):>10.1f}")
    five = sum(c for (k, s), c in statuses.items() if s >= 500 or s == 0)
    conflicts = sum(c for (k, s), c in statuses.items() if s == 409)
    print(f"5xx or no answer: {five}   409 conflicts: {conflicts}")
    print(f"memory: hatang RSS {start_rss / 1024:.0f} MiB at start, {memory['hatang_max_kb'] / 1024:.0f} MiB at most, "
          f"{end_rss / 1024:.0f} MiB at the end; PostgreSQL processes at most {memory['postgres_max_kb'] / 1024:.0f} MiB")
    print(f"acknowledged creates: {len(created)}, missing afterwards: {len(missing)}; "
          f"acknowledged edits (last per asset): {len(patched)}, not as acknowledged: {len(lost_edits)}")
    print(f"history chain: {json.dumps(chain, ensure_ascii=False)[:200]}")
    ok = five == 0 and not missing and not lost_edits and chain.get("intact", chain.get("ok", False)) in (True,)
    if not ok:
        for item in (missing[:5] + lost_edits[:5]):
            print("  ", item)
        print("SOAK FAILED")
        sys.exit(1)
    print("SOAK OK")


if __name__ == "__main__":
    main()
