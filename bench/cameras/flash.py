#!/usr/bin/env python3
"""Enrols the simulator's cameras in a running Nova server, imports one image, creates one job per
camera back to back, and waits for all of them. Prints the time from the first job's creation to
the last job's success, from the server's own job records, and checks the simulator's truth.

    flash.py SERVER_URL ADMIN_PASSWORD SIMULATOR_URL COUNT IMAGE_MIB WORK_DIR
"""
import base64
import datetime
import hashlib
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request
import uuid

server, password, simulator, count, image_mib, work = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
auth = "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()
CAMERA_PASSWORD = "bench-camera-password"  # fleet.yaml


def call(method, url, body=None, content_type="application/json", authorised=True):
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    request = urllib.request.Request(url, data=data, method=method)
    if authorised:
        request.add_header("Authorization", auth)
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            text = response.read()
            return json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {url}: HTTP {e.code} {e.read().decode(errors='replace')}")


def when(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def wait_for(what, condition, seconds):
    until = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > until:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.5)


# 1. The cameras boot; then each is enrolled as an operator does: address and credentials.
wait_for("every camera to boot", lambda: len(call("GET", f"{simulator}/control/v1/devices?mode=normal", authorised=False)) >= count, 120)
cameras = sorted(d["id"] for d in call("GET", f"{simulator}/control/v1/devices", authorised=False))
ids = {}
for camera in cameras:
    device = call("POST", f"{server}/api/v1/devices", {
        "controllerId": camera, "vendor": "Optica", "model": "CAM-7", "hardwareRevision": "1.0", "soc": "armv7",
        "serial": camera, "kind": "camera", "protocol": "onvif",
        "address": f"{simulator}/onvif/{camera}/device_service", "firmware": {"activeVersion": "1.0.0"},
        "capabilities": {"abSlots": True},
    })
    ids[camera] = device["id"]
    call("PUT", f"{server}/api/v1/devices/{device['id']}/credentials", {"username": "admin", "password": CAMERA_PASSWORD})

# 2. One image in the simulator's format (header naming vendor, model, revision, SoC, version and the
#    payload's SHA-256, then the payload), imported with its published SHA-256.
payload = os.urandom(image_mib * 1024 * 1024)
header = "\n".join(["NOVA-SIM-IMAGE 1", "vendor=Optica", "model=CAM-7", "hw-revision=1.0", "soc=armv7", "version=2.0.0",
                    f"payload-sha256={hashlib.sha256(payload).hexdigest()}", "", ""])
image = header.encode() + payload
boundary = uuid.uuid4().hex
fields = {"vendor": "Optica", "version": "2.0.0", "models": "CAM-7", "hardwareRevisions": "1.0", "soc": "armv7", "kind": "update",
          "sha256": hashlib.sha256(image).hexdigest()}
body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items())
body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cam7-2.0.0.img"\r\n'
         f"Content-Type: application/octet-stream\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
package = call("POST", f"{server}/api/v1/packages", body, f"multipart/form-data; boundary={boundary}")["id"]
print(f"== {len(ids)} cameras enrolled, image of {len(image)} bytes imported; creating {len(ids)} jobs back to back")

# 3. All jobs together; then wait for every one to end.
started = time.monotonic()
jobs = [call("POST", f"{server}/api/v1/devices/{ids[c]}/jobs", {"packageId": package})["id"] for c in cameras]
created = time.monotonic() - started
final = {"succeeded", "failed", "blocked", "cancelled"}
rows = []


def all_ended():
    global rows
    rows = [j for j in call("GET", f"{server}/api/v1/jobs?pageSize=500")["items"] if j["id"] in jobs]
    return len(rows) == len(jobs) and all(j["status"] in final for j in rows)


wait_for("every job to end", all_ended, 900)
wall = time.monotonic() - started
bad = [j for j in rows if j["status"] != "succeeded"]
if bad:
    sys.exit(f"{len(bad)} jobs did not succeed: " + "; ".join(f"{j['id']} {j['status']}: {j.get('statusReason')}" for j in bad[:5]))
for camera in cameras:
    truth = call("GET", f"{simulator}/control/v1/devices/{camera}", authorised=False)
    if truth["flashCount"] != 1 or truth["runningVersion"] != "2.0.0":
        sys.exit(f"{camera}: flashed {truth['flashCount']} times, running {truth['runningVersion']}")

first_created = min(when(j["createdAt"]) for j in rows)
last_done = max(when(j["updatedAt"]) for j in rows)
per_job = sorted((when(j["updatedAt"]) - when(j["createdAt"])).total_seconds() for j in rows)
figure = (last_done - first_created).total_seconds()
print(f"== {len(rows)} cameras flashed, all succeeded, each flashed once and running 2.0.0 (simulator's truth)")
print(f"jobs created in {created:.1f} s")
print(f"per job, created to succeeded: min {per_job[0]:.1f} s, median {statistics.median(per_job):.1f} s, max {per_job[-1]:.1f} s")
print(f"RESULT: {len(rows)} cameras, {image_mib} MiB image: first job created -> last job succeeded = {figure:.1f} s "
      f"(server's job records; wall clock from the first POST {wall:.1f} s, polled every 0.5 s)")
