#!/usr/bin/env bash
# Package import benchmark: starts the server (Release build, SQLite, fresh data directory),
# creates a random file (1 GiB by default), measures `sha256sum` on it as a baseline for the
# hashing the server must do, then times `curl -F file=@...` against POST /api/v1/packages and
# reports wall time, MB/s, the server's CPU time and its resident memory before the import and its
# peak (VmHWM). RUNS=N repeats sha256sum and the import N times, alternating, and prints the medians.
# Each run imports new content, as a real import does (the file's first bytes carry the run number;
# sha256sum of it is the timed baseline and the published checksum), and the package is deleted
# after its run, untimed, so the disk holds one blob at a time.
#
#   bench/import-1gib.sh            # 1 GiB
#   SIZE_MB=512 RUNS=5 bench/import-1gib.sh
#   SMOKE=1 bench/import-1gib.sh    # 8 MiB, one raw import and one .swu: checks HTTP 201 and the hashes, no timing claims
#   FORMAT=swu SIZE_MB=512 RUNS=5 bench/import-1gib.sh
#                                   # the file as the image of an SWUpdate bundle (.swu, cpio "crc"
#                                   # with its sw-description): the server also checks the image
#                                   # against the sw-description's SHA-256; the baseline is
#                                   # sha256sum of the bundle. Each run's bundle is packed untimed.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SMOKE="${SMOKE:-}"
SIZE_MB="${SIZE_MB:-1024}"
RUNS="${RUNS:-1}"
FORMAT_NAMED="${FORMAT:+yes}"
FORMAT="${FORMAT:-raw}"
case "$FORMAT" in raw|swu) ;; *) echo "FORMAT is raw or swu, not '$FORMAT'" >&2; exit 2 ;; esac
if [ -n "$SMOKE" ]; then SIZE_MB=8; RUNS=1; fi
PASSWORD="bench-admin-password"
WORK="$(mktemp -d -t nova-bench-XXXXXX)"
PORT="$(free_port)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building (Release)"
# bench/run.sh builds the server once for every bench and passes it in NOVA_SERVER_BUILD.
SERVER_DIR="${NOVA_SERVER_BUILD:-$WORK/server}"
[ -n "${NOVA_SERVER_BUILD:-}" ] || dotnet build src/Nova.Firmware.Server -c Release -o "$SERVER_DIR" -v quiet -nologo >/dev/null

echo "== starting the server on 127.0.0.1:$PORT"
Nova__DataDirectory="$WORK/data" Nova__AdminPassword="$PASSWORD" ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
  Logging__LogLevel__Default=Warning dotnet "$SERVER_DIR/Nova.Firmware.Server.dll" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait_up "http://127.0.0.1:$PORT/healthz"
curl -fs -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/api/v1/packages" >/dev/null   # warm up auth and EF

echo "== creating a ${SIZE_MB} MiB random file"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$WORK/firmware.bin"
UPLOAD="$WORK/firmware.bin"
# A .swu bundle: sw-description (this run's version, the image's SHA-256) and the image, packed as
# SWUpdate's tools do. Untimed, as building a bundle is the vendor's work.
pack_swu() {
  cat >"$WORK/sw-description" <<DESC
software =
{
	version = "1.0.$1";
	hardware-compatibility = [ "1.0" ];
	images: (
		{
			filename = "firmware.bin";
			type = "raw";
			device = "/dev/update";
			sha256 = "$(sha256sum "$WORK/firmware.bin" | cut -d' ' -f1)";
		}
	);
};
DESC
  (cd "$WORK" && printf 'sw-description\nfirmware.bin\n' | cpio -o -H crc --quiet >"$WORK/firmware.swu")
}
if [ "$FORMAT" = swu ]; then UPLOAD="$WORK/firmware.swu"; pack_swu 0; fi
BYTES=$(stat -c %s "$UPLOAD")

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
mb() { echo "scale=1; $BYTES / 1048576 / $1" | bc -l; }
RSS_BEFORE_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
HWM_BEFORE_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
printf '\nfile size               %d bytes (%d MiB, %s)\n' "$BYTES" "$SIZE_MB" "$FORMAT"

