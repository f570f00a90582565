#!/usr/bin/env bash
# DDI poll throughput: Nova (Release, SQLite, 10,000 devices with target tokens) beside a bare
# ASP.NET Core endpoint of the same route and reply shape, both measured with wrk in one run.
#
#   bench/ddi-poll/run.sh                     # 10,000 devices, wrk -t2 -c64 -d20s
#   DEVICES=2000 DURATION=10s bench/ddi-poll/run.sh
#   Nova__Ddi__ActionCacheTime=00:01:00 bench/ddi-poll/run.sh   # any Nova__ setting passes through
#   PROFILE=/tmp/poll ORDER=on bench/ddi-poll/run.sh   # also CPU samples (dotnet-trace, installed with
#                                             # `dotnet tool install -g dotnet-trace`): /tmp/poll-nova-*.txt
#
# Nova is measured twice, with its metrics on (the default) and off, on the same database.
# Prints requests/s, p50 and p99 for all three, the ratio, the server's peak RSS (VmHWM, reset after
# seeding so it covers the poll run), its CPU time per poll, and what it wrote to disk during the
# run (kernel write_bytes, WAL file size, last-seen rows) to show polls do not write per request.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH="bench/ddi-poll"

DEVICES="${DEVICES:-10000}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-5s}"
PASSWORD="bench-admin-password"
WORK="$(mktemp -d -t nova-ddi-bench-XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PID=""
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_up() { for _ in $(seq 1 150); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; echo "server did not start"; cat "$WORK"/*.log; exit 1; }
stat_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
io_write() { awk '$1 == "write_bytes:" {print $2}' "/proc/$1/io"; }
file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# Resets VmHWM to the current RSS (Linux >= 4.0); if not allowed, VmHWM is the process's lifetime peak.
reset_peak() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null && echo "reset" || echo "lifetime"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2"; }

warm_up() { # name url — JIT, connection pools and the token cache; not measured
  echo "== $1: warm-up ($WARMUP)"
  POLL_PAIRS="$WORK/pairs.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$BENCH/poll.lua" "$2" >"$WORK/$1-warmup.txt"
}
run_wrk() { # name url
  echo "== $1: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s poll.lua (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  POLL_PAIRS="$WORK/pairs.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$BENCH/poll.lua" "$2" | tee "$WORK/$1.txt"
}

echo "== building (Release)"
dotnet build src/Nova.Firmware.Server -c Release -o "$WORK/server" -v quiet -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet build "$BENCH/Bare" -c Release -o "$WORK/bare" -v quiet -nologo >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

# --- Nova ---------------------------------------------------------------------------------------
# Two runs on the same seeded database: with the product's metrics on (the default: OpenTelemetry
# listening, Prometheus endpoint mapped) and off (Nova__Telemetry__Metrics__Enabled=false).
PORT=""
DB="$WORK/data/nova-firmware.db"
start_nova() { # extra env assignments...
  PORT="$(free_port)"
  env ASPNETCORE_ENVIRONMENT=Production Nova__DataDirectory="$WORK/data" Nova__AdminPassword="$PASSWORD" \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft__AspNetCore=Warning "$@" \
    dotnet "$WORK/server/Nova.Firmware.Server.dll" --urls "http://127.0.0.1:$PORT" >>"$WORK/nova.log" 2>&1 &
  PID=$!
  wait_up "http://127.0.0.1:$PORT/healthz"
}
stop_nova() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

echo "== starting Nova (SQLite, Production, logging at Warning)"
start_nova
echo "== seeding $DEVICES devices with DDI target tokens through the API"
python3 "$BENCH/seed.py" "http://127.0.0.1:$PORT" "$PASSWORD" "$DEVICES" "$WORK/pairs.txt"
read -r FIRST_ID FIRST_TOKEN <"$WORK/pairs.txt"
STATUS=$(curl -s -o "$WORK/poll.json" -w '%{http_code}' -H "Authorization: TargetToken $FIRST_TOKEN" "http://127.0.0.1:$PORT/DEFAULT/controller/v1/$FIRST_ID")
[ "$STATUS" = 200 ] || { echo "a seeded device cannot poll: HTTP $STATUS"; cat "$WORK/poll.json"; exit 1; }
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: TargetToken wrong-token-0123456789" "http://127.0.0.1:$PORT/DEFAULT/controller/v1/$FIRST_ID")
[ "$STATUS" = 401 ] || { echo "a wrong token was not refused: HTTP $STATUS"; exit 1; }
echo "   poll reply: $(cat "$WORK/poll.json")"
sleep 3 # let the seeding's last-seen flush and checkpoints settle

measure_nova() { # name — measures the running server; sets <name>_CPU, _IO, _WAL0, _WAL1, _HWM, _RSS, _RSS0, _PEAK
  local name="$1"
  local rss0 wal_before peak cpu0 io0 wal0 cpu1 io1 wal1
  rss0=$(stat_kb "$PID" VmRSS); wal_before=$(file_size "$DB-wal")
  warm_up "$name" "http://127.0.0.1:$PORT"
  peak=$(reset_peak "$PID")
  cpu0=$(cpu_ticks "$PID"); io0=$(io_write "$PID"); wal0=$(file_size "$DB-wal")
  local tracer=""
  if [ -n "${PROFILE:-}" ]; then # CPU samples of the server during the measured run (dotnet-trace)
    dotnet-trace collect -p "$PID" --profile dotnet-sampled-thread-time --duration "00:00:${PROFILE_SECONDS:-15}" -o "$WORK/$name.nettrace" >"$WORK/$name-trace.log" 2>&1 &
    tracer=$!
  fi
  run_wrk "$name" "http://127.0.0.1:$PORT"
  if [ -n "$tracer" ]; then
    wait "$tracer" || true
    dotnet-trace report "$WORK/$name.nettrace" topN -n "${PROFILE_TOP:-40}" --inclusive >"$PROFILE-$name-inclusive.txt" 2>&1 || true
    dotnet-trace report "$WORK/$name.nettrace" topN -n "${PROFILE_TOP:-40}" >"$PROFILE-$name-exclusive.txt" 2>&1 || true
    echo "   profile: $PROFILE-$name-inclusive.txt, $PROFILE-$name-exclusive.txt"
  fi
  cpu1=$(cpu_ticks "$PID"); io1=$(io_write "$PID"); wal1=$(file_size "$DB-wal")
  printf -v "${name}_CPU" '%s' "$((cpu1 - cpu0))"; printf -v "${name}_IO" '%s' "$((io1 - io0))"
  printf -v "${name}_WAL0" '%s' "$wal0"; printf -v "${name}_WAL1" '%s' "$wal1"; printf -v "${name}_WALB" '%s' "$wal_before"
  printf -v "${name}_HWM" '%s' "$(stat_kb "$PID" VmHWM)"; printf -v "${name}_RSS" '%s' "$(stat_kb "$PID" VmRSS)"
  printf -v "${name}_RSS0" '%s' "$rss0"; printf -v "${name}_PEAK" '%s' "$peak"
  local requests; requests=$(field requests "$WORK/$name.txt")
  printf '%-10s %10s %10s %10s %10s\n' "$name" "$(field rps "$WORK/$name.txt")" "$(ms "$(field p50_us "$WORK/$name.txt")")" \
    "$(ms "$(field p99_us "$WORK/$name.txt")")" "$(echo "($cpu1 - $cpu0) * 1000000 / $(getconf CLK_TCK) / $requests" | bc)" >>"$WORK/runs.txt"
}
ms() { echo "scale=2; $1 / 1000" | bc -l; }

stop_nova

# Each measured run is a fresh process on the seeded database, so neither inherits the other's warm
# caches; ORDER="off on" swaps them to check that the order does not decide the result, ORDER="off on
# off on" repeats them, "product" adds a run with only the product's meters (no ASP.NET Core ones).
for mode in ${ORDER:-on off}; do
  if [ "$mode" = on ]; then
    echo "== starting Nova with metrics on (the default)"
    start_nova
    measure_nova nova
    METRIC_SERIES=$(curl -s "http://127.0.0.1:$PORT/metrics" | grep -c '^nova_ddi_poll_duration_seconds_count' || true)
    POLLS_COUNTED=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^nova_ddi_poll_duration_seconds_count/ {s += $NF} END {print s + 0}')
    sleep 3 # one more flush interval, then count the devices whose last-seen time reached the database
    SEEN=$(sqlite3 "file:$DB?mode=ro" "SELECT COUNT(*) FROM devices WHERE Health_LastSeenAt IS NOT NULL;")
    TOKEN_ROWS=$(sqlite3 "file:$DB?mode=ro" "SELECT COUNT(*) FROM device_tokens;")
  elif [ "$mode" = product ]; then
    echo "== starting Nova with the product's metrics only (Nova__Telemetry__Metrics__AspNetCore=false)"
    start_nova Nova__Telemetry__Metrics__AspNetCore=false
    measure_nova product
  else
    echo "== starting Nova with metrics off (Nova__Telemetry__Metrics__Enabled=false)"
    start_nova Nova__Telemetry__Metrics__Enabled=false
    STATUS=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")
    [ "$STATUS" = 404 ] || { echo "metrics off, yet /metrics answered HTTP $STATUS"; exit 1; }
    measure_nova nometrics
  fi
  stop_nova
done
grep -E "warn|fail|crit" "$WORK/nova.log" | grep -v XmlKeyManager | head -5 || true

# --- bare ASP.NET Core --------------------------------------------------------------------------
PORT="$(free_port)"
echo "== starting the bare ASP.NET Core endpoint on 127.0.0.1:$PORT"
ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  dotnet "$WORK/bare/Bare.dll" --urls "http://127.0.0.1:$PORT" >"$WORK/bare.log" 2>&1 &
PID=$!
for _ in $(seq 1 150); do curl -fs -o /dev/null -H "Authorization: x" "http://127.0.0.1:$PORT/DEFAULT/controller/v1/x" && break; sleep 0.2; done
curl -fs -H "Authorization: x" "http://127.0.0.1:$PORT/DEFAULT/controller/v1/x" >/dev/null || { echo "bare endpoint did not start"; cat "$WORK/bare.log"; exit 1; }
warm_up bare "http://127.0.0.1:$PORT"
reset_peak "$PID" >/dev/null
BCPU0=$(cpu_ticks "$PID")
run_wrk bare "http://127.0.0.1:$PORT"
BCPU1=$(cpu_ticks "$PID")
BARE_HWM=$(stat_kb "$PID" VmHWM)
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""

# --- summary ------------------------------------------------------------------------------------
N="$WORK/nova.txt"; M="$WORK/nometrics.txt"; B="$WORK/bare.txt"
TICK=$(getconf CLK_TCK)
NR=$(field rps "$N"); MR=$(field rps "$M"); BR=$(field rps "$B")
NREQ=$(field requests "$N"); MREQ=$(field requests "$M"); BREQ=$(field requests "$B")
printf '\n%-34s %14s %14s %14s\n' "" "Nova" "Nova, no metrics" "bare ASP.NET"
printf '%-34s %14.0f %14.0f %14.0f\n' "requests/s" "$NR" "$MR" "$BR"
printf '%-34s %14s %14s %14s\n' "p50 latency (ms)" "$(ms "$(field p50_us "$N")")" "$(ms "$(field p50_us "$M")")" "$(ms "$(field p50_us "$B")")"
printf '%-34s %14s %14s %14s\n' "p99 latency (ms)" "$(ms "$(field p99_us "$N")")" "$(ms "$(field p99_us "$M")")" "$(ms "$(field p99_us "$B")")"
printf '%-34s %14s %14s %14s\n' "non-2xx / socket errors" "$(field non2xx "$N") / $(field socket_errors "$N")" "$(field non2xx "$M") / $(field socket_errors "$M")" "$(field non2xx "$B") / $(field socket_errors "$B")"
printf '%-34s %14s %14s %14s\n' "server CPU per request (us)" \
  "$(echo "$nova_CPU * 1000000 / $TICK / $NREQ" | bc)" "$(echo "$nometrics_CPU * 1000000 / $TICK / $MREQ" | bc)" "$(echo "($BCPU1 - $BCPU0) * 1000000 / $TICK / $BREQ" | bc)"
printf '%-34s %14s %14s %14s\n' "peak RSS during the run (VmHWM)" "$((nova_HWM / 1024)) MiB" "$((nometrics_HWM / 1024)) MiB" "$((BARE_HWM / 1024)) MiB"
printf "\nNova / bare requests/s: %.2f (metrics on), %.2f (metrics off); metrics on / off: %.3f\n" \
  "$(echo "$NR / $BR" | bc -l)" "$(echo "$MR / $BR" | bc -l)" "$(echo "$NR / $MR" | bc -l)"
printf '\nevery measured Nova run, in order (the columns above show the last run of each mode):\n%-10s %10s %10s %10s %10s\n' mode requests/s "p50 ms" "p99 ms" "CPU us/req"
cat "$WORK/runs.txt"
printf 'polls counted by nova_ddi_poll_duration_seconds_count (warm-up + run, metrics on): %d in %d series\n' "$POLLS_COUNTED" "$METRIC_SERIES"
printf 'Nova RSS after seeding %d MiB, after the run %d MiB (peak %s)\n' "$((nova_RSS0 / 1024))" "$((nova_RSS / 1024))" "$nova_PEAK"
printf 'Nova disk writes during the measured run: %d KiB for %d polls (%.1f bytes/poll); WAL %d -> %d KiB (before warm-up %d KiB)\n' \
  "$((nova_IO / 1024))" "$NREQ" "$(echo "$nova_IO / $NREQ" | bc -l)" "$((nova_WAL0 / 1024))" "$((nova_WAL1 / 1024))" "$((nova_WALB / 1024))"
printf 'devices with a last-seen time in the database: %d of %d (token rows: %d)\n' "$SEEN" "$DEVICES" "$TOKEN_ROWS"
