#!/usr/bin/env bash
# TFTP throughput: the product's TFTP server (Nova.Firmware.Server, Release, SQLite, the image
# imported as a stock package) against Debian's atftpd, in the same run, on the same 64 MiB file
# over loopback. Clients: curl with its default blksize (512, lock-step) and with blksize 1428, and
# atftp with blksize 1428 and windowsize 8. Needs: dotnet, atftpd, atftp, curl, hyperfine, python3.
# Usage: bench/tftp/run.sh [runs]   (results: bench/tftp/results/*.json and a summary on stdout)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
out="bench/tftp/results"
mkdir -p "$out"
work="$(mktemp -d)"
chmod 755 "$work"
trap 'kill "${nova_pid:-}" "${atftpd_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir "$work/files"
chmod 755 "$work/files"
head -c $((64 * 1024 * 1024)) /dev/urandom > "$work/files/image.bin"
chmod 644 "$work/files/image.bin"
want="$(sha256sum "$work/files/image.bin" | cut -d' ' -f1)"

dotnet build -c Release src/Nova.Firmware.Server -o "$work/bin" -v q -nologo >/dev/null
free_port() { python3 -c 'import socket, sys; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"; }
nova_port="$(free_port udp)"
atftpd_port="$(free_port udp)"
http_port="$(free_port tcp)"
password="bench-$RANDOM$RANDOM"

Nova__DataDirectory="$work/data" Nova__AdminPassword="$password" \
Nova__Tftp__Enabled=true Nova__Tftp__BindAddress=127.0.0.1 Nova__Tftp__Port="$nova_port" \
Logging__LogLevel__Default=Warning \
  dotnet "$work/bin/Nova.Firmware.Server.dll" --urls "http://127.0.0.1:$http_port" > "$work/nova.log" 2>&1 &
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

hyperfine --runs "$runs" --warmup 1 --export-json "$out/curl-512.json" \
  -n "curl blksize 512 <- nova" "curl -sS tftp://127.0.0.1:$nova_port/image.bin -o $work/out.bin" \
  -n "curl blksize 512 <- atftpd" "curl -sS tftp://127.0.0.1:$atftpd_port/image.bin -o $work/out.bin"
hyperfine --runs "$runs" --warmup 1 --export-json "$out/curl-1428.json" \
  -n "curl blksize 1428 <- nova" "curl -sS tftp://127.0.0.1:$nova_port/image.bin --tftp-blksize 1428 -o $work/out.bin" \
  -n "curl blksize 1428 <- atftpd" "curl -sS tftp://127.0.0.1:$atftpd_port/image.bin --tftp-blksize 1428 -o $work/out.bin"
hyperfine --runs "$runs" --warmup 1 --export-json "$out/atftp.json" \
  -n "atftp blksize 1428 windowsize 8 <- nova" "atftp -g -r image.bin -l $work/out.bin --option 'blksize 1428' --option 'windowsize 8' 127.0.0.1 $nova_port" \
  -n "atftp blksize 1428 windowsize 8 <- atftpd" "atftp -g -r image.bin -l $work/out.bin --option 'blksize 1428' --option 'windowsize 8' 127.0.0.1 $atftpd_port"

python3 - "$out" <<'PY'
import json, sys
size = 64 * 1024 * 1024
for name in ("curl-512", "curl-1428", "atftp"):
    results = json.load(open(f"{sys.argv[1]}/{name}.json"))["results"]
    ours, theirs = results[0], results[1]
    for r in results:
        print(f'{r["command"]:45s} median {r["median"]:.3f} s  {size / r["median"] / 1e6:6.1f} MB/s  ({size / r["median"] / 2**20:5.1f} MiB/s)')
    print(f'  time ratio nova/atftpd: {ours["median"] / theirs["median"]:.2f}')
PY
