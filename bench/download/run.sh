#!/usr/bin/env bash
# Package download throughput: Nova's DDI artifact route (Release, SQLite, a 64 MiB package, one
# device with an open job) beside Debian's nginx serving the same file (sendfile on, as Debian ships
# it), the same nginx with sendfile off (nginx-copy: read() into a 256 KiB buffer and write(), the
# cost of any server that copies the file through user space, as Kestrel does) and a bare ASP.NET
# Core app serving it with Results.File, all four in one run, wrk alternating.
#
#   bench/download/run.sh                            # 64 MiB, wrk -t2 -c100 -d15s, 3 rounds
#   SIZE_MB=16 ROUNDS=5 CONNECTIONS=10 bench/download/run.sh
#   SMOKE=1 bench/download/run.sh                    # 1 MiB, checks the bytes each server sends, no timing
#   PROFILE=dl-profile bench/download/run.sh         # also `perf record -g` of Nova in the first round: dl-profile-nova.perf
#
# Per server and run: throughput (wrk's bytes read / duration), server CPU seconds per GiB served
# (utime+stime from /proc/PID/stat, all nginx processes summed), RSS before the warm-up and its peak
# during warm-up and run (VmHWM, reset through /proc/PID/clear_refs). Then the medians and Nova's ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
BENCH="bench/download"

SMOKE="${SMOKE:-}"
SIZE_MB="${SIZE_MB:-64}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-100}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-3s}"
if [ -n "$SMOKE" ]; then SIZE_MB=1; ROUNDS=1; CONNECTIONS=4; DURATION=2s; WARMUP=1s; fi
PASSWORD="bench-admin-password"
WORK="$(mktemp -d -t nova-download-bench-XXXXXX)"
NOVA_PID="" NGINX_PID="" BARE_PID=""
cleanup() {
  for pid in $NOVA_PID $NGINX_PID $BARE_PID; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install -y nginx)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }
