#!/usr/bin/env bash
# The threading-model spike (DESIGN.md: "blocking code on virtual threads if within 15% of event-loop
# handlers"): src/jmh/java/dev/switchboard/bench/ThreadingSpike.java runs the same minimal gateway hop as
# virtual-thread-per-request code and as event-loop stages; both sit in front of an nginx static upstream
# and take turns under wrk (-t1 -c32). Prints req/s, CPU µs per request and p50/p99 for each run.
#   bench/threading-spike.sh            # 3 alternating rounds of 10 s after 10 s warm-up each
#   ROUNDS=5 DURATION=15 bench/threading-spike.sh
# Needs what bench/run.sh installs (nginx, wrk) and Maven.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/jdk.sh"
find_jdk
require_maven
rounds=${ROUNDS:-3} duration=${DURATION:-10}
up_port=19180 vt_port=19181 el_port=19182
(cd "$root" && mvn -q -B -Pbench -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test) >&2
cp="$root/target/test-classes:$root/target/classes:$(cat "$root/target/bench-classpath.txt")"
work=$(mktemp -d "${TMPDIR:-/tmp}/sb-spike.XXXXXX")
chmod 755 "$work"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
printf '{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":160,"total_tokens":184}}' \
  "$(head -c 700 /dev/zero | tr '\0' 'x')" >"$work/chat.json"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off; error_log $work/error.log warn; keepalive_requests 10000000;
  client_body_temp_path $work/tb; proxy_temp_path $work/tp; fastcgi_temp_path $work/tf; uwsgi_temp_path $work/tu; scgi_temp_path $work/ts;
  server {
    listen 127.0.0.1:$up_port; root $work; error_page 405 =200 \$uri;
    location = /v1/chat/completions { default_type application/json; try_files /chat.json =404; }
    location = /chat.json { default_type application/json; }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' & pids+=($!)
"$JAVA_HOME/bin/java" -cp "$cp" dev.switchboard.bench.ThreadingSpike virtual $vt_port 127.0.0.1 $up_port /v1/chat/completions & pids+=($!)
vt_pid=$!
"$JAVA_HOME/bin/java" -cp "$cp" dev.switchboard.bench.ThreadingSpike eventloop $el_port 127.0.0.1 $up_port /v1/chat/completions & pids+=($!)
el_pid=$!
for port in $vt_port $el_port; do
  for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
done
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"acme/chat","max_tokens":256,"messages":[{"role":"user","content":"Explain in one paragraph what an AI model gateway does."}]}'
wrk.headers["Content-Type"] = "application/json"
function done(s, latency) io.write(string.format("RESULT %d %d %d %d %d\n", s.requests, s.duration, latency:percentile(50), latency:percentile(99), s.errors.status + s.errors.read + s.errors.connect)) end
LUA
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tck=$(getconf CLK_TCK)
run() { # run NAME PID PORT SECONDS
  local c0 c1 line
  c0=$(ticks "$2")
  line=$(wrk -t1 -c32 -d"$4s" -s "$work/post.lua" "http://127.0.0.1:$3/v1/chat/completions" | grep '^RESULT')
  c1=$(ticks "$2")
  read -r _ n d p50 p99 err <<<"$line"
  awk -v name="$1" -v n="$n" -v d="$d" -v p50="$p50" -v p99="$p99" -v c=$((c1 - c0)) -v tck="$tck" -v err="$err" \
    'BEGIN { printf "%-10s %8.0f req/s %7.1f µs CPU/req  p50 %.3f ms  p99 %.3f ms  errors %d\n", name, n / (d / 1e6), c / tck * 1e6 / n, p50 / 1000, p99 / 1000, err }'
}
run virtual "$vt_pid" $vt_port 10 >/dev/null
run eventloop "$el_pid" $el_port 10 >/dev/null
echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
for _ in $(seq 1 "$rounds"); do
  run virtual "$vt_pid" $vt_port "$duration"
  run eventloop "$el_pid" $el_port "$duration"
done
