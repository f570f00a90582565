#!/usr/bin/env bash
# Starts N simulated devices in one process and reports: time until the fleet is powered on (the
# simulator's own log line), time until every device has booted to normal (polled through the
# control API), and peak memory (VmHWM, the kernel's peak resident set size of the process).
# Usage: bench/simulator-start.sh [N] [extra simulator flags...]
set -uo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"; shift || true
port="${PORT:-5399}"
out="$(mktemp -d)"
dotnet build -c Release src/Nova.Firmware.Simulator -v q -nologo >/dev/null || exit 1
exe="src/Nova.Firmware.Simulator/bin/Release/net10.0/Nova.Firmware.Simulator"
start_ns=$(date +%s%N)
"$exe" --devices "$n" --time-scale 30 --urls "http://127.0.0.1:$port" \
  --Logging:LogLevel:Microsoft.AspNetCore=Warning "$@" >"$out/stdout" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/control/v1/devices?mode=normal" -o "$out/normal.json" \
      && [ "$(grep -o '"id"' "$out/normal.json" | wc -l)" -ge "$n" ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$out/stdout"; exit 1; }
  sleep 0.2
done
end_ns=$(date +%s%N)
grep -o 'Started .*' "$out/stdout"
echo "all $n devices normal after $(( (end_ns - start_ns) / 1000000 )) ms (process start included; boot = 30 s simulated at scale 30)"
sleep "${SETTLE:-10}"   # steady state: agents polling (or idle with --poll off)
grep -E "VmHWM|VmRSS|Threads" "/proc/$pid/status"
# TERM, not INT: a background job of a non-interactive shell ignores SIGINT.
kill -TERM "$pid"; wait "$pid" 2>/dev/null
rm -rf "$out"
