#!/usr/bin/env python3
"""Seeds a running Nova server with N DDI devices, each with its own target token, through the
management API: one CSV import (POST /api/v1/devices/import), the device ids from GET
/api/v1/devices, then POST /api/v1/devices/{id}/ddi-token per device (a few connections in
parallel). Writes "controllerId token" lines for poll.lua.

    seed.py BASE_URL ADMIN_PASSWORD COUNT PAIRS_FILE
"""
import base64
import http.client
import json
import secrets
import sys
import threading
import time
import urllib.parse

base, password, count, pairs_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
url = urllib.parse.urlsplit(base)
auth = "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()


def connect():
    return http.client.HTTPConnection(url.hostname, url.port, timeout=120)


def call(conn, method, path, body=None, content_type="application/json"):
    headers = {"Authorization": auth}
    if body is not None:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, data


started = time.monotonic()
rows = ["controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol"]
rows += [f"bench-{i:05d},Axiom,AX-500,B2,ambarella-cv25,SN{i:05d},camera,ddi" for i in range(count)]
conn = connect()
status, data = call(conn, "POST", "/api/v1/devices/import", "\n".join(rows).encode(), "text/csv")
if status != 200:
    sys.exit(f"import failed: HTTP {status} {data[:500]!r}")

devices = []
page = 1
while True:
    status, data = call(conn, "GET", f"/api/v1/devices?protocol=ddi&pageSize=500&page={page}")
    if status != 200:
        sys.exit(f"listing devices failed: HTTP {status} {data[:500]!r}")
    listing = json.loads(data)
    devices += [(d["id"], d["controllerId"]) for d in listing["items"] if d["controllerId"].startswith("bench-")]
    if page * listing["pageSize"] >= listing["total"]:
        break
    page += 1
if len(devices) != count:
    sys.exit(f"expected {count} devices, found {len(devices)}")

tokens = {}
failures = []


def set_tokens(chunk):
    c = connect()
    for device_id, controller_id in chunk:
        token = secrets.token_hex(16)
        status, data = call(c, "POST", f"/api/v1/devices/{device_id}/ddi-token", json.dumps({"token": token}).encode())
        if status != 200:
            failures.append(f"{controller_id}: HTTP {status} {data[:200]!r}")
            return
        tokens[controller_id] = token


workers = 4
threads = [threading.Thread(target=set_tokens, args=(devices[i::workers],)) for i in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if failures:
    sys.exit("setting tokens failed: " + failures[0])

with open(pairs_file, "w", encoding="ascii") as f:
    for _, controller_id in devices:
        f.write(f"{controller_id} {tokens[controller_id]}\n")
print(f"seeded {len(devices)} devices with tokens in {time.monotonic() - started:.1f} s")
