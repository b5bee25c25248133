#!/usr/bin/env bash
# Latency at low load of a held gateway (PHASES=hold bench/run.sh --quick in another shell): the same JSON
# request from a few connections, each sending its next request when the last is answered, alternately
# straight to the upstream and through the gateway:
#
#   bench/serial.sh          # 1 connection, 10 s per run, 2 rounds
#   bench/serial.sh 4 10 3   # 4 connections, 10 s, 3 rounds
#
# Prints requests and p50 / p90 / p99 in µs per run. At one connection nothing queues, so what the gateway
# adds is its own path: its work plus every hand-off between threads (and the wake-up each costs).
set -euo pipefail
conns=${1:-1}
secs=${2:-10}
rounds=${3:-2}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
held_gateway 'function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%7d requests (%d failed), p50 %6.0f, p90 %6.0f, p99 %6.0f µs\n", summary.requests,
    e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end'
body=$(chat_body bench/json false)
run() { BENCH_BODY=$body BENCH_KEY=$key wrk -t1 -c"$conns" -d"${secs}s" -s "$lua" "$1" | tail -n 1; }
for _ in $(seq 1 "$rounds"); do
  printf 'upstream direct: %s\n' "$(run "http://127.0.0.1:$up_port/v1/chat/completions")"
  printf 'gateway:         %s\n' "$(run "http://127.0.0.1:$port/api/v1/chat/completions")"
done
