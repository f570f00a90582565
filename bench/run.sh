#!/usr/bin/env bash
# Runs the four hot-path benchmarks one after another, each beside its reference tool in the same
# run (docs/benchmarks.md has the figures and how to read them):
#
#   DDI poll        bench/ddi-poll/run.sh     Nova vs a bare ASP.NET Core endpoint (wrk)
#   download        bench/download/run.sh     Nova vs Debian's nginx, same file (wrk)
#   import          bench/import-1gib.sh      Nova vs sha256sum, same file
#   TFTP            bench/tftp/run.sh         Nova vs Debian's atftpd (curl and atftp, hyperfine)
#
#   bench/run.sh               # full runs (about 20 minutes on 2 cores)
#   bench/run.sh --smoke       # each bench in its smoke mode: checks the scripts still work, not the speed
#   bench/run.sh poll tftp     # only some of them (poll, download, import, tftp)
#
# The server is built once (Release) and passed to each script in NOVA_SERVER_BUILD. Output of each
# bench goes to the terminal and to bench-results/<name>.txt. Exits non-zero when a bench fails.
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=0
names=()
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    poll|download|import|tftp) names+=("$arg") ;;
    *) echo "unknown argument '$arg' (--smoke, poll, download, import, tftp)" >&2; exit 2 ;;
  esac
done
[ "${#names[@]}" -gt 0 ] || names=(poll download import tftp)

need=(dotnet wrk curl python3 sqlite3 bc hyperfine atftp atftpd nginx sha256sum)
for tool in "${need[@]}"; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "bench/run.sh needs '$tool' (Debian: wrk curl python3 sqlite3 bc hyperfine atftp atftpd nginx)" >&2; exit 2; }
done

BUILD="$(mktemp -d -t nova-bench-build-XXXXXX)"
trap 'rm -rf "$BUILD"' EXIT
echo "== building the server once (Release)"
dotnet build src/Nova.Firmware.Server -c Release -o "$BUILD" -v quiet -nologo >"$BUILD.log" 2>&1 || { cat "$BUILD.log"; exit 1; }
rm -f "$BUILD.log"
export NOVA_SERVER_BUILD="$BUILD"
# The scripts read any non-empty SMOKE as smoke mode.
if [ "$SMOKE" = 1 ]; then export SMOKE; else unset SMOKE; fi

mkdir -p bench-results
failed=()
for name in "${names[@]}"; do
  case "$name" in
    poll) script=bench/ddi-poll/run.sh ;;
    download) script=bench/download/run.sh ;;
    import) script=bench/import-1gib.sh ;;
    tftp) script=bench/tftp/run.sh ;;
  esac
  echo
  echo "######## $name: $script $([ -n "${SMOKE:-}" ] && echo "(smoke)")"
  started=$(date +%s)
  if "$script" 2>&1 | tee "bench-results/$name.txt"; [ "${PIPESTATUS[0]}" = 0 ]; then
    echo "######## $name: done in $(( $(date +%s) - started )) s"
  else
    echo "######## $name: FAILED (bench-results/$name.txt)"
    failed+=("$name")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
