#!/usr/bin/env bash
# TFTP throughput: the product's TFTP server (Nova.Firmware.Server, Release, SQLite, the image
# imported as a stock package) against Debian's atftpd, in the same run, on the same 64 MiB file
# over loopback. Clients: curl with its default blksize (512, lock-step) and with blksize 1428, and
# atftp with blksize 1428 and windowsize 8. Needs: dotnet, atftpd, atftp, curl, hyperfine, python3.
# Usage:
#   bench/tftp/run.sh [runs]           # results: bench/tftp/results/*.json and a summary on stdout
#   SMOKE=1 bench/tftp/run.sh          # CI: a 1 MiB file, one run per command; fails when any client
#                                      # gets a wrong file or any command fails; asserts no speed
#   PROFILE=bench/tftp/results/profile bench/tftp/run.sh  # instead of timing: perf samples of each server during one
#                                      # curl blksize 512 fetch, in bench/tftp/results/profile-{nova,atftpd}.{txt,perf}
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
if [ -n "${SMOKE:-}" ]; then
  # No shell: hyperfine would subtract its shell start-up time, which a 1 MiB fetch hardly exceeds.
  runs=1; warmup=0; size_mib=1; out="$(mktemp -d)"; shell=(--shell=none)
else
  runs="${1:-5}"; warmup=1; size_mib=64; out="bench/tftp/results"; shell=()
fi
mkdir -p "$out"
work="$(mktemp -d)"
chmod 755 "$work"
trap 'kill "${nova_pid:-}" "${atftpd_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; [ -z "${SMOKE:-}" ] || rm -rf "$out"' EXIT

mkdir "$work/files"
chmod 755 "$work/files"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/files/image.bin"
chmod 644 "$work/files/image.bin"
want="$(sha256sum "$work/files/image.bin" | cut -d' ' -f1)"

# bench/run.sh builds the server once for every bench and passes it in NOVA_SERVER_BUILD.
SERVER_DIR="${NOVA_SERVER_BUILD:-$work/server}"
[ -n "${NOVA_SERVER_BUILD:-}" ] || dotnet build -c Release src/Nova.Firmware.Server -o "$SERVER_DIR" -v q -nologo >/dev/null
nova_port="$(free_port udp)"
atftpd_port="$(free_port udp)"
http_port="$(free_port tcp)"
password="bench-$RANDOM$RANDOM"

# Perf needs the JIT's symbol map to name managed frames; only asked for when profiling.
env ${PROFILE:+DOTNET_PerfMapEnabled=1} \
Nova__DataDirectory="$work/data" Nova__AdminPassword="$password" \
Nova__Tftp__Enabled=true Nova__Tftp__BindAddress=127.0.0.1 Nova__Tftp__Port="$nova_port" \
Logging__LogLevel__Default=Warning \
  dotnet "$SERVER_DIR/Nova.Firmware.Server.dll" --urls "http://127.0.0.1:$http_port" > "$work/nova.log" 2>&1 &
nova_pid=$!
atftpd --daemon --no-fork --port "$atftpd_port" --bind-address 127.0.0.1 --user nobody.nogroup "$work/files" &
atftpd_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null || { echo "server did not start:"; cat "$work/nova.log"; exit 1; }

# The same file as a stock package of the catalog: the product serves it by its file name.
curl -sSf -u "admin:$password" -o /dev/null "http://127.0.0.1:$http_port/api/v1/packages" \
  -F vendor=Bench -F version=1.0.0 -F models=BENCH-1 -F hardwareRevisions=1.0 -F soc=bench -F kind=stock \
  -F sha256="$want" -F "file=@$work/files/image.bin;type=application/octet-stream"

# Every command must deliver the exact file before it is timed (this also runs the product's
# one-time SHA-256 check of the stock image, so the timed runs do not include it).
for port in "$nova_port" "$atftpd_port"; do
  curl -sS "tftp://127.0.0.1:$port/image.bin" -o "$work/check.bin"
  [ "$(sha256sum "$work/check.bin" | cut -d' ' -f1)" = "$want" ] || { echo "curl from port $port: wrong file"; exit 1; }
  curl -sS "tftp://127.0.0.1:$port/image.bin" --tftp-blksize 1428 -o "$work/check.bin"
  [ "$(sha256sum "$work/check.bin" | cut -d' ' -f1)" = "$want" ] || { echo "curl blksize 1428 from port $port: wrong file"; exit 1; }
  atftp -g -r image.bin -l "$work/check.bin" --option "blksize 1428" --option "windowsize 8" 127.0.0.1 "$port" >/dev/null
  [ "$(sha256sum "$work/check.bin" | cut -d' ' -f1)" = "$want" ] || { echo "atftp from port $port: wrong file"; exit 1; }