# The processes that serve: nginx's master and its workers; the .NET servers are one process each.
pids_of() { if [ "$1" = "$NGINX_PID" ]; then echo "$1 $(pgrep -P "$1" | tr '\n' ' ')"; else echo "$1"; fi; }
cpu_ticks() { local t=0 p; for p in $(pids_of "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
kb_sum() { local t=0 p; for p in $(pids_of "$1"); do t=$((t + $(awk -v k="$2:" '$1 == k {print $2}' "/proc/$p/status"))); done; echo "$t"; }
# Resets VmHWM to the current RSS (Linux >= 4.0), so the peak covers the measured run only.
reset_peak() { local p; for p in $(pids_of "$1"); do echo 5 >"/proc/$p/clear_refs"; done; }

echo "== building (Release)"
# bench/run.sh builds the server once for every bench and passes it in NOVA_SERVER_BUILD.
SERVER_DIR="${NOVA_SERVER_BUILD:-$WORK/server}"
[ -n "${NOVA_SERVER_BUILD:-}" ] || dotnet build src/Nova.Firmware.Server -c Release -o "$SERVER_DIR" -v quiet -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet build "$BENCH/Bare" -c Release -o "$WORK/bare" -v quiet -nologo >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

NOVA_PORT=$(free_port)
echo "== starting Nova on 127.0.0.1:$NOVA_PORT"
# PROFILE: the JIT writes a perf map (perf-PID.map in the temporary directory) so perf can name .NET
# frames; without W^X, or perf sees only the double-mapped code region and no names.
DOTNET_PerfMapEnabled="${PROFILE:+1}" DOTNET_EnableWriteXorExecute="${PROFILE:+0}" Nova__DataDirectory="$WORK/data" Nova__AdminPassword="$PASSWORD" ASPNETCORE_URLS="http://127.0.0.1:$NOVA_PORT" \
  Logging__LogLevel__Default=Warning dotnet "$SERVER_DIR/Nova.Firmware.Server.dll" >"$WORK/nova.log" 2>&1 &
NOVA_PID=$!
wait_up "http://127.0.0.1:$NOVA_PORT/healthz" "Nova"

echo "== importing a random ${SIZE_MB} MiB package and starting a job for one DDI device"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$WORK/firmware.bin"
SHA256=$(sha256sum "$WORK/firmware.bin" | cut -d' ' -f1)
read -r ARTIFACT TOKEN < <(python3 "$BENCH/seed.py" "http://127.0.0.1:$NOVA_PORT" "$PASSWORD" "$WORK/firmware.bin")
BLOB="$WORK/data/blobs/sha256/${SHA256:0:2}/$SHA256"
[ -f "$BLOB" ] || { echo "the imported blob is not at $BLOB"; exit 1; }

# nginx and the bare app serve Nova's own blob file (a hard link: the same pages in the page cache).
mkdir -p "$WORK/www${ARTIFACT%/*}" "$WORK/nginx"
ln "$BLOB" "$WORK/www$ARTIFACT"
NGINX_PORT=$(free_port)
NGINX_COPY_PORT=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<CONF
# Debian's nginx.conf defaults for serving files, on loopback, without access log.
user root;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 768; }
http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
    }
    # The same files through user space: the floor for a server without sendfile.
    server {
        listen 127.0.0.1:$NGINX_COPY_PORT;
        root $WORK/www;
        sendfile off;
        output_buffers 1 256k;
    }
}
CONF
echo "== starting nginx ($(nginx -v 2>&1 | cut -d/ -f2)) on 127.0.0.1:$NGINX_PORT"
nginx -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >"$WORK/nginx.log" 2>&1 &
NGINX_PID=$!
BARE_PORT=$(free_port)
echo "== starting the bare ASP.NET Core app on 127.0.0.1:$BARE_PORT"
BARE_FILE="$WORK/www$ARTIFACT" Logging__LogLevel__Default=Warning dotnet "$WORK/bare/Bare.dll" --urls "http://127.0.0.1:$BARE_PORT" >"$WORK/bare.log" 2>&1 &
BARE_PID=$!
wait_up "http://127.0.0.1:$NGINX_PORT$ARTIFACT" "nginx"
wait_up "http://127.0.0.1:$BARE_PORT/" "the bare app" any

AUTH="Authorization: TargetToken $TOKEN"
url_of() { case "$1" in nova) echo "http://127.0.0.1:$NOVA_PORT$ARTIFACT" ;; nginx) echo "http://127.0.0.1:$NGINX_PORT$ARTIFACT" ;; nginx-copy) echo "http://127.0.0.1:$NGINX_COPY_PORT$ARTIFACT" ;; bare) echo "http://127.0.0.1:$BARE_PORT$ARTIFACT" ;; esac; }
pid_of() { case "$1" in nova) echo "$NOVA_PID" ;; nginx|nginx-copy) echo "$NGINX_PID" ;; bare) echo "$BARE_PID" ;; esac; }

# The bytes each server sends: the whole file, a range from the middle, and HEAD's size.
failed=0
want_part=$(dd if="$WORK/firmware.bin" iflag=skip_bytes,count_bytes skip=1000 count=5000 status=none | sha256sum | cut -d' ' -f1)
for name in nova nginx nginx-copy bare; do
  got=$(curl -fs -H "$AUTH" "$(url_of $name)" | sha256sum | cut -d' ' -f1) || got="(curl failed)"
  got_part=$(curl -fs -H "$AUTH" -H 'Range: bytes=1000-5999' "$(url_of $name)" | sha256sum | cut -d' ' -f1) || got_part="(curl failed)"
  length=$(curl -fsI -H "$AUTH" "$(url_of $name)" | tr -d '\r' | awk 'tolower($1) == "content-length:" {print $2}') || length="(curl failed)"
  if [ "$got" = "$SHA256" ] && [ "$got_part" = "$want_part" ] && [ "$length" = "$(stat -c %s "$WORK/firmware.bin")" ]; then
    echo "   $name: whole file, range 1000-5999 and HEAD size correct"
  else
    echo "   $name: WRONG (sha256 $got, range sha256 $got_part vs $want_part, HEAD length $length)"; failed=1
  fi
