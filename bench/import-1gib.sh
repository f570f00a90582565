#!/usr/bin/env bash
# Package import benchmark: starts the server (Release build, SQLite, fresh data directory),
# creates a random file (1 GiB by default), measures `sha256sum` on it as a baseline for the
# hashing the server must do, then times `curl -F file=@...` against POST /api/v1/packages and
# reports wall time, MB/s and the server's resident memory before the import and its peak (VmHWM).
#
#   bench/import-1gib.sh            # 1 GiB
#   SIZE_MB=256 bench/import-1gib.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB="${SIZE_MB:-1024}"
PASSWORD="bench-admin-password"
WORK="$(mktemp -d -t nova-bench-XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building (Release)"
dotnet build src/Nova.Firmware.Server -c Release -o "$WORK/server" -v quiet -nologo >/dev/null

echo "== starting the server on 127.0.0.1:$PORT"
Nova__DataDirectory="$WORK/data" Nova__AdminPassword="$PASSWORD" ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
  Logging__LogLevel__Default=Warning dotnet "$WORK/server/Nova.Firmware.Server.dll" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -fs -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/api/v1/packages" >/dev/null   # warm up auth and EF

echo "== creating a ${SIZE_MB} MiB random file"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$WORK/firmware.bin"
BYTES=$(stat -c %s "$WORK/firmware.bin")

t0=$(date +%s.%N)
SHA256=$(sha256sum "$WORK/firmware.bin" | cut -d' ' -f1)
t1=$(date +%s.%N)
SHA_S=$(echo "$t1 - $t0" | bc -l)

RSS_BEFORE_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
HWM_BEFORE_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")

t0=$(date +%s.%N)
STATUS=$(curl -s -o "$WORK/response.json" -w '%{http_code}' -u "admin:$PASSWORD" \
  -F vendor=Axiom -F version=1.0.0 -F models=C200 -F hardwareRevisions=1.0 -F soc=CV25 -F kind=update \
  -F sha256="$SHA256" -F file=@"$WORK/firmware.bin" "http://127.0.0.1:$PORT/api/v1/packages")
t1=$(date +%s.%N)
IMPORT_S=$(echo "$t1 - $t0" | bc -l)
HWM_AFTER_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")

if [ "$STATUS" != "201" ]; then echo "import failed: HTTP $STATUS"; cat "$WORK/response.json"; exit 1; fi
grep -q "\"sha256\":\"$SHA256\"" "$WORK/response.json" || { echo "unexpected response"; cat "$WORK/response.json"; exit 1; }

mb() { echo "scale=1; $BYTES / 1048576 / $1" | bc -l; }
printf '\nfile size               %d bytes (%d MiB)\n' "$BYTES" "$SIZE_MB"
printf 'sha256sum               %.2f s  (%s MiB/s)\n' "$SHA_S" "$(mb "$SHA_S")"
printf 'import via curl -F      %.2f s  (%s MiB/s)  HTTP %s\n' "$IMPORT_S" "$(mb "$IMPORT_S")" "$STATUS"
printf 'server RSS before       %d MiB (peak so far %d MiB)\n' "$((RSS_BEFORE_KB / 1024))" "$((HWM_BEFORE_KB / 1024))"
printf 'server peak RSS after   %d MiB (VmHWM; +%d MiB over the RSS before the import)\n' "$((HWM_AFTER_KB / 1024))" "$(((HWM_AFTER_KB - RSS_BEFORE_KB) / 1024))"
