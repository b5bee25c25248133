#!/usr/bin/env bash
# First latency measurement (issue 2): what the gateway adds over calling the upstream directly.
#
# Starts `switchboard mock-upstream` (no delays) and `switchboard serve` in front of it from the built jar, creates
# an API key, then with wrk runs a small non-streamed chat request directly against the mock and through the gateway
# (auth, cost accounting and the durable generation record all on, access log on) at 1 and 16 connections, and
# measures the time to first byte of a streamed request with curl. Prints one table; kills what it started.
# Loopback only; every loop is bounded in count and every run in time.
#
#   bench/quick-latency.sh                      # 10 s per run, 2 repetitions
#   DURATION=20 REPEAT=3 bench/quick-latency.sh
#
# Environment: DURATION (s per wrk run, 1-60, default 10), REPEAT (1-5, default 2), TTFB_N (streamed requests per
# time-to-first-byte sample, 10-2000, default 200), WARMUP (s of load per target before measuring, 2-120, default 20),
# MOCK_PORT (default 19080), GW_PORT (default 19100).
# Needs: a JDK 25, wrk (apt-get install wrk), curl. Builds target/switchboard.jar when it is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/jdk.sh"
find_jdk
java="$JAVA_HOME/bin/java"
jar="$root/target/switchboard.jar"
command -v wrk >/dev/null || { echo "quick-latency: needs wrk (Debian/Ubuntu: apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "quick-latency: needs curl" >&2; exit 1; }
if [ ! -f "$jar" ]; then
  require_maven
  (cd "$root" && mvn -q -B -DskipTests package)
fi

clamp() { local v=$1 lo=$2 hi=$3; [ "$v" -lt "$lo" ] && v=$lo; [ "$v" -gt "$hi" ] && v=$hi; echo "$v"; }
duration=$(clamp "${DURATION:-10}" 1 60)
repeat=$(clamp "${REPEAT:-2}" 1 5)
ttfb_n=$(clamp "${TTFB_N:-200}" 10 2000)
warmup=$(clamp "${WARMUP:-20}" 2 120)
mock_port=${MOCK_PORT:-19080}
gw_port=${GW_PORT:-19100}
host=127.0.0.1
tck=$(getconf CLK_TCK)

work=$(mktemp -d "${TMPDIR:-/tmp}/sb-quick-latency.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "logs and config kept in $work" >&2
}
trap cleanup EXIT

for port in "$mock_port" "$gw_port"; do
  if curl -s -o /dev/null --max-time 1 "http://$host:$port/"; then
    echo "quick-latency: something already listens on $host:$port; set MOCK_PORT/GW_PORT" >&2
    exit 1
  fi
done

# Waits (at most 30 s) until a GET answers.
wait_up() {
  local url=$1 i
  for i in $(seq 1 150); do
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.2
  done
  echo "quick-latency: $url did not come up; see $work/*.log" >&2
  exit 1
}

cat >"$work/config.yaml" <<YAML
server: { host: $host, port: $gw_port }
storage: { url: "sqlite:$work/switchboard.db" }
providers:
  mock: { kind: openai-compatible, base_url: "http://$host:$mock_port/v1", api_key: unused }
models:
  - id: mock/mock-model
    name: Mock Model
    context_length: 32768
    endpoints:
      - provider: mock
        model: mock-model
        pricing: { prompt: "0.000001", completion: "0.000002" }
YAML

"$java" --enable-native-access=ALL-UNNAMED -jar "$jar" mock-upstream --host "$host" --port "$mock_port" \
  >"$work/mock.log" 2>&1 &
mock_pid=$!
pids+=("$mock_pid")
key=$("$java" --enable-native-access=ALL-UNNAMED -jar "$jar" keys create --config "$work/config.yaml" \
  --name quick-latency 2>"$work/keys.log" | tail -n 1)
"$java" --enable-native-access=ALL-UNNAMED -jar "$jar" serve --config "$work/config.yaml" >"$work/gateway.log" 2>&1 &
gw_pid=$!
pids+=("$gw_pid")
wait_up "http://$host:$mock_port/v1/models"
wait_up "http://$host:$gw_port/api/v1/models"

direct_url="http://$host:$mock_port/v1/chat/completions"
gw_url="http://$host:$gw_port/api/v1/chat/completions"
body() { printf '{"model":"%s","max_tokens":32,"stream":%s,"messages":[{"role":"user","content":"Say hello in five words."}]}' "$1" "$2"; }

# wrk: POST the body; done() prints one machine-readable line (latencies in microseconds).
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_KEY")
if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
LUA

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run TARGET CONNECTIONS REP: one wrk run; appends a table row.
run() {
  local target=$1 conns=$2 rep=$3 url model bearer threads
  if [ "$target" = direct ]; then url=$direct_url model=mock-model bearer=""; else url=$gw_url model=mock/mock-model bearer=$key; fi
  threads=$(( conns < 2 ? conns : 2 ))
  local gw0 mock0 line
  gw0=$(cpu "$gw_pid"); mock0=$(cpu "$mock_pid")
  line=$(BENCH_BODY=$(body "$model" false) BENCH_KEY=$bearer \
    wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 5s -s "$work/post.lua" "$url" | grep '^RESULT')
  local gw1 mock1
  gw1=$(cpu "$gw_pid"); mock1=$(cpu "$mock_pid")
  read -r _ reqs dur_us p50 p99 sockerr non2xx <<<"$line"
  awk -v t="$target" -v c="$conns" -v r="$rep" -v n="$reqs" -v d="$dur_us" -v p50="$p50" -v p99="$p99" \
      -v gw=$((gw1 - gw0)) -v mock=$((mock1 - mock0)) -v tck="$tck" -v se="$sockerr" -v bad="$non2xx" \
    'BEGIN { printf "%-8s %5d %3d %9.0f %9.3f %9.3f %11.0f %11.0f %7d\n", t, c, r, n / (d / 1e6), p50 / 1000, p99 / 1000,
             n ? gw / tck * 1e6 / n : 0, n ? mock / tck * 1e6 / n : 0, se + bad }' >>"$work/table.txt"
}

