#!/usr/bin/env bash
# Where the added time to first token goes, at low load, on a held gateway (PHASES=hold bench/run.sh --quick in
# another shell): paced streams one at a time through nginx proxy_pass and through the gateway, with tcpdump on
# loopback splitting each request into its front (the client's request in -> the upstream request out) and its
# forward (the upstream's first text event in -> the proxy's first text event out):
#
#   bench/anatomy.sh         # 48 streams through each
#   bench/anatomy.sh 96
#
# Prints p50 / p90 / max in ms per part. Needs tcpdump (apt-get install tcpdump) and the right to capture on lo.
set -euo pipefail
streams=${1:-48}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
held_gateway ''
command -v tcpdump >/dev/null || { echo "anatomy: needs tcpdump (Debian/Ubuntu: apt-get install tcpdump)" >&2; exit 1; }
proxy_port=${PROXY_PORT:-19081}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/jdk.sh"
find_jdk
capture=$(mktemp)
trap 'rm -f "$lua" "$capture"' EXIT

# split_parts PROXY_PORT < capture: one line per part. A request is matched to the next upstream request that leaves
# after it (streams run one at a time); its first text event is the upstream's first data beyond the headers and
# the role event (the mock's first 367 bytes).
split_parts() {
  awk -v proxy="$1" -v up="$up_port" '
    function port(a,  n, p) { n = split(a, p, "."); sub(":", "", p[n]); return p[n] }
    function pct(a, n, q,  i, j, t, s) {
      for (i = 1; i <= n; i++) s[i] = a[i]
      for (i = 2; i <= n; i++) { t = s[i]; for (j = i - 1; j >= 1 && s[j] > t; j--) s[j + 1] = s[j]; s[j + 1] = t }
      i = int(q * n) + 1; if (i > n) i = n; return s[i]
    }
    $2 == "IP" && $NF + 0 > 0 {
      t = $1; src = port($3); dst = port($5); len = $NF + 0
      if (dst == proxy) { client = src; cin[client] = t; seen[client] = 0; pending = client; next }
      if (dst == up && pending != "") { conn[src] = pending; out[pending] = t; upbytes[pending] = 0; text[pending] = 0; pending = ""; next }
      if (src == up && (dst in conn)) { c = conn[dst]; upbytes[c] += len; if (!seen[c] && upbytes[c] > 370) { text[c] = t; seen[c] = 1 }; next }
      if (src == proxy && text[dst]) {
        n++
        front[n] = (out[dst] - cin[dst]) * 1000; fwd[n] = (t - text[dst]) * 1000
        text[dst] = 0
      }
    }
    END {
      if (n == 0) { print "  no complete request captured"; exit }
      printf "  front    n=%d p50 %.3f p90 %.3f max %.3f ms\n", n, pct(front, n, .5), pct(front, n, .9), pct(front, n, 1)
      printf "  forward  n=%d p50 %.3f p90 %.3f max %.3f ms\n", n, pct(fwd, n, .5), pct(fwd, n, .9), pct(fwd, n, 1)
    }'
}

# probe NAME PORT PATH MODEL BEARER
probe() {
  local body
  body=$(chat_body "$4" true)
  tcpdump -i lo -n -tt -l "(tcp port $2 or tcp port $up_port) and tcp[tcpflags] & tcp-push != 0" >"$capture" 2>/dev/null &
  local dump=$!
  sleep 1
  printf '%s: %s\n' "$1" "$("$JAVA_HOME/bin/java" "$root/bench/StreamProbe.java" 127.0.0.1 "$2" "$3" "$5" "$body" \
    "$streams" 1 | grep '^PROBE')"
  sleep 0.5
  kill "$dump"
  wait "$dump" 2>/dev/null || true
  split_parts "$2" <"$capture"
}

probe "nginx proxy_pass" "$proxy_port" /paced/v1/chat/completions bench-model ""
probe gateway "$port" /api/v1/chat/completions bench/paced "$key"
