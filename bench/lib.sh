# Sourced by the bench scripts: the request they all send (chat_body), and for bench/threads.sh and
# bench/serial.sh the held gateway's details (held_gateway), and the Server-Timing stages (stage_times).

# The bench's chat request: model $1, "true" in $2 for a stream.
chat_body() {
  printf '{"model":"%s","max_tokens":256,"stream":%s,"messages":[{"role":"system","content":"You are a concise assistant."},{"role":"user","content":"Explain in one paragraph what an AI model gateway does and why one would run it."}]}' "$1" "$2"
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
