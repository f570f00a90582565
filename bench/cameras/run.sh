#!/usr/bin/env bash
# Time to flash 50 simulated ONVIF cameras at once: the Nova server (Release, SQLite) and the
# simulator (Release, bench/cameras/fleet.yaml) as two processes with their normal command lines,
# on 127.0.0.1. The cameras are enrolled through the management API (address + credentials), an
# 8 MiB image is imported, then one job per camera is created back to back. The figure is from the
# server's own job records: first job's createdAt to the last job's updatedAt once all succeeded.
#
#   bench/cameras/run.sh                       # 50 cameras, 8 MiB image, server defaults
#   IMAGE_MIB=32 bench/cameras/run.sh
#   Nova__Engine__MaxConcurrentSteps=64 bench/cameras/run.sh   # any Nova__ setting passes through
#
# Needs dotnet, curl, python3. Every camera's job must succeed and every camera must run the new
# version with exactly one flash (the simulator's control API), or the script fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
BENCH="bench/cameras"
CAMERAS=50                     # fixed by fleet.yaml
IMAGE_MIB="${IMAGE_MIB:-8}"
PASSWORD="bench-admin-password-$RANDOM"
WORK="$(mktemp -d -t nova-camera-bench-XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building server and simulator (Release)"
dotnet build src/Nova.Firmware.Server -c Release -o "$WORK/server" -v quiet -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet build src/Nova.Firmware.Simulator -c Release -o "$WORK/simulator" -v quiet -nologo >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

SERVER_PORT="$(free_port)"; SIM_PORT="$(free_port)"
echo "== starting the simulator on 127.0.0.1:$SIM_PORT ($CAMERAS cameras, $BENCH/fleet.yaml)"
"$WORK/simulator/Nova.Firmware.Simulator" --fleet "$BENCH/fleet.yaml" --urls "http://127.0.0.1:$SIM_PORT" \
  --Simulator:DiscoveryPort=-1 --Logging:LogLevel:Default=Warning --Logging:LogLevel:Nova.Firmware.Simulator=Information >"$WORK/simulator.log" 2>&1 &
PIDS+=($!)
echo "== starting Nova on 127.0.0.1:$SERVER_PORT (SQLite, Production, logging at Warning)"
ASPNETCORE_ENVIRONMENT=Production Nova__DataDirectory="$WORK/data" Nova__AdminPassword="$PASSWORD" \
  Logging__LogLevel__Default=Warning \
  dotnet "$WORK/server/Nova.Firmware.Server.dll" --urls "http://127.0.0.1:$SERVER_PORT" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$SERVER_PORT/healthz" "the server"
wait_up "http://127.0.0.1:$SIM_PORT/control/v1/devices" "the simulator"

LOAD="$(cut -d" " -f1-3 /proc/loadavg)"
python3 "$BENCH/flash.py" "http://127.0.0.1:$SERVER_PORT" "$PASSWORD" "http://127.0.0.1:$SIM_PORT" "$CAMERAS" "$IMAGE_MIB" "$WORK"
echo "machine: $(nproc) cores, load before the run $LOAD; server settings: defaults$(env | grep -o '^Nova__[^=]*=.*' | sed 's/^/, /' | tr -d '\n')"