done

# Each server writes its own output file, so every timed command's last result is checked too.
check() { # label, file
  [ "$(sha256sum "$2" | cut -d' ' -f1)" = "$want" ] || { echo "$1: wrong file"; exit 1; }
}
bench() { # name, label, command with PORT (the server's port) and OUT (the output file)
  local nova theirs
  nova="${3//PORT/$nova_port}"; theirs="${3//PORT/$atftpd_port}"
  nova="${nova//OUT/$work/out-nova.bin}"; theirs="${theirs//OUT/$work/out-atftpd.bin}"
  rm -f "$work/out-nova.bin" "$work/out-atftpd.bin"
  hyperfine "${shell[@]}" --runs "$runs" --warmup "$warmup" --export-json "$out/$1.json" \
    -n "$2 <- nova" "$nova" -n "$2 <- atftpd" "$theirs"
  check "$2 <- nova" "$work/out-nova.bin"
  check "$2 <- atftpd" "$work/out-atftpd.bin"
}
if [ -n "${PROFILE:-}" ]; then
  # Where each server's time goes during one curl blksize 512 fetch (the round-trip-bound case):
  # samples of the server process only (every thread, kernel and user space) by thread, by
  # object and by symbol, and the server's CPU time. Nothing is timed.
  cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
  for server in nova atftpd; do
    pid_var="${server}_pid"; port_var="${server}_port"
    before=$(cpu_ticks "${!pid_var}")
    start=$(date +%s.%N)
    perf record -q -g -p "${!pid_var}" -o "$PROFILE-$server.perf" -- \
      curl -sS "tftp://127.0.0.1:${!port_var}/image.bin" -o "$work/out-$server.bin" 2>"$work/perf-$server.log"
    end=$(date +%s.%N)
    after=$(cpu_ticks "${!pid_var}")
    check "profiled fetch <- $server" "$work/out-$server.bin"
    report() { perf report -i "$PROFILE-$server.perf" --no-children -g none --stdio "$@" 2>/dev/null | grep -v '^#' | grep -v '^$'; }
    {
      echo "fetch: $(python3 -c "print(f'{$end - $start:.2f}')") s wall (under perf), server CPU time: $(( (after - before) * 10 )) ms"
      echo "== the server's samples by thread"
      report --sort comm | head -15 || true
      echo "== by object"
      report --sort dso | head -15 || true
      echo "== hottest symbols"
      report --sort dso,sym | head -50 || true
    } > "$PROFILE-$server.txt" 2>&1
    echo "profile: $PROFILE-$server.txt (samples: $PROFILE-$server.perf)"
  done
  exit 0
fi

bench curl-512 "curl blksize 512" "curl -sS tftp://127.0.0.1:PORT/image.bin -o OUT"
bench curl-1428 "curl blksize 1428" "curl -sS tftp://127.0.0.1:PORT/image.bin --tftp-blksize 1428 -o OUT"
bench atftp "atftp blksize 1428 windowsize 8" \
  "atftp -g -r image.bin -l OUT --option 'blksize 1428' --option 'windowsize 8' 127.0.0.1 PORT"

python3 - "$out" "$size_mib" <<'PY'
import json, sys
size = int(sys.argv[2]) * 1024 * 1024
for name in ("curl-512", "curl-1428", "atftp"):
    results = json.load(open(f"{sys.argv[1]}/{name}.json"))["results"]
    ours, theirs = results[0], results[1]
    for r in results:
        rate = size / r["median"] if r["median"] > 0 else float("nan")
        print(f'{r["command"]:45s} median {r["median"]:.3f} s  {rate / 1e6:6.1f} MB/s  ({rate / 2**20:5.1f} MiB/s)')
    ratio = ours["median"] / theirs["median"] if theirs["median"] > 0 else float("nan")
    print(f'  time ratio nova/atftpd: {ratio:.2f}')
PY
