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
# The config is bench/run.sh's (bench/lib.sh's gateway_yaml: 7 providers and models, rate limits, the access log). One
# uncounted start of each tree comes first: it builds the jar or makes the AOT cache when either is missing or
# stale, and migrates the database. Then ROUNDS rounds of STARTS starts of A and STARTS of B, A first in odd
# rounds. Prints each start (ms to ready, CPU ms), then the mean of each side. Needs curl.
set -euo pipefail
other=$(cd "${1:?usage: bench/startup-ab.sh OTHER_TREE [ROUNDS] [STARTS]}" && pwd)
rounds=${2:-4}
starts=${3:-3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bench/lib.sh"
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

for side in a b; do
  # Nothing listens on port 9: start-up never calls the upstream.
  gateway_yaml 127.0.0.1 "$port" "$tmp/$side.db" 9 9 >"$tmp/$side.yaml"
done
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
