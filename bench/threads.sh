#!/usr/bin/env bash
# CPU per request by thread group of a held gateway (PHASES=hold bench/run.sh --quick in another shell):
#
#   bench/threads.sh json 10     # 10 s of wrk -t1 -c32 JSON requests
#   bench/threads.sh sse 10      # the 52-event stream
#   bench/threads.sh json-h2 10  # the same answers from a provider set to http2: true (sse-h2 likewise)
#
# Prints req/s, CPU µs per request for the whole process (utime+stime from /proc/PID/stat), then the same
# per thread group (/proc/PID/task/*/stat, thread names without their numbers: event loops, the generation
# writer, the virtual-thread carriers, ...), and the writer's group commit size from /metrics.
set -euo pipefail
kind=${1:-json}
secs=${2:-10}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
held_gateway 'function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("REQUESTS %d %d\n", summary.requests, e.connect + e.read + e.write + e.timeout + e.status))
end'
stream=false
case $kind in sse*) stream=true ;; esac
body=$(chat_body "bench/$kind" "$stream")
ticks() { # thread group -> utime+stime ticks
  for t in /proc/"$pid"/task/*; do
    [ -r "$t/stat" ] && echo "$(sed 's/[0-9-]*$//' "$t/comm") $(awk '{print $14 + $15}' "$t/stat")"
  done | awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }' | sort
}
writer() { # commits writes
  curl -s http://127.0.0.1:"$port"/metrics | awk '/^switchboard_generation_writer_commits_total/ { c = $2 }
    /^switchboard_generation_writer_writes_total/ { w = $2 } END { print c + 0, w + 0 }'
}
before=$(mktemp); after=$(mktemp)
trap 'rm -f "$lua" "$before" "$after"' EXIT
read -r c0 w0 <<<"$(writer)"
ticks >"$before"
out=$(BENCH_BODY=$body BENCH_KEY=$key wrk -t1 -c32 -d"${secs}s" -s "$lua" "http://127.0.0.1:$port/api/v1/chat/completions")
ticks >"$after"
read -r c1 w1 <<<"$(writer)"
reqs=$(echo "$out" | awk '/^REQUESTS/ { print $2 }')
failed=$(echo "$out" | awk '/^REQUESTS/ { print $3 }')
[ "$failed" = 0 ] || echo "threads.sh: $failed of $reqs requests failed or were not 2xx; the figures below are not of served requests" >&2
hz=$(getconf CLK_TCK)
echo "$kind: $(awk -v r="$reqs" -v s="$secs" 'BEGIN { printf "%.0f", r / s }') req/s"
join "$before" "$after" | awk -v r="$reqs" -v hz="$hz" '{ d = $3 - $2; t += d; if (d > 0) printf "  %-20s %7.1f µs per request\n", $1, d * 1e6 / hz / r }
  END { printf "  %-20s %7.1f µs per request\n", "(all threads)", t * 1e6 / hz / r }'
awk -v c=$((c1 - c0)) -v w=$((w1 - w0)) 'BEGIN { if (c > 0) printf "  generation writer: %d commits, %.1f writes per commit\n", c, w / c }'
