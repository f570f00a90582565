# Shared by the bench scripts (sourced): a free loopback port, and waiting for a server to answer.

# free_port [udp]: a TCP (or UDP) port on 127.0.0.1 that is free now.
free_port() {
  python3 -c 'import socket, sys; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' "${1:-tcp}"
}

# wait_up URL [NAME] [any]: polls URL every 0.2 s for up to a minute until it answers 2xx (with
# "any", any HTTP answer: a route that wants credentials answers 401). Otherwise prints the end of
# the logs in $WORK and exits.
wait_up() {
  local code
  for _ in $(seq 1 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$1") || true
    case "$code" in
      2??) return 0 ;;
      000) ;;
      *) [ "${3:-}" = any ] && return 0 ;;
    esac
    sleep 0.2
  done
  echo "${2:-the server} did not start: $1"
  tail -n 50 "$WORK"/*.log
  exit 1
}
