#!/usr/bin/env bash
# Wall time and server CPU of one rollout over N simulated DDI gateways (default 10,000): the Nova
# server (Release, SQLite, its defaults but for the poll intervals) and the simulator (Release) as
# two processes with their normal command lines, on 127.0.0.1. The devices are enrolled through the
# management API (one CSV import, then each device's DDI token), one image is imported, and one
# rollout is created and started; the script waits for it to complete and checks the simulator's
# truth (every device runs 2.0.0, flashed once). It prints the wall time, the server's CPU time per
# device (from /proc/<pid>/stat), and the lower bound set by the rollout's concurrency and the
# simulator's timings.
#
#   bench/rollout/run.sh                      # 10,000 gateways, 500 at once
#   DEVICES=1000 CONCURRENCY=200 bench/rollout/run.sh
#   SMOKE=1 bench/rollout/run.sh              # 50 gateways: checks the bench still works, not the speed
#
# Needs dotnet, curl, python3. The equivalent timing by hand: /usr/bin/time -v on both processes.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
BENCH="bench/rollout"
DEVICES="${DEVICES:-10000}"
CONCURRENCY="${CONCURRENCY:-500}"
if [ "${SMOKE:-0}" = "1" ]; then DEVICES=50; CONCURRENCY=25; fi
TIME_SCALE="${TIME_SCALE:-10}"    # simulated seconds per real second
WRITE_SECONDS=20                  # simulated: 2 s real
BOOT_SECONDS=20                   # simulated: 2 s real
POLL_SLEEP="00:05:00"             # simulated: 30 s real between idle polls (about DEVICES/30 polls a second)
ACTIVE_POLL_SLEEP="00:00:10"      # simulated: 1 s real while a device has an action
PASSWORD="bench-admin-password-$RANDOM"
WORK="$(mktemp -d -t nova-rollout-bench-XXXXXX)"
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
echo "== starting Nova on 127.0.0.1:$SERVER_PORT (SQLite, Production, logging at Warning)"
ASPNETCORE_ENVIRONMENT=Production Nova__DataDirectory="$WORK/data" Nova__AdminPassword="$PASSWORD" \
  Logging__LogLevel__Default=Warning Nova__Ddi__PollSleep="$POLL_SLEEP" Nova__Ddi__ActivePollSleep="$ACTIVE_POLL_SLEEP" \
  dotnet "$WORK/server/Nova.Firmware.Server.dll" --urls "http://127.0.0.1:$SERVER_PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!; PIDS+=($SERVER_PID)
wait_up "http://127.0.0.1:$SERVER_PORT/healthz" "the server"

# Each gateway sends the simulator's default token, <id>-sim-target-token, as enrolled above.
cat >"$WORK/fleet.yaml" <<YAML
timeScale: $TIME_SCALE
ddi:
  serverUrl: http://127.0.0.1:$SERVER_PORT/
  retryWaitSeconds: 10
groups:
  - count: $DEVICES
    idPrefix: bench-gateway-
    template:
      kind: gateway
      vendor: Acme
      model: GW-100
      hwRevision: "1.0"
      soc: aarch64
      firmwareVersion: 1.0.0
      layout: ab
      flashWriteSeconds: $WRITE_SECONDS
      bootSeconds: $BOOT_SECONDS
      pollJitterSeconds: 300
YAML
python3 "$BENCH/rollout.py" enrol "http://127.0.0.1:$SERVER_PORT" "$PASSWORD" "$DEVICES"
echo "== starting the simulator on 127.0.0.1:$SIM_PORT ($DEVICES gateways)"
"$WORK/simulator/Nova.Firmware.Simulator" --fleet "$WORK/fleet.yaml" --urls "http://127.0.0.1:$SIM_PORT" \
  --Simulator:DiscoveryPort=-1 --Logging:LogLevel:Default=Warning >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!; PIDS+=($SIM_PID)
wait_up "http://127.0.0.1:$SIM_PORT/control/v1/devices?mode=normal" "the simulator"

LOAD="$(cut -d" " -f1-3 /proc/loadavg)"
python3 "$BENCH/rollout.py" run "http://127.0.0.1:$SERVER_PORT" "$PASSWORD" "$DEVICES" "http://127.0.0.1:$SIM_PORT" "$SERVER_PID" "$SIM_PID" \
  "$CONCURRENCY" "$TIME_SCALE" "$WRITE_SECONDS" "$BOOT_SECONDS" "$ACTIVE_POLL_SLEEP"
echo "machine: $(nproc) cores, load before the run $LOAD"
