# Sourced by the bench scripts: the request they all send (chat_body), and for bench/threads.sh and
# bench/serial.sh the held gateway's details (held_gateway).

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