# ttfb TARGET REP: TTFB_N sequential streamed requests from one curl over one kept-alive connection; appends a row
# with p50/p99 of time_starttransfer (the first response byte: the gateway sends its headers with the first chunk).
ttfb() {
  local target=$1 rep=$2 url model auth=() urls=() i
  if [ "$target" = direct ]; then url=$direct_url model=mock-model; else url=$gw_url model=mock/mock-model auth=(-H "Authorization: Bearer $key"); fi
  for i in $(seq 1 "$ttfb_n"); do urls+=("$url"); done
  curl -s -N --max-time 10 -H 'Content-Type: application/json' "${auth[@]}" -d "$(body "$model" true)" \
    -w '%{stderr}%{time_starttransfer} %{time_total}\n' "${urls[@]}" >/dev/null 2>"$work/ttfb.txt" \
    || echo "quick-latency: curl failed (exit $?); see $work/ttfb.txt" >&2
  sort -n -k1 "$work/ttfb.txt" | awk -v t="$target" -v r="$rep" '{ a[NR] = $1; tot += $2 } END {
    printf "%-8s %3d %6d %9.3f %9.3f %9.3f\n", t, r, NR, a[int(NR * 0.5 + 0.5)] * 1000, a[int(NR * 0.99 + 0.5)] * 1000, tot / NR * 1000 }' \
    >>"$work/ttfb-table.txt"
}

# The JIT needs a while: a cold gateway serves a quarter of its warm rate for the first seconds.
echo "warming up (${warmup} s each at 16 and 1 connections)..." >&2
for target in direct gateway; do
  if [ "$target" = direct ]; then u=$direct_url m=mock-model k=""; else u=$gw_url m=mock/mock-model k=$key; fi
  for conns in 16 1; do
    BENCH_BODY=$(body "$m" false) BENCH_KEY=$k wrk -t1 -c"$conns" -d"$((warmup / 2 + 1))s" --timeout 5s \
      -s "$work/post.lua" "$u" >/dev/null
  done
done

: >"$work/table.txt"
: >"$work/ttfb-table.txt"
for rep in $(seq 1 "$repeat"); do
  for conns in 1 16; do
    for target in direct gateway; do
      echo "run $rep: $target, $conns connection(s), ${duration} s" >&2
      run "$target" "$conns" "$rep"
    done
  done
  for target in direct gateway; do
    echo "run $rep: $target, time to first byte of $ttfb_n streamed requests" >&2
    ttfb "$target" "$rep"
  done
done

echo
echo "Non-streamed chat completion, wrk ${duration} s per run ($(nproc) CPUs, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
printf "%-8s %5s %3s %9s %9s %9s %11s %11s %7s\n" target conns run "req/s" "p50 ms" "p99 ms" "gw µs/req" "mock µs/req" errors
sort -s -k2,2n -k1,1 "$work/table.txt"
echo
echo "Streamed chat completion, time to first byte, $ttfb_n sequential requests on one connection (curl)"
printf "%-8s %3s %6s %9s %9s %9s\n" target run n "p50 ms" "p99 ms" "mean total ms"
sort -s -k1,1 "$work/ttfb-table.txt"
