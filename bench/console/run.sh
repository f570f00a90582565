#!/usr/bin/env bash
# Web console render times with 10,000 devices: starts the server (Release, SQLite, fresh data
# directory), imports DEVICES gateways through the CSV import and one package, then loads each page
# in Debian's Chromium (render.js, with playwright-core from npm) and prints median, min and max.
#
#   bench/console/run.sh                 # 10,000 devices, 5 loads per page
#   DEVICES=100000 RUNS=3 bench/console/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh

DEVICES="${DEVICES:-10000}"
RUNS="${RUNS:-5}"
PASSWORD="bench-admin-password"
WORK="$(mktemp -d -t nova-console-bench-XXXXXX)"
PORT="$(free_port)"
PID=""
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building (Release)"
dotnet build src/Nova.Firmware.Server -c Release -o "$WORK/server" -v quiet -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
echo "== playwright-core from npm (drives /usr/bin/chromium; no browser download)"
(cd "$WORK" && npm init -y >/dev/null && npm install --silent playwright-core@1 >/dev/null)

echo "== starting the server on 127.0.0.1:$PORT"
ASPNETCORE_ENVIRONMENT=Production Nova__DataDirectory="$WORK/data" Nova__AdminPassword="$PASSWORD" \
  Logging__LogLevel__Default=Warning dotnet "$WORK/server/Nova.Firmware.Server.dll" --urls "http://127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
PID=$!
wait_up "http://127.0.0.1:$PORT/healthz"

echo "== importing $DEVICES devices (CSV) and one package"
python3 - "$DEVICES" >"$WORK/devices.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,site,activeVersion")
for i in range(n):
    print(f"gw-{i:05d},Acme,GW-{100 + i % 3 * 100},{'1.0' if i % 2 else '2.0'},aarch64,SN-{i:05d},gateway,ddi,site-{i % 20:02d},1.{i % 4}.0")
PY
curl -fs -u "admin:$PASSWORD" -H "Content-Type: text/csv" --data-binary @"$WORK/devices.csv" "http://127.0.0.1:$PORT/api/v1/devices/import" >/dev/null
head -c 1048576 /dev/urandom >"$WORK/fw.bin"
curl -fs -u "admin:$PASSWORD" -F vendor=Acme -F version=2.0.0 -F models=GW-100 -F hardwareRevisions=1.0 -F soc=aarch64 -F kind=update \
  -F sha256="$(sha256sum "$WORK/fw.bin" | cut -d' ' -f1)" -F file=@"$WORK/fw.bin" "http://127.0.0.1:$PORT/api/v1/packages" >/dev/null
echo "   $(curl -fs -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/api/v1/devices?pageSize=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])') devices registered"

echo "== render times (load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
NODE_PATH="$WORK/node_modules" node bench/console/render.js "http://127.0.0.1:$PORT" "$PASSWORD" "$RUNS"
