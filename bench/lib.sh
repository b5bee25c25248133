# Sourced by the bench scripts: the request they all send (chat_body), the gateway's config (gateway_yaml), and
# for bench/threads.sh and bench/serial.sh the held gateway's details (held_gateway), and the Server-Timing stages
# (stage_times).

# The bench's chat request: model $1, "true" in $2 for a stream.
chat_body() {
  printf '{"model":"%s","max_tokens":256,"stream":%s,"messages":[{"role":"system","content":"You are a concise assistant."},{"role":"user","content":"Explain in one paragraph what an AI model gateway does and why one would run it."}]}' "$1" "$2"
}

# gateway_yaml HOST PORT DB UP_PORT H2_PORT: the gateway's config for the bench (bench/run.sh, bench/startup-ab.sh):
# listening on HOST:PORT, SQLite in DB, the mock upstream's providers on UP_PORT (HTTP/1.1) and H2_PORT (HTTP/2)
# with a model for each, and rate limits on, high enough never to refuse: a billion requests and 60 billion
# tokens a minute (the most a bucket takes). GATEWAY_SERVER_EXTRA adds to the server: object, GATEWAY_LIMITS
# replaces the limits (none: no limits), GATEWAY_EXTRA_CONFIG is appended.
gateway_yaml() {
  local host=$1 gw_port=$2 db=$3 up_port=$4 h2_port=$5 limits_yaml m
  limits_yaml="limits:
  key: { requests_per_minute: 1000000000, tokens_per_minute: 60000000000 }
  account: { requests_per_minute: 1000000000, tokens_per_minute: 60000000000 }"
  [ -n "${GATEWAY_LIMITS:-}" ] && limits_yaml=$GATEWAY_LIMITS
  [ "${GATEWAY_LIMITS:-}" = none ] && limits_yaml=
  cat <<YAML
server: { host: $host, port: $gw_port${GATEWAY_SERVER_EXTRA:-} }
storage: { url: "sqlite:$db" }
logging: { level: info, requests: true }
accounting: { require_credits: true }
providers:
  bench: { kind: openai-compatible, base_url: "http://$host:$up_port/v1", api_key: unused }
  bench-sse: { kind: openai-compatible, base_url: "http://$host:$up_port/sse/v1", api_key: unused }
  bench-paced: { kind: openai-compatible, base_url: "http://$host:$up_port/paced/v1", api_key: unused }
  bench-slow: { kind: openai-compatible, base_url: "http://$host:$up_port/slow/v1", api_key: unused }
  bench-slow-h2: { kind: openai-compatible, base_url: "http://$host:$h2_port/slow/v1", api_key: unused, http2: true }
  bench-h2: { kind: openai-compatible, base_url: "http://$host:$h2_port/v1", api_key: unused, http2: true }
  bench-sse-h2: { kind: openai-compatible, base_url: "http://$host:$h2_port/sse/v1", api_key: unused, http2: true }
models:
$(for m in json:bench sse:bench-sse paced:bench-paced slow:bench-slow slow-h2:bench-slow-h2 json-h2:bench-h2 \
           sse-h2:bench-sse-h2; do cat <<M
  - id: bench/${m%%:*}
    name: Bench ${m%%:*}
    context_length: 32768
    endpoints:
      - provider: ${m#*:}
        model: bench-model
        pricing: { prompt: "0.000001", completion: "0.000002" }
M
done)
$limits_yaml
${GATEWAY_EXTRA_CONFIG:-}
YAML
}

# With a held gateway (PHASES=hold bench/run.sh --quick in another shell), sets key (an API key of the held
# gateway), pid (the gateway's process), port, up_port, and lua: a temporary wrk script that POSTs
# $BENCH_BODY with the key and ends with the Lua given as the first argument (wrk's done() hook, which
# prints what the caller reads). The script is removed on exit.
held_gateway() {
  local name hold
  name=$(basename "$0")
  hold=${TMPDIR:-/tmp}/sb-bench-hold
  port=${GATEWAY_PORT:-19100}
  up_port=${UPSTREAM_PORT:-19080}
  command -v wrk >/dev/null || { echo "$name: needs wrk (Debian/Ubuntu: apt-get install wrk)" >&2; exit 1; }
  [ -r "$hold/key" ] || { echo "$name: no held gateway; start PHASES=hold bench/run.sh --quick first" >&2; exit 1; }
  key=$(cat "$hold/key")
  pid=$(ss -ltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
  [ -n "$pid" ] || { echo "$name: nothing listens on 127.0.0.1:$port" >&2; exit 1; }
  lua=$(mktemp)
  trap 'rm -f "$lua"' EXIT
  cat >"$lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
LUA
  printf '%s\n' "$1" >>"$lua"
}


# stage_times PORT KEY KIND N: N chat requests of model bench/KIND (paced: a stream; json) one at a time, 50 ms
# apart, then a markdown table of each Server-Timing stage's p50 / p90 / max in ms. Fails when no answer carried
# the header (server.timing_header: false).
stage_times() {
  local port=$1 key=$2 kind=$3 n=$4 stream=true
  [ "$kind" = json ] && stream=false
  local body
  body=$(chat_body "bench/$kind" "$stream")
  for _ in $(seq 1 "$n"); do
    curl -s -o /dev/null -D - -H "authorization: Bearer $key" -H 'content-type: application/json' -d "$body" \
      "http://127.0.0.1:$port/api/v1/chat/completions" | tr -d '\r' | sed -n 's/^server-timing: //Ip'
    sleep 0.05
  done | awk -v kind="$kind" '
    { for (i = 1; i <= split($0, parts, ", "); i++) {
        split(parts[i], kv, ";dur=")
        if (!(kv[1] in seen)) { seen[kv[1]] = 1; order[++names] = kv[1] }
        values[kv[1], ++count[kv[1]]] = kv[2] + 0
      }
      answers++ }
    function sort(name,  i, j, t, m) {
      m = count[name]
      for (i = 1; i <= m; i++) sorted[i] = values[name, i]
      for (i = 2; i <= m; i++) { t = sorted[i]; for (j = i - 1; j > 0 && sorted[j] > t; j--) sorted[j + 1] = sorted[j]; sorted[j + 1] = t }
      return m
    }
    END {
      if (names == 0) { print "stage_times: no Server-Timing header (server.timing_header: false?)" > "/dev/stderr"; exit 1 }
      printf "| stage (%s, %d answers) | p50 ms | p90 ms | max ms |\n|---|---|---|---|\n", kind, answers
      for (k = 1; k <= names; k++) {
        m = sort(order[k])
        p90 = int(m * 0.9); if (p90 < 1) p90 = 1
        printf "| %s | %.3f | %.3f | %.3f |\n", order[k], sorted[int((m + 1) / 2)], sorted[p90], sorted[m]
      }
    }'
}
