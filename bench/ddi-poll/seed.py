#!/usr/bin/env python3
"""Seeds a running Nova server with N DDI devices, each with its own target token, through the
management API: one CSV import (POST /api/v1/devices/import) whose ddiToken column carries each
device's token. Writes "controllerId token" lines for poll.lua.

    seed.py BASE_URL ADMIN_PASSWORD COUNT PAIRS_FILE
"""
import base64
import http.client
import json
import secrets
import sys
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
# Each device's token goes in the import's ddiToken column: the whole fleet is one request.
tokens = {f"bench-{i:06d}": secrets.token_hex(16) for i in range(count)}
rows = ["controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,ddiToken"]
rows += [f"{cid},Axiom,AX-500,B2,ambarella-cv25,SN{cid[6:]},camera,ddi,{token}" for cid, token in tokens.items()]
conn = connect()
status, data = call(conn, "POST", "/api/v1/devices/import", "\n".join(rows).encode(), "text/csv")
if status != 200:
    sys.exit(f"import failed: HTTP {status} {data[:500]!r}")
imported = json.loads(data)["imported"]
if imported != count:
    sys.exit(f"expected {count} devices imported, the server says {imported}")

with open(pairs_file, "w", encoding="ascii") as f:
    for controller_id, token in tokens.items():
        f.write(f"{controller_id} {token}\n")
print(f"seeded {count} devices with tokens in {time.monotonic() - started:.1f} s")
