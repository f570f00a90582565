#!/usr/bin/env python3
"""Prepares a running Nova server for the download benchmark through the management API only:
imports FILE as a package, enrols one DDI device that matches it (CSV import, then its target
token), starts a device job for that package (the DDI artifact route serves only a package one of
the device's open jobs points at) and waits until the job is transferring. Prints the artifact's
path and the device's token, space-separated.

    seed.py BASE_URL ADMIN_PASSWORD FILE
"""
import base64
import hashlib
import http.client
import json
import sys
import time
import urllib.parse
import uuid

base, password, path = sys.argv[1], sys.argv[2], sys.argv[3]
url = urllib.parse.urlsplit(base)
auth = "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)


def call(method, target, body=None, content_type="application/json", headers=None):
    sent = {"Authorization": auth, **(headers or {})}
    if body is not None:
        sent["Content-Type"] = content_type
        if content_type == "application/json":
            body = json.dumps(body).encode()
    conn.request(method, target, body=body, headers=sent)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        sys.exit(f"{method} {target}: HTTP {response.status} {data[:500]!r}")
    return json.loads(data) if data else None


with open(path, "rb") as f:
    image = f.read()
boundary = uuid.uuid4().hex
fields = {"vendor": "Axiom", "version": "2.0.0", "models": "C200", "hardwareRevisions": "1.0", "soc": "CV25", "kind": "update",
          "sha256": hashlib.sha256(image).hexdigest()}
body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items())
body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c200-2.0.0.bin"\r\n'
         f"Content-Type: application/octet-stream\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
package = call("POST", "/api/v1/packages", body, f"multipart/form-data; boundary={boundary}")

csv = "controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol\nbench-dl-1,Axiom,C200,1.0,CV25,SN1,camera,ddi\n"
call("POST", "/api/v1/devices/import", csv.encode(), "text/csv")
device = next(d for d in call("GET", "/api/v1/devices?protocol=ddi&pageSize=500")["items"] if d["controllerId"] == "bench-dl-1")
token = call("POST", f"/api/v1/devices/{device['id']}/ddi-token", {})["token"]
ddi = f"/DEFAULT/controller/v1/{device['controllerId']}"
call("GET", ddi, headers={"Authorization": f"TargetToken {token}"})  # first contact: the device is known to be online

job = call("POST", f"/api/v1/devices/{device['id']}/jobs", {"packageId": package["id"]})
deadline = time.monotonic() + 60
while (status := call("GET", f"/api/v1/jobs/{job['id']}")["status"]) != "transferring":
    if time.monotonic() > deadline:
        sys.exit(f"job {job['id']} did not reach transferring (it is {status})")
    time.sleep(0.2)
print(f"{ddi}/softwaremodules/{package['id']}/artifacts/{package['fileName']} {token}")
