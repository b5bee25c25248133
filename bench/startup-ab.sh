#!/usr/bin/env bash
# A/B of two builds' start-up: starts of one alternate with starts of the other, so that the VM's swings fall on
# both alike (docs/performance.md, round 13). Each start is `bin/switchboard serve` of that tree (its own launcher,
# jar and AOT cache) on an existing SQLite file, timed from the launch to the first 200 from /health/ready (polled
# every 10 ms, as bench/run.sh's start-up phase does), with the process's CPU time at that moment.
#
#   bench/startup-ab.sh OTHER_TREE [ROUNDS] [STARTS]
#   git worktree add /tmp/base HEAD~1 && bench/startup-ab.sh /tmp/base 4 3     # this tree (B) against HEAD~1 (A)
#   JAVA_OPTS_B=-XX:TieredStopAtLevel=1 bench/startup-ab.sh "$PWD" 3            # one build, two sets of JVM flags
#
# The config is bench/run.sh's gateway config (7 providers and models, rate limits, the access log). One
# uncounted start of each tree comes first: it builds the jar or makes the AOT cache when either is missing or
# stale, and migrates the database. Then ROUNDS rounds of STARTS starts of A and STARTS of B, A first in odd
# rounds. Prints each start (ms to ready, CPU ms), then the mean of each side. Needs curl.
set -euo pipefail
other=$(cd "${1:?usage: bench/startup-ab.sh OTHER_TREE [ROUNDS] [STARTS]}" && pwd)
rounds=${2:-4}
starts=${3:-3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${GATEWAY_PORT:-19400}
[ -x "$other/bin/switchboard" ] || { echo "startup-ab.sh: $other has no bin/switchboard" >&2; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "startup-ab.sh: port $port is in use (set GATEWAY_PORT)" >&2
  exit 1
fi
tmp=$(mktemp -d)
pid=
stop() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap stop EXIT

# config SIDE: a gateway config on its own SQLite file, shaped like bench/run.sh's (nothing listens upstream:
# start-up never calls it).
config() {
  local m
  {
    printf 'server: { host: 127.0.0.1, port: %s }\nstorage: { url: "sqlite:%s/%s.db" }\n' "$port" "$tmp" "$1"
    printf 'logging: { level: info, requests: true }\naccounting: { require_credits: true }\nproviders:\n'
    for m in bench:v1 bench-sse:sse/v1 bench-paced:paced/v1 bench-slow:slow/v1; do
      printf '  %s: { kind: openai-compatible, base_url: "http://127.0.0.1:9/%s", api_key: unused }\n' "${m%%:*}" "${m#*:}"
    done
    for m in bench-slow-h2:slow/v1 bench-h2:v1 bench-sse-h2:sse/v1; do
      printf '  %s: { kind: openai-compatible, base_url: "http://127.0.0.1:9/%s", api_key: unused, http2: true }\n' \
        "${m%%:*}" "${m#*:}"
    done
    printf 'models:\n'
    for m in json:bench sse:bench-sse paced:bench-paced slow:bench-slow slow-h2:bench-slow-h2 json-h2:bench-h2 \
             sse-h2:bench-sse-h2; do
      printf '  - id: bench/%s\n    name: Bench %s\n    context_length: 32768\n    endpoints:\n' "${m%%:*}" "${m%%:*}"
      printf '      - provider: %s\n        model: bench-model\n' "${m#*:}"
      printf '        pricing: { prompt: "0.000001", completion: "0.000002" }\n'
    done
    printf 'limits:\n  key: { requests_per_minute: 1000000000, tokens_per_minute: 60000000000 }\n'
    printf '  account: { requests_per_minute: 1000000000, tokens_per_minute: 60000000000 }\n'
  } >"$tmp/$1.yaml"
}

tck=$(getconf CLK_TCK)
# start SIDE TREE OPTS: one start; prints "ms cpu_ms".
start() {
  local t0 t1 cpu
  t0=$(date +%s%N)
  SWITCHBOARD_JAVA_OPTS="$3" "$2/bin/switchboard" serve --config "$tmp/$1.yaml" >>"$tmp/$1.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/health/ready")" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "startup-ab.sh: the $1 gateway stopped; see its log:" >&2; tail -5 "$tmp/$1.log" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  cpu=$(awk -v t="$tck" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$pid/stat")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  echo "$(( (t1 - t0) / 1000000 )) $cpu"
}

config a
config b
start a "$other" "${JAVA_OPTS_A:-}" >/dev/null
start b "$here" "${JAVA_OPTS_B:-}" >/dev/null
results=$tmp/results
for round in $(seq 1 "$rounds"); do
  order="a b"
  [ $((round % 2)) = 0 ] && order="b a"
  for side in $order; do
    tree=$here opts=${JAVA_OPTS_B:-}
    [ "$side" = a ] && tree=$other opts=${JAVA_OPTS_A:-}
    for _ in $(seq 1 "$starts"); do
      read -r ms cpu <<<"$(start "$side" "$tree" "$opts")"
      echo "round $round ${side^^}: ready in $ms ms, CPU $cpu ms"
      echo "$side $ms $cpu" >>"$results"
    done
  done
done
awk '{ n[$1]++; ms[$1] += $2; cpu[$1] += $3 }
  END { for (s in n) printf "%s (%s): mean %.0f ms to ready, CPU %.0f ms, over %d starts\n", toupper(s),
          s == "a" ? "'"$other"'" : "'"$here"'", ms[s] / n[s], cpu[s] / n[s], n[s] }' "$results" | sort
