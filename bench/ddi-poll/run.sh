#!/usr/bin/env bash
# DDI poll throughput: Nova (Release build, DEVICES registered devices with their own target tokens)
# beside a bare ASP.NET Core endpoint of the same route and reply shape, measured with wrk in turn,
# RUNS times each; prints every run and the medians.
#
#   bench/ddi-poll/run.sh                                # SQLite, 10,000 devices, 3 runs of 20 s
#   DB=postgres bench/ddi-poll/run.sh                    # PostgreSQL (BENCH_POSTGRES, a role that may create databases)
#   DEVICES=100000 bench/ddi-poll/run.sh
#   SMOKE=1 bench/ddi-poll/run.sh                        # a few seconds: checks the bench works, not the speed
#   Nova__Ddi__ActionCacheTime=00:00:05 bench/ddi-poll/run.sh   # any Nova__ setting passes through
#   PROFILE=/tmp/poll bench/ddi-poll/run.sh              # also CPU samples of each Nova run (dotnet-trace)
#
# Per run: a fresh server process on the seeded database, WARMUP of polls (JIT tiering, the token
# cache, the poll snapshot), then `wrk -t2 -c64 -dDURATION --latency` over all devices in turn.
# Reported per process: requests/s, p50/p99 (wrk), CPU time per request (utime+stime from /proc
# over the measured run), RSS after the warm-up (every device's credentials cached) and the peak
# during the run (VmHWM, reset before it).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
BENCH="bench/ddi-poll"

if [ -n "${SMOKE:-}" ]; then
  DEVICES="${DEVICES:-200}"; RUNS="${RUNS:-1}"; DURATION="${DURATION:-2s}"; WARMUP="${WARMUP:-2s}"
fi
DB_KIND="${DB:-sqlite}"
DEVICES="${DEVICES:-10000}"
RUNS="${RUNS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-20s}"
PG_BASE="${BENCH_POSTGRES:-Host=127.0.0.1;Port=5432;Username=nova;Password=nova}"
PASSWORD="bench-admin-password"
WORK="$(mktemp -d -t nova-ddi-bench-XXXXXX)"
PGDB="nova_poll_bench_$$"
PID=""
pg_value() { echo "$PG_BASE" | tr ';' '\n' | sed -n "s/^$1=//Ip" | head -1; }
psql_bench() { PGPASSWORD="$(pg_value Password)" psql -h "$(pg_value Host)" -p "$(pg_value Port)" -U "$(pg_value Username)" -tAq "$@"; }
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
  if [ "$DB_KIND" = postgres ]; then psql_bench -d postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE);" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

stat_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2"; }
median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# bench/run.sh builds the server once for every bench and passes it in NOVA_SERVER_BUILD.
SERVER_DIR="${NOVA_SERVER_BUILD:-$WORK/server}"
echo "== building (Release)"
[ -n "${NOVA_SERVER_BUILD:-}" ] || dotnet build src/Nova.Firmware.Server -c Release -o "$SERVER_DIR" -v quiet -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet build "$BENCH/Bare" -c Release -o "$WORK/bare" -v quiet -nologo >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

DB_ENV=(Nova__DataDirectory="$WORK/data")
if [ "$DB_KIND" = postgres ]; then
  psql_bench -d postgres -c "CREATE DATABASE $PGDB;" >/dev/null
  DB_ENV+=(Nova__Database__Provider=postgres "Nova__Database__ConnectionString=$PG_BASE;Database=$PGDB")
