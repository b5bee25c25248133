#!/usr/bin/env bash
# Switchboard vs a plain reverse proxy, side by side, on 127.0.0.1 (issue 8). One command on a fresh
# Debian/Ubuntu machine:
#
#   bench/run.sh            # full run, about 10 minutes
#   bench/run.sh --quick    # shorter runs, fewer repetitions, 2,000 concurrent streams (about 4 minutes)
#
# What it does: installs nginx, wrk and nginx's echo module when they are missing (apt-get, as root),
# builds target/switchboard.jar when it is missing or older than the sources, then starts
#   - an nginx mock upstream: a static ~1 KB chat.completion JSON, a 52-event SSE stream (no delay), and
#     paced SSE streams through the echo module (echo_sleep between events);
#   - the reference target: a second nginx with proxy_pass to the upstream over a keep-alive pool;
#   - Switchboard (bin/switchboard serve, so the launcher's JVM flags are what is measured) with its
#     production features on: API-key auth, a key spending limit and required credits (admission),
#     cost computation, the generation record and ledger charge committed to SQLite, Prometheus
#     metrics, the per-request access log line (to a file), and rate limits (requests and tokens per
#     minute per key and per account, set far above what the runs send, so every request is counted
#     against four buckets and none is refused);
# and measures, for the upstream called directly, nginx and Switchboard:
#   - JSON requests/s at saturation (wrk -t1 -c32) and CPU µs per request (utime+stime of the target's
#     processes from /proc/PID/stat over the run, divided by the requests);
#   - latency p50/p99 at fixed offered rates (1,000 and 5,000 req/s), and what the target adds over direct;
#   - SSE streams/s at saturation (52 events each) and CPU µs per forwarded event;
#   - time to first event and inter-event gaps on paced streams (bench/StreamProbe.java);
#   - the gateway's own stages at low load, from its Server-Timing header (paced streams and JSON, one at a time);
#   - the heap the gateway holds per in-flight request with a 385 KB prompt (about 100k tokens), as a
#     multiple of the body (jcmd GC.run, then GC.heap_info, while 40 such requests stream);
#   - concurrent paced streams (wrk with thousands of connections), errors, peak RSS (VmHWM);
#   - start-up time of the gateway to a 200 from /health/ready.
# Writes bench/results/latest.md (the table) and keeps raw outputs in bench/results/raw/ (gitignored). A run of
# fewer phases (PHASES) or a --quick one writes its table to bench/results/raw/partial.md instead, so only a
# full run replaces the published figures.
#
# Fixed rate: wrk has no fixed-rate mode and Debian ships neither wrk2 nor vegeta, so the fixed-rate runs
# use wrk's Lua delay() hook: C connections each wait C/RATE seconds between a response and the next
# request (bench/paced.lua). The achieved rate is reported next to the target; latency is measured from
# each request's send, as in every wrk run.
#
# Environment: PHASES (which measurements, default "startup json rate sse paced stages body conc"; the gateway is started
# once in any case; "hold" keeps nginx and the gateway up until the script is stopped, for profiling),
# DURATION (s per measured run), REPEAT (repetitions of each measurement), CONC_STREAMS
# (concurrent paced streams; capped by the open-files limit), CONC_UPSTREAM (h2, the default: the gateway's
# concurrency run reaches the upstream over HTTP/2, a provider set to http2: true; h1: over HTTP/1.1, a
# socket per stream), UPSTREAM_PORT, PROXY_PORT, GATEWAY_PORT, UPSTREAM_H2_PORT (defaults 19080, 19081,
# 19100, 19082), GATEWAY_LIMITS (the gateway's
# limits section; "none" runs without rate limits), GATEWAY_EXTRA_CONFIG (YAML appended to the config),
# GATEWAY_SERVER_EXTRA (more entries of the gateway's server section, e.g. ", timing_header: false").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quick=0
[ "${1:-}" = "--quick" ] && quick=1
phases=" ${PHASES:-startup json rate sse paced stages body conc} "
has() { [[ "$phases" == *" $1 "* ]]; }
host=127.0.0.1
up_port=${UPSTREAM_PORT:-19080}
proxy_port=${PROXY_PORT:-19081}
gw_port=${GATEWAY_PORT:-19100}
h2_port=${UPSTREAM_H2_PORT:-19082}
if [ $quick = 1 ]; then
  duration=${DURATION:-5} repeat=${REPEAT:-1} conc=${CONC_STREAMS:-2000} warm=15 conc_secs=12 probe_n=40 stage_n=24
