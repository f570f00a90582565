#!/usr/bin/env python3
"""The two halves of bench/rollout/run.sh.

    rollout.py enrol SERVER_URL ADMIN_PASSWORD COUNT
        One CSV import of COUNT gateways, then each device's DDI token (the simulator's default, <id>-sim-target-token), a few
        connections in parallel.
    rollout.py run SERVER_URL ADMIN_PASSWORD COUNT SIM_URL SERVER_PID SIM_PID CONCURRENCY SCALE WRITE BOOT ACTIVE_POLL
        Imports one image, creates and starts a one-wave rollout with CONCURRENCY at once, waits for
        it to complete, checks the simulator's truth, and prints wall time, server CPU per device and
        the lower bound.
"""
import base64
import hashlib
import http.client
import json
import math
import os
import sys
import threading
import time
import urllib.parse
import uuid

mode, base, password, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
url = urllib.parse.urlsplit(base)
auth = "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()
TICKS = os.sysconf("SC_CLK_TCK")


def connect(u=url):
    return http.client.HTTPConnection(u.hostname, u.port, timeout=300)


def call(conn, method, path, body=None, content_type="application/json", authorised=True):
    headers = {"Authorization": auth} if authorised else {}
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    if data is not None:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read()
    if response.status >= 300:
        sys.exit(f"{method} {path}: HTTP {response.status} {text[:500]!r}")
    return json.loads(text) if text else None


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def ids(i):
    return f"bench-gateway-{i:05d}"


if mode == "enrol":
    started = time.monotonic()
    rows = ["controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol"]
    rows += [f"{ids(i)},Acme,GW-100,1.0,aarch64,SN{i:05d},gateway,ddi" for i in range(1, count + 1)]
    conn = connect()
    call(conn, "POST", "/api/v1/devices/import", "\n".join(rows).encode(), "text/csv")
    devices = []
    page = 1
    while True:
        items = call(conn, "GET", f"/api/v1/devices?pageSize=500&page={page}")["items"]
        devices += [(d["id"], d["controllerId"]) for d in items]
        if len(items) < 500:
            break
        page += 1
    work = list(devices)
    lock = threading.Lock()

    def worker():
        c = connect()
        while True:
            with lock:
                if not work:
                    return
                device_id, controller = work.pop()
            call(c, "POST", f"/api/v1/devices/{device_id}/ddi-token", {"token": f"{controller}-sim-target-token"})

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"== {len(devices)} gateways enrolled with their DDI tokens in {time.monotonic() - started:.1f} s")
    sys.exit(0)

sim, server_pid, sim_pid, concurrency, scale, write, boot, active_poll = (
    urllib.parse.urlsplit(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), float(sys.argv[9]),
    float(sys.argv[10]), float(sys.argv[11]), sys.argv[12])
conn = connect()

# Wait for every device's first poll (a job for a device never seen waits for it anyway, but the
# figure should be the rollout's, not the fleet's first contact).
until = time.monotonic() + 900
while True:
    seen = call(conn, "GET", "/api/v1/devices?pageSize=1&health=healthy")["total"]
    if seen >= count or time.monotonic() > until:
        break
    time.sleep(2)
print(f"== {seen} of {count} gateways have polled")

payload = os.urandom(64 * 1024)
header = "\n".join(["NOVA-SIM-IMAGE 1", "vendor=Acme", "model=GW-100", "hw-revision=1.0", "soc=aarch64", "version=2.0.0",
                    f"payload-sha256={hashlib.sha256(payload).hexdigest()}", "", ""])
image = header.encode() + payload
boundary = uuid.uuid4().hex
fields = {"vendor": "Acme", "version": "2.0.0", "models": "GW-100", "hardwareRevisions": "1.0", "soc": "aarch64", "kind": "update",
          "sha256": hashlib.sha256(image).hexdigest()}
body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items())
body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="gw-100-2.0.0.img"\r\n'
         f"Content-Type: application/octet-stream\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
package = call(conn, "POST", "/api/v1/packages", body, f"multipart/form-data; boundary={boundary}")["id"]

cpu_before, sim_before = cpu_seconds(server_pid), cpu_seconds(sim_pid)
started = time.monotonic()
rollout = call(conn, "POST", "/api/v1/rollouts", {
    "name": f"bench {count}", "packageId": package, "target": {"model": "GW-100"}, "start": True,
    "strategy": {"maxConcurrent": concurrency, "powerAware": False, "successGatePercent": 0, "errorThresholdPercent": None,
                 "retry": {"maxAttempts": 1}},
})
created = time.monotonic() - started
rid = rollout["id"]
samples = []
while True:
    r = call(conn, "GET", f"/api/v1/rollouts/{rid}")
    states = r["progress"]["byState"]
    samples.append((time.monotonic() - started, states["active"], states["succeeded"]))
    if r["status"] != "running" or time.monotonic() - started > 7200:
        break
    time.sleep(2)
wall = time.monotonic() - started
cpu = cpu_seconds(server_pid) - cpu_before
sim_cpu = cpu_seconds(sim_pid) - sim_before
if r["status"] != "completed":
    sys.exit(f"rollout ended {r['status']}: {r['statusReason']}")
truth = call(connect(sim), "GET", "/control/v1/devices", authorised=False)
wrong = [d["id"] for d in truth if d["flashCount"] != 1 or d["runningVersion"] != "2.0.0"]
if wrong:
    sys.exit(f"{len(wrong)} devices not flashed exactly once to 2.0.0, e.g. {wrong[:5]}")
# Where a device's time goes: the gaps between its job's timeline entries, over a sample of jobs.
import datetime
import re
import statistics


def at(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


members = call(conn, "GET", f"/api/v1/rollouts/{rid}/devices?pageSize=500")["items"]
gaps = {}
for member in members[:: max(1, len(members) // 50)]:
    job = call(conn, "GET", f"/api/v1/jobs/{member['jobId']}")
    entries = sorted(job["timeline"], key=lambda e: e["at"])
    for before, after in zip(entries, entries[1:]):
        label = re.sub(r"\d+", "#", after["message"].split(":")[0])[:60]
        gaps.setdefault(label, []).append((at(after["at"]) - at(before["at"])).total_seconds())
    gaps.setdefault("job total (created -> ended)", []).append((at(job["updatedAt"]) - at(job["createdAt"])).total_seconds())
active = [a for _, a, _ in samples[1:-1]] or [0]
step = (write + boot) / scale
poll = int(active_poll.split(":")[2]) / scale
lower = math.ceil(count / concurrency) * step
print(f"== {count} gateways flashed, all succeeded, each flashed once and running 2.0.0 (simulator's truth)")
print(f"rollout created (devices matched and planned) in {created:.1f} s; mean devices flashing at once while it ran: {sum(active) / len(active):.0f} of {concurrency}")
print(f"RESULT: {count} devices: wall {wall:.1f} s; server CPU {cpu:.1f} s = {1000 * cpu / count:.1f} ms per device; simulator CPU {sim_cpu:.1f} s")
print("where a device's time goes (median and mean seconds before each timeline entry, sampled jobs):")
for label, values in sorted(gaps.items(), key=lambda kv: -statistics.mean(kv[1])):
    print(f"  {statistics.median(values):7.2f} {statistics.mean(values):7.2f}  {label}  (n={len(values)})")
print(f"lower bound: ceil({count}/{concurrency}) rounds x (write {write / scale:.1f} s + boot {boot / scale:.1f} s) = {lower:.1f} s "
      f"(+ up to {poll:.1f} s of active poll wait per round); ratio wall/lower = {wall / lower:.2f}")