for run in $(seq 1 "$RUNS"); do
  printf 'run %08d' "$run" | dd of="$WORK/firmware.bin" conv=notrunc status=none
  # raw: the form names the version and revision; swu: the bundle's sw-description does.
  if [ "$FORMAT" = swu ]; then pack_swu "$run"; FIELDS=(); else FIELDS=(-F version="1.0.$run" -F hardwareRevisions=1.0); fi
  t0=$(date +%s.%N)
  SHA256=$(sha256sum "$UPLOAD" | cut -d' ' -f1)
  t1=$(date +%s.%N)
  SHA_S=$(echo "$t1 - $t0" | bc -l)

  cpu0=$(cpu_ticks "$SERVER_PID")
  t0=$(date +%s.%N)
  STATUS=$(curl -s -o "$WORK/response.json" -w '%{http_code}' -u "admin:$PASSWORD" \
    -F vendor=Axiom "${FIELDS[@]}" -F models=C200 -F soc=CV25 -F kind=update \
    -F sha256="$SHA256" -F file=@"$UPLOAD" "http://127.0.0.1:$PORT/api/v1/packages")
  t1=$(date +%s.%N)
  cpu1=$(cpu_ticks "$SERVER_PID")
  IMPORT_S=$(echo "$t1 - $t0" | bc -l)

  if [ "$STATUS" != "201" ]; then echo "import failed: HTTP $STATUS"; cat "$WORK/response.json"; exit 1; fi
  SHA1=$(sha1sum "$UPLOAD" | cut -d' ' -f1)
  MD5=$(md5sum "$UPLOAD" | cut -d' ' -f1)
  for hash in "\"format\":\"$FORMAT\"" "\"sha256\":\"$SHA256\"" "\"sha1\":\"$SHA1\"" "\"md5\":\"$MD5\"" "\"size\":$BYTES"; do
    grep -q "$hash" "$WORK/response.json" || { echo "unexpected response (no $hash)"; cat "$WORK/response.json"; exit 1; }
  done
  printf 'run %d: sha256sum %.2f s (%s MiB/s)   import %.2f s (%s MiB/s, HTTP %s, server CPU %.2f s)   ratio %.2f\n' \
    "$run" "$SHA_S" "$(mb "$SHA_S")" "$IMPORT_S" "$(mb "$IMPORT_S")" "$STATUS" \
    "$(echo "($cpu1 - $cpu0) / $(getconf CLK_TCK)" | bc -l)" "$(echo "$SHA_S / $IMPORT_S" | bc -l)" | tee -a "$WORK/runs.txt"
  PACKAGE_ID=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/response.json")
  curl -fs -o /dev/null -X DELETE -u "admin:$PASSWORD" "http://127.0.0.1:$PORT/api/v1/packages/$PACKAGE_ID" || { echo "could not delete package $PACKAGE_ID"; exit 1; }
  sync   # the deleted blob's and the next file's write-back settle before the next timed step
done
HWM_AFTER_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")

if [ -n "$SMOKE" ]; then
  echo "smoke: HTTP 201, format $FORMAT, sha256, sha1, md5 and size as computed locally"
  if [ -z "$FORMAT_NAMED" ]; then
    # Unless a format was named, the smoke run checks a .swu import too, on a fresh server.
    cleanup; trap - EXIT
    exec env FORMAT=swu "$0"
  fi
  exit 0
fi
python3 - "$WORK/runs.txt" <<'PY'
import re, statistics, sys
runs = [re.findall(r"\(([\d.]+) MiB/s", line) + re.findall(r"ratio ([\d.]+)", line) for line in open(sys.argv[1])]
sha, imp, ratio = (statistics.median(float(r[i]) for r in runs) for i in range(3))
print(f"median of {len(runs)}: sha256sum {sha:.1f} MiB/s, import {imp:.1f} MiB/s, import / sha256sum {ratio:.2f}")
PY
printf 'server RSS before       %d MiB (peak so far %d MiB)\n' "$((RSS_BEFORE_KB / 1024))" "$((HWM_BEFORE_KB / 1024))"
printf 'server peak RSS after   %d MiB (VmHWM; +%d MiB over the RSS before the imports)\n' "$((HWM_AFTER_KB / 1024))" "$(((HWM_AFTER_KB - RSS_BEFORE_KB) / 1024))"