done
[ "$failed" = 0 ] || exit 1

measure() { # name round — one wrk run against one server; appends a line to runs.txt
  local name="$1" round="$2" pid url cpu0 cpu1 rss0 hwm tracer=""
  pid=$(pid_of "$name"); url=$(url_of "$name")
  # The peak covers the warm-up too: what serving this many clients adds to the idle server.
  reset_peak "$pid"
  rss0=$(kb_sum "$pid" VmRSS)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout 60s -H "$AUTH" "$url" >/dev/null
  cpu0=$(cpu_ticks "$pid")
  if [ -n "${PROFILE:-}" ] && [ "$name" = nova ] && [ "$round" = 1 ]; then
    perf record -g -F 499 -p "$pid" -o "$PROFILE-nova.perf" -- sleep "${DURATION%s}" >"$WORK/perf.log" 2>&1 &
    tracer=$!
  fi
  echo "== round $round, $name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  # A 64 MiB response to each of 100 clients takes seconds: the timeout is wrk's, not a failure.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 60s -s "$BENCH/report.lua" -H "$AUTH" "$url" >"$WORK/$name-$round.txt"
  cpu1=$(cpu_ticks "$pid"); hwm=$(kb_sum "$pid" VmHWM)
  if [ -n "$tracer" ]; then wait "$tracer" || true; echo "   profile: $PROFILE-nova.perf (perf report -i ...)"; fi
  grep -q '^RESULT' "$WORK/$name-$round.txt" || { cat "$WORK/$name-$round.txt"; exit 1; }
  local bytes duration_us requests errors status_errors
  eval "$(sed -n 's/^RESULT //p' "$WORK/$name-$round.txt")"
  [ "$status_errors" = 0 ] || { echo "$name answered $status_errors non-2xx responses"; exit 1; }
  python3 - "$name" "$bytes" "$duration_us" "$requests" "$errors" "$((cpu1 - cpu0))" "$(getconf CLK_TCK)" "$rss0" "$hwm" <<'PY' | tee -a "$WORK/runs.txt"
import sys
name, b, us, req, err, ticks, hz, rss0, hwm = sys.argv[1], *map(int, sys.argv[2:])
gib = b / 2**30
print(f"{name:10} {b / us * 1e6 / 1e9:8.3f} GB/s {ticks / hz / gib:8.3f} s CPU/GiB  RSS {rss0 / 1024:6.0f} MiB  peak {hwm / 1024:6.0f} MiB (+{(hwm - rss0) / 1024:.0f})  {req} responses, {err} socket errors")
PY
}

if [ -n "$SMOKE" ]; then
  for name in nova nginx nginx-copy bare; do measure "$name" 1; done
  echo "smoke: all servers sent the exact bytes"
  exit 0
fi

for round in $(seq 1 "$ROUNDS"); do
  for name in nova nginx nginx-copy bare; do measure "$name" "$round"; done
done

echo
echo "== medians of $ROUNDS rounds (${SIZE_MB} MiB file, wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
python3 - "$WORK/runs.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    rows.setdefault(f[0], []).append((float(f[1]), float(f[3]), float(f[7]), float(f[10])))
med = {n: [statistics.median(r[i] for r in v) for i in range(4)] for n, v in rows.items()}
for n, (gbs, cpu, rss, peak) in med.items():
    print(f"{n:10} {gbs:8.3f} GB/s {cpu:8.3f} s CPU/GiB  RSS {rss:6.0f} MiB  peak {peak:6.0f} MiB (+{peak - rss:.0f})")
for other in ("nginx", "nginx-copy", "bare"):
    print(f"nova / {other}: throughput {med['nova'][0] / med[other][0]:.2f}x, CPU per GiB {med['nova'][1] / med[other][1]:.2f}x")
PY
