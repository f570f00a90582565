#!/usr/bin/env bash
# TFTP throughput: our server vs Debian's atftpd, a 64 MiB file over loopback, fetched by curl
# (blksize 1428) and atftp (blksize 1428, windowsize 8). Needs: dotnet, atftpd, atftp, curl, hyperfine.
# Usage: bench/tftp/run.sh [runs]   (results: bench/tftp/results/*.json and a summary on stdout)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
out="bench/tftp/results"
mkdir -p "$out"
work="$(mktemp -d)"
chmod 755 "$work"
trap 'kill "${ours_pid:-}" "${atftpd_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

head -c $((64 * 1024 * 1024)) /dev/urandom > "$work/image.bin"
chmod 644 "$work/image.bin"
want="$(sha256sum "$work/image.bin" | cut -d' ' -f1)"

dotnet build -c Release bench/tftp/TftpBenchServer -o "$work/bin" -v q -nologo >/dev/null
free_port() { python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ours_port="$(free_port)"
atftpd_port="$(free_port)"
dotnet "$work/bin/TftpBenchServer.dll" "$work" "$ours_port" > "$work/ours.log" 2>&1 &
ours_pid=$!
atftpd --daemon --no-fork --port "$atftpd_port" --bind-address 127.0.0.1 --user nobody.nogroup "$work" &
atftpd_pid=$!
sleep 2

# Every command must deliver the exact file before it is timed.
for port in "$ours_port" "$atftpd_port"; do
  curl -sS "tftp://127.0.0.1:$port/image.bin" --tftp-blksize 1428 -o "$work/check.bin"
  [ "$(sha256sum "$work/check.bin" | cut -d' ' -f1)" = "$want" ] || { echo "curl from port $port: wrong file"; exit 1; }
  atftp -g -r image.bin -l "$work/check.bin" --option "blksize 1428" --option "windowsize 8" 127.0.0.1 "$port" >/dev/null
  [ "$(sha256sum "$work/check.bin" | cut -d' ' -f1)" = "$want" ] || { echo "atftp from port $port: wrong file"; exit 1; }
done

hyperfine --runs "$runs" --warmup 1 --export-json "$out/curl.json" \
  -n "curl blksize 1428 <- nova" "curl -sS tftp://127.0.0.1:$ours_port/image.bin --tftp-blksize 1428 -o $work/out.bin" \
  -n "curl blksize 1428 <- atftpd" "curl -sS tftp://127.0.0.1:$atftpd_port/image.bin --tftp-blksize 1428 -o $work/out.bin"
hyperfine --runs "$runs" --warmup 1 --export-json "$out/atftp.json" \
  -n "atftp blksize 1428 windowsize 8 <- nova" "atftp -g -r image.bin -l $work/out.bin --option 'blksize 1428' --option 'windowsize 8' 127.0.0.1 $ours_port" \
  -n "atftp blksize 1428 windowsize 8 <- atftpd" "atftp -g -r image.bin -l $work/out.bin --option 'blksize 1428' --option 'windowsize 8' 127.0.0.1 $atftpd_port"

python3 - "$out" <<'PY'
import json, sys
for name in ("curl", "atftp"):
    results = json.load(open(f"{sys.argv[1]}/{name}.json"))["results"]
    ours, theirs = results[0], results[1]
    for r in results:
        print(f'{r["command"]:45s} median {r["median"]:.3f} s  ({64 / r["median"]:.0f} MiB/s)')
    print(f'  ratio nova/atftpd: {ours["median"] / theirs["median"]:.2f}')
PY