else
  duration=${DURATION:-10} repeat=${REPEAT:-2} conc=${CONC_STREAMS:-10000} warm=45 conc_secs=25 probe_n=120 stage_n=48
fi

# ---------------------------------------------------------------------------------------------- tools
need=()
command -v nginx >/dev/null || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v pgrep >/dev/null || need+=(procps)
ls /usr/lib/nginx/modules/ngx_http_echo_module.so >/dev/null 2>&1 || need+=(libnginx-mod-http-echo)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing ${need[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2; }
  else
    echo "bench: needs ${need[*]} (Debian/Ubuntu: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
. "$root/bin/jdk.sh"
. "$root/bench/lib.sh"
find_jdk
java="$JAVA_HOME/bin/java"
jar="$root/target/switchboard.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  if ! command -v mvn >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven >&2
  fi
  require_maven
  echo "bench: building $jar" >&2
  (cd "$root" && mvn -q -B -DskipTests package) >&2
fi

# Over HTTP/1.1 each proxied stream holds a client socket and an upstream socket; over HTTP/2 (the gateway's
# concurrency run, CONC_UPSTREAM=h2, the default) the upstream sockets are a few hundred multiplexed
# connections, and nginx proxy_pass splits its streams between two worker processes, each with its own
# limit. Leave room for everything else.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)
conc_upstream=${CONC_UPSTREAM:-h2}
if [ "$conc_upstream" = h2 ]; then
  max_conc=$(( fd_limit - 1000 ))
else
  max_conc=$(( (fd_limit - 1000) / 2 ))
fi
if [ "$conc" -gt "$max_conc" ]; then
  echo "bench: open-files limit $fd_limit allows about $max_conc proxied streams; using that instead of $conc" >&2
  conc=$max_conc
fi

out="$root/bench/results"
raw="$out/raw"
mkdir -p "$raw"
rm -f "$raw"/*
work=$(mktemp -d "${TMPDIR:-/tmp}/sb-bench.XXXXXX")
chmod 755 "$work" # nginx workers run as an unprivileged user and serve files from here
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # The work directory holds the run's SQLite database (hundreds of MB after a full run) and the nginx
  # files; what is worth keeping is in $raw.
  [ "$(readlink "${TMPDIR:-/tmp}/sb-bench-hold" 2>/dev/null)" = "$work" ] && rm -f "${TMPDIR:-/tmp}/sb-bench-hold"
  rm -rf "$work"
}
trap cleanup EXIT
for port in "$up_port" "$proxy_port" "$gw_port" "$h2_port"; do
  if curl -s -o /dev/null --max-time 1 "http://$host:$port/"; then
    echo "bench: something already listens on $host:$port; set UPSTREAM_PORT/PROXY_PORT/GATEWAY_PORT/UPSTREAM_H2_PORT" >&2
    exit 1
  fi
done
load0=$(cut -d' ' -f1-3 /proc/loadavg)
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ------------------------------------------------------------------------------------- mock upstream
events=52
text_chunks=$((events - 4)) # role, 48 text deltas, finish, usage, [DONE]
json_body() {
  local content="Switchboard is a self-hosted AI model gateway: one endpoint that speaks the OpenAI, OpenRouter and"
  content+=" Anthropic dialects in front of hundreds of models served by many providers. Each request is"
  content+=" authenticated, admitted against the key's limits and the account's credits, routed to an endpoint,"
  content+=" translated, forwarded over a pooled keep-alive connection, and settled: its cost is computed exactly"
  content+=" and charged in the same transaction that records the generation. This answer is padded to about"
  content+=" one kilobyte so that the benchmark moves a realistic body, the size of a short answer from a chat"
  content+=" model, with a usage block, a finish reason and the identifiers a client expects to see."
  printf '{"id":"chatcmpl-bench0001","object":"chat.completion","created":1764000000,"model":"bench-model",'
  printf '"system_fingerprint":"fp_bench","choices":[{"index":0,"message":{"role":"assistant","content":"%s"},' "$content"
  printf '"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":160,"total_tokens":184}}'
}
chunk() { # chunk DELTA FINISH
  printf 'data: {"id":"chatcmpl-bench0001","object":"chat.completion.chunk","created":1764000000,"model":"bench-model","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}\n\n' "$1" "$2"
}
sse_events() { # sse_events N_TEXT: prints the events, one per line group
  local i
  chunk '{"role":"assistant","content":""}' null
  for i in $(seq 1 "$1"); do chunk "{\"content\":\"token$i \"}" null; done
  chunk '{}' '"stop"'
  printf 'data: {"id":"chatcmpl-bench0001","object":"chat.completion.chunk","created":1764000000,"model":"bench-model","choices":[],"usage":{"prompt_tokens":24,"completion_tokens":%d,"total_tokens":%d}}\n\n' "$1" "$(($1 + 24))"
  printf 'data: [DONE]\n\n'
}
mkdir -p "$work/www" "$work/up" "$work/proxy"
json_body >"$work/www/chat.json"
sse_events "$text_chunks" >"$work/www/chat.sse"
# Paced streams: the echo module sleeps between events. paced: 20 events 20 ms apart (latency probes);
# slow: 10 events 1 s apart (concurrency).
echo_location() { # echo_location NAME N_TEXT INTERVAL_S
  echo "    location = /$1/v1/chat/completions {"
  echo "      default_type text/event-stream;"
  sse_events "$2" | grep '^data:' | while IFS= read -r line; do
    printf "      echo_sleep %s;\n      echo '%s\\\\n';\n      echo_flush;\n" "$3" "$line"
  done
  echo "    }"
}
common_http="
  access_log off;
  error_log $work/nginx-error.log warn;
  client_body_temp_path $work/tmp-body;
  proxy_temp_path $work/tmp-proxy;
  fastcgi_temp_path $work/tmp-fcgi;
  uwsgi_temp_path $work/tmp-uwsgi;
  scgi_temp_path $work/tmp-scgi;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  sendfile on;
  tcp_nodelay on;"
# The JSON and SSE answers from static files (nginx's static module refuses POST; answer the chat paths
# from the files anyway).
static_answers="    root $work/www;
    error_page 405 =200 \$uri;
    location = /v1/chat/completions { default_type application/json; try_files /chat.json =404; }
    location = /sse/v1/chat/completions { default_type text/event-stream; try_files /chat.sse =404; }
    location = /chat.json { default_type application/json; }
    location = /chat.sse { default_type text/event-stream; }"
cat >"$work/up/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_processes 1;
worker_rlimit_nofile $fd_limit;
pid $work/up/nginx.pid;
events { worker_connections $((fd_limit - 100)); multi_accept on; }
http {
  $common_http
  server {
    listen $host:$up_port backlog=8192 reuseport;
$static_answers
$(echo_location paced 16 0.02)
$(echo_location slow 6 1)
  }
  # The same over cleartext HTTP/2 (prior knowledge): the slow stream for the gateway's concurrency run,
  # the JSON and SSE answers for comparing a provider's CPU cost over HTTP/2 (bench/threads.sh json-h2).
  server {
    listen $host:$h2_port http2 backlog=8192;
    http2_max_concurrent_streams 1000;
$static_answers
$(echo_location slow 6 1)
  }
}
CONF
# The reference target: nginx proxy_pass over a keep-alive upstream pool, buffering off for streams.
cat >"$work/proxy/nginx.conf" <<CONF
worker_processes auto;
worker_rlimit_nofile $fd_limit;
pid $work/proxy/nginx.pid;
events { worker_connections $((fd_limit - 100)); multi_accept on; }
http {
  $common_http
  upstream mock { server $host:$up_port; keepalive 256; keepalive_requests 10000000; }
  server {
    listen $host:$proxy_port backlog=8192 reuseport;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location / { proxy_pass http://mock; }
    location ~ ^/(sse|paced|slow)/ { proxy_pass http://mock; proxy_buffering off; }
  }
}
CONF
for name in up proxy; do
  nginx -t -q -p "$work/$name" -c "$work/$name/nginx.conf" -g 'daemon off;' 2>"$raw/nginx-$name-test.log" \
    || { cat "$raw/nginx-$name-test.log" >&2; exit 1; }
  nginx -p "$work/$name" -c "$work/$name/nginx.conf" -g 'daemon off;' 2>"$raw/nginx-$name.log" &
  pids+=($!)
done
up_master=${pids[0]}
proxy_master=${pids[1]}

# ------------------------------------------------------------------------------------------- gateway
gateway_yaml "$host" "$gw_port" "$work/switchboard.db" "$up_port" "$h2_port" >"$work/gateway.yaml"
gw() { "$root/bin/switchboard" "$@"; }
gw credits grant --amount 1000000 --config "$work/gateway.yaml" >"$raw/credits.log" 2>&1
key=$(gw keys create --name bench --limit 1000000 --limit-reset monthly --config "$work/gateway.yaml" \
  2>"$raw/keys.log" | tail -n 1)

# start_gateway: starts `switchboard serve`; sets gw_pid, and ready_ms to the milliseconds until
# /health/ready answered 200.
gw_pid=
ready_ms=
start_gateway() {
  local t0 t1
  t0=$(date +%s%N)
  "$root/bin/switchboard" serve --config "$work/gateway.yaml" >>"$raw/gateway.log" 2>&1 &
  gw_pid=$!
  pids+=("$gw_pid")
  for _ in $(seq 1 3000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://$host:$gw_port/health/ready")" = 200 ]; then
      t1=$(date +%s%N)
      ready_ms=$(( (t1 - t0) / 1000000 ))
      ready_cpu_ms=$(( $(cpu_ticks "$gw_pid") * 1000 / tck ))
      return 0
    fi
    kill -0 "$gw_pid" 2>/dev/null || break
    sleep 0.01
  done
  echo "bench: the gateway did not become ready; see $raw/gateway.log" >&2
  exit 1
}
stop_gateway() { kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; }

# ------------------------------------------------------------------------------------------ helpers
tck=$(getconf CLK_TCK)
# cpu_ticks PID...: utime+stime of the processes and their children's threads (nginx: master+workers).
cpu_ticks() {
  local total=0 p t
  for p in "$@"; do
    for t in $p $(pgrep -P "$p" || true); do
      [ -r "/proc/$t/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$t/stat")))
    done
  done
  echo $total
}
hwm_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_KEY")
if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pause > 0 then function delay() return pause end end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
LUA
# target_url TARGET KIND: the URL for direct/nginx/gateway and json/sse/paced/slow.
target_url() {
  local prefix=""
  [ "$2" != json ] && prefix="/$2"
  case $1 in
    direct) echo "http://$host:$up_port$prefix/v1/chat/completions" ;;
    nginx) echo "http://$host:$proxy_port$prefix/v1/chat/completions" ;;
    gateway) echo "http://$host:$gw_port/api/v1/chat/completions" ;;
  esac
}
port_for() { case $1 in direct) echo "$up_port" ;; nginx) echo "$proxy_port" ;; gateway) echo "$gw_port" ;; esac; }
target_pids() { case $1 in direct) echo "$up_master" ;; nginx) echo "$proxy_master" ;; gateway) echo "$gw_pid" ;; esac; }
model_for() { if [ "$1" = gateway ]; then echo "bench/$2"; else echo bench-model; fi; }
key_for() { if [ "$1" = gateway ]; then echo "$key"; fi; }
# wrk_run TARGET KIND CONNS SECONDS DELAY_MS [THREADS]: one wrk run; prints
#   requests seconds p50_us p99_us errors cpu_ticks(target) cpu_ticks(upstream)
wrk_run() {
  local target=$1 kind=$2 conns=$3 secs=$4 delay=$5 threads=${6:-1} stream=false
  [ "$kind" != json ] && stream=true
  local c0 u0 c1 u1 line
  c0=$(cpu_ticks $(target_pids "$target")); u0=$(cpu_ticks "$up_master")
  line=$(BENCH_BODY=$(chat_body "$(model_for "$target" "$kind")" $stream) BENCH_KEY=$(key_for "$target") \
    BENCH_DELAY_MS=$delay wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 30s -s "$work/post.lua" \
    "$(target_url "$target" "$kind")" 2>&1 | tee -a "$raw/wrk.log" | grep '^RESULT' || echo "RESULT 0 1 0 0 1 0")
  c1=$(cpu_ticks $(target_pids "$target")); u1=$(cpu_ticks "$up_master")
  read -r _ reqs dur p50 p99 serr bad <<<"$line"
  echo "$reqs $(awk -v d="$dur" 'BEGIN { printf "%.3f", d / 1e6 }') $p50 $p99 $((serr + bad)) $((c1 - c0)) $((u1 - u0))"
}
results="$raw/results.txt" # one line per measurement: NAME TARGET FIELDS...
record() { echo "$*" >>"$results"; log "$*"; }

# ------------------------------------------------------------------------------------------- start-up
for name in up proxy; do
  port=$up_port
  [ $name = proxy ] && port=$proxy_port
  for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "http://$host:$port/chat.json" && break; sleep 0.05; done
done
# The first start after a build makes the launcher's AOT cache, and migrates the fresh database: not counted.
starts=1
has startup && starts=4
log "start-up ($starts starts, the first not counted)"
for i in $(seq 1 $starts); do
  start_gateway
  [ "$i" -gt 1 ] && record startup gateway "$ready_ms" "$ready_cpu_ms"
  [ "$i" -lt "$starts" ] && stop_gateway
done

# The hold phase: everything stays up for ad-hoc measurements and profiling until this script is stopped.
if has hold; then
  echo "bench: holding; upstream http://$host:$up_port, nginx http://$host:$proxy_port, gateway http://$host:$gw_port" >&2
  echo "bench: gateway pid $gw_pid, key $key" >&2
  echo "$key" >"$work/key"
  ln -sfn "$work" "${TMPDIR:-/tmp}/sb-bench-hold"
  while kill -0 "$gw_pid" 2>/dev/null; do sleep 1; done
  exit 0
fi

# -------------------------------------------------------------------------------------------- warm-up
# Long for the gateway: on a busy 2-core machine the JIT gets little CPU, and its CPU per request kept falling
# for about a minute of load (four alternating 10 s rounds: 624, 449, 295, 208 µs).
log "warm-up (${warm} s gateway, 3 s nginx)"
wrk_run gateway json 32 $((warm * 3 / 4)) 0 >/dev/null
wrk_run gateway sse 32 $((warm / 4 + 1)) 0 >/dev/null
wrk_run nginx json 32 3 0 >/dev/null
wrk_run direct json 32 2 0 >/dev/null

# --------------------------------------------------------------------------------------- saturation
has json && for rep in $(seq 1 "$repeat"); do
  for target in direct nginx gateway; do
    record json-sat "$target" $(wrk_run "$target" json 32 "$duration" 0)
  done
done
has json && record rss-json gateway "$(hwm_mb "$gw_pid")"

# --------------------------------------------------------------------------------------- fixed rates
# RATE/1000 x 10 connections, each waiting 10 ms between a response and its next request.
has rate && for rate in 1000 5000; do
  conns=$((rate / 100))
  for rep in $(seq 1 "$repeat"); do
    for target in direct nginx gateway; do
      record "rate-$rate" "$target" $(wrk_run "$target" json "$conns" "$duration" 10)
    done
  done
done

# ------------------------------------------------------------------------------------------ streams
has sse && for rep in $(seq 1 "$repeat"); do
  for target in direct nginx gateway; do
    record sse-sat "$target" $(wrk_run "$target" sse 32 "$duration" 0)
  done
done
has paced && for rep in $(seq 1 "$repeat"); do
  for target in direct nginx gateway; do
    line=$("$java" "$root/bench/StreamProbe.java" "$host" "$(port_for "$target")" \
      "$(target_url "$target" paced | sed 's|^http://[^/]*||')" "$(key_for "$target")" \
      "$(chat_body "$(model_for "$target" paced)" true)" "$probe_n" 8 2>>"$raw/probe.log" \
      | grep '^PROBE' || echo "PROBE 0 1 0 0 0 0 0")
    record paced "$target" ${line#PROBE }
  done
done

# ------------------------------------------------------------------------ stages, one request at a time
# The gateway's own stages from its Server-Timing header, paced streams and JSON one at a time (bench/stages.sh
# does the same on a held gateway): where its added time goes at low load.
has stages && for kind in paced json; do
  log "stage times: $stage_n $kind requests one at a time"
  stage_times "$gw_port" "$key" "$kind" "$stage_n" >"$raw/stages-$kind.md" 2>>"$raw/probe.log" || : >"$raw/stages-$kind.md"
done

# ---------------------------------------------------------------------------- a 400 KB request body
# What the gateway holds per request while a long prompt is in flight: 40 requests at once on the slow stream
# (6 events 1 s apart), with a 385 KB prompt and then with a short one; 3 s in, a full GC (jcmd GC.run) and
# the heap's use after it. The difference per request, divided by the body's size, is the multiple held.
body_n=40
# heap_used_kb: the heap's use after a full GC, in KB (the generations' "used NK"; the per-space lines give
# percentages, which count as 0)
heap_used_kb() {
  "$(dirname "$java")/jcmd" "$gw_pid" GC.run >/dev/null
  sleep 0.3
  "$(dirname "$java")/jcmd" "$gw_pid" GC.heap_info |
    awk '{ for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub("K,?$", "", v); s += v + 0 } } END { print s }'
}
# held_kb FILE: heap used (KB) after a full GC with body_n requests of FILE in flight; their HTTP statuses
# are appended to $work/body-statuses
held_kb() {
  local i reqs=()
  for i in $(seq 1 $body_n); do
    curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      --data-binary @"$1" "$(target_url gateway slow)" >>"$work/body-statuses" &
    reqs+=($!)
  done
  sleep 3
  heap_used_kb
  wait "${reqs[@]}" || true
}
if has body; then
  log "a 385 KB prompt: $body_n at once through the gateway, heap after a full GC"
  for size in big small; do
    if [ $size = big ]; then
      text=$(printf 'The quick brown fox jumps over the lazy dog near the river bank. %.0s' $(seq 1 7000))
      text=${text:0:394499}
    else
      text="Explain in one paragraph what an AI model gateway does."
    fi
    printf '{"model":"bench/slow","stream":true,"max_tokens":256,"messages":[{"role":"user","content":"%s"}]}' \
      "$text" >"$work/body-$size.json"
  done
  for _ in $(seq 1 "$repeat"); do
    : >"$work/body-statuses"
    small=$(held_kb "$work/body-small.json")
    big=$(held_kb "$work/body-big.json")
    failed=$(grep -vc '^200$' "$work/body-statuses" || true)
    record body gateway "$(stat -c %s "$work/body-big.json")" "$big" "$small" "$body_n" "$failed"
  done
fi

# ----------------------------------------------------------------------------- concurrent streams
# nginx proxies over HTTP/1.1 (its upstream module speaks nothing else); the gateway over HTTP/2 unless
# CONC_UPSTREAM=h1.
has conc && for target in nginx gateway; do
  kind=slow
  [ "$target" = gateway ] && [ "$conc_upstream" = h2 ] && kind=slow-h2
  log "$conc concurrent paced streams through $target (${conc_secs} s, $kind)"
  record "concurrent" "$target" "$conc" $(wrk_run "$target" "$kind" "$conc" "$conc_secs" 0 2)
done
record rss-all gateway "$(hwm_mb "$gw_pid")"

# --------------------------------------------------------------------------------------------- table
"$java" "$root/bench/Report.java" "$results" "$tck" "$events" "$([ $quick = 1 ] && echo quick || echo full)" \
  "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average before: $load0, after: $(cut -d' ' -f1-3 /proc/loadavg)" \
  >"$raw/table.md"
if [ -s "$raw/stages-paced.md" ] || [ -s "$raw/stages-json.md" ]; then
  { printf '\n## The gateway'"'"'s stages at low load (its Server-Timing header, one request at a time)\n'
    for kind in paced json; do
      if [ -s "$raw/stages-$kind.md" ]; then printf '\n'; cat "$raw/stages-$kind.md"; fi
    done; } >>"$raw/table.md"
fi
table="$out/latest.md"
if [ $quick = 1 ] || [ "$phases" != " startup json rate sse paced stages body conc " ]; then
  table="$raw/partial.md"
  echo "bench: a quick or partial run; its table is in $table (bench/results/latest.md is for full runs)" >&2
fi
mv "$raw/table.md" "$table"
cat "$table"