fi
PORT=""
start_nova() {
  PORT="$(free_port)"
  env ASPNETCORE_ENVIRONMENT=Production "${DB_ENV[@]}" Nova__AdminPassword="$PASSWORD" \
    Logging__LogLevel__Default=Warning dotnet "$SERVER_DIR/Nova.Firmware.Server.dll" --urls "http://127.0.0.1:$PORT" >>"$WORK/nova.log" 2>&1 &
  PID=$!
  wait_up "http://127.0.0.1:$PORT/healthz"
}
start_bare() {
  PORT="$(free_port)"
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    dotnet "$WORK/bare/Bare.dll" --urls "http://127.0.0.1:$PORT" >>"$WORK/bare.log" 2>&1 &
  PID=$!
  wait_up "http://127.0.0.1:$PORT/DEFAULT/controller/v1/x" "the bare endpoint" any
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

echo "== seeding $DEVICES devices with DDI target tokens ($DB_KIND)"
start_nova
python3 "$BENCH/seed.py" "http://127.0.0.1:$PORT" "$PASSWORD" "$DEVICES" "$WORK/pairs.txt"
read -r FIRST_ID FIRST_TOKEN <"$WORK/pairs.txt"
STATUS=$(curl -s -o "$WORK/poll.json" -w '%{http_code}' -H "Authorization: TargetToken $FIRST_TOKEN" "http://127.0.0.1:$PORT/DEFAULT/controller/v1/$FIRST_ID")
[ "$STATUS" = 200 ] || { echo "a seeded device cannot poll: HTTP $STATUS"; cat "$WORK/poll.json"; exit 1; }
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: TargetToken wrong-token-0123456789" "http://127.0.0.1:$PORT/DEFAULT/controller/v1/$FIRST_ID")
[ "$STATUS" = 401 ] || { echo "a wrong token was not refused: HTTP $STATUS"; exit 1; }
echo "   poll reply: $(cat "$WORK/poll.json")"
stop

measure() { # name run — the running process at $PORT
  local name="$1" run="$2" url="http://127.0.0.1:$PORT" rss_start cpu0 cpu1 requests
  rss_start=$(stat_kb "$PID" VmRSS)
  POLL_PAIRS="$WORK/pairs.txt" POLL_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$BENCH/poll.lua" "$url" >"$WORK/$name-$run-warmup.txt"
  local rss_warm warmed; rss_warm=$(stat_kb "$PID" VmRSS)
  # Every device polled at least once before the measured run (its credentials then cached, as in a
  # fleet polling every minute with the 5-minute token cache); else the warm-up was too short.
  warmed=$(field requests "$WORK/$name-$run-warmup.txt")
  [ "${warmed:-0}" -ge "$DEVICES" ] || echo "   warning: the warm-up polled $warmed times for $DEVICES devices; set WARMUP longer"
  echo 5 >"/proc/$PID/clear_refs" 2>/dev/null || true
  local tracer=""
  if [ -n "${PROFILE:-}" ] && [ "$name" = nova ]; then
    dotnet-trace collect -p "$PID" --profile dotnet-sampled-thread-time --duration "00:00:${PROFILE_SECONDS:-15}" -o "$WORK/$run.nettrace" >"$WORK/trace.log" 2>&1 &
    tracer=$!
  fi
  cpu0=$(cpu_ticks "$PID")
  POLL_PAIRS="$WORK/pairs.txt" POLL_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$BENCH/poll.lua" "$url" >"$WORK/$name-$run.txt"
  cpu1=$(cpu_ticks "$PID")
  if [ -n "$tracer" ]; then
    wait "$tracer" || true
    dotnet-trace report "$WORK/$run.nettrace" topN -n 40 --inclusive >"$PROFILE-$run-inclusive.txt" 2>&1 || true
    dotnet-trace report "$WORK/$run.nettrace" topN -n 40 >"$PROFILE-$run-exclusive.txt" 2>&1 || true
  fi
  requests=$(field requests "$WORK/$name-$run.txt")
  [ "${requests:-0}" -gt 0 ] || { echo "$name: no request answered"; cat "$WORK/$name-$run.txt"; exit 1; }
  [ "$(field non2xx "$WORK/$name-$run.txt")" = 0 ] || { echo "$name: non-2xx answers"; cat "$WORK/$name-$run.txt"; exit 1; }
  local cpu_us=$(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / requests ))
  printf '%-5s %3s %10s %9.2f %9.2f %8s %10s %10s %10s\n' "$name" "$run" "$(field rps "$WORK/$name-$run.txt")" \
    "$(echo "$(field p50_us "$WORK/$name-$run.txt") / 1000" | bc -l)" "$(echo "$(field p99_us "$WORK/$name-$run.txt") / 1000" | bc -l)" \
    "$cpu_us" "$((rss_start / 1024))" "$((rss_warm / 1024))" "$(( $(stat_kb "$PID" VmHWM) / 1024 ))" | tee -a "$WORK/runs.txt"
}

for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS: Nova, then bare (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  start_nova; measure nova "$run"; stop
  start_bare; measure bare "$run"; stop
done

# Last-seen times reach the database in batches (a poll itself writes nothing).
if [ "$DB_KIND" = postgres ]; then
  SEEN=$(psql_bench -d "$PGDB" -c 'SELECT COUNT(*) FROM devices WHERE "Health_LastSeenAt" IS NOT NULL;')
else
  SEEN=$(sqlite3 "file:$WORK/data/nova-firmware.db?mode=ro" "SELECT COUNT(*) FROM devices WHERE Health_LastSeenAt IS NOT NULL;")
fi
[ "$SEEN" -gt 0 ] || { echo "no last-seen time reached the database"; exit 1; }

col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$WORK/runs.txt" | median; }
printf '\n%-26s %12s %12s\n' "median of $RUNS runs" Nova bare
for c in "3 requests/s" "4 p50 (ms)" "5 p99 (ms)" "6 CPU per request (us)" "7 RSS at start (MiB)" "8 RSS after warm-up (MiB)" "9 peak RSS in run (MiB)"; do
  printf '%-26s %12s %12s\n' "${c#* }" "$(col nova "${c%% *}")" "$(col bare "${c%% *}")"
done
printf '\nNova / bare requests/s: %.2f   (%s, %d devices, wrk -t%s -c%s -d%s after %s warm-up, %s)\n' \
  "$(echo "$(col nova 3) / $(col bare 3)" | bc -l)" "$DB_KIND" "$DEVICES" "$THREADS" "$CONNECTIONS" "$DURATION" "$WARMUP" "$(nproc) cores"
printf 'devices with a last-seen time in the database: %d of %d\n' "$SEEN" "$DEVICES"
printf '\nevery run: name, run, requests/s, p50 ms, p99 ms, CPU us/request, RSS MiB at start, after warm-up, peak\n'
cat "$WORK/runs.txt"
