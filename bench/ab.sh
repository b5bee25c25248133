#!/usr/bin/env bash
# A/B of two builds with both gateways held at once: the loads alternate between them, so that the VM's swings
# (1.5-2x within minutes on the shared VMs of docs/performance.md) fall on both alike. Restarting one build after
# the other could not separate 5% effects there (round 12).
#
#   bench/ab.sh OTHER_TREE [ROUNDS] [KINDS]
#   git worktree add /tmp/base HEAD~1 && bench/ab.sh /tmp/base 6          # this tree (B) against HEAD~1 (A)
#   JAVA_OPTS_B=-Dsome.flag=x bench/ab.sh "$PWD" 6 "json sse"              # one build, two sets of JVM flags
#
# A is OTHER_TREE (its own ports and TMPDIR, under a temporary directory), B is this tree. Each build is started
# with PHASES=hold bench/run.sh --quick from its own tree (so each uses its own bin/switchboard, jar and AOT
# cache; JAVA_OPTS_A / JAVA_OPTS_B are their SWITCHBOARD_JAVA_OPTS), warmed up, and then for ROUNDS rounds each
# KIND (default "json sse", bench/threads.sh's kinds) runs 10 s on each, A first in odd rounds and B first in
# even ones: one pair per line, CPU µs per request of the whole process and req/s, then the mean of each side
# and how many pairs B won. Use an even number of rounds. Both are stopped at the end. WARMUP (seconds of each
# KIND on each side before the rounds, default 15): the JIT of some VMs needs 60 s or more to settle.
set -euo pipefail
other=$(cd "${1:?usage: bench/ab.sh OTHER_TREE [ROUNDS] [KINDS]}" && pwd)
rounds=${2:-6}
kinds=${3:-json sse}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -x "$other/bench/run.sh" ] || { echo "ab.sh: $other has no bench/run.sh" >&2; exit 1; }
tmp=$(mktemp -d)
chmod 755 "$tmp" # nginx's workers (not root) read the static answers below it
pids=()
stop() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap stop EXIT

# hold SIDE TREE PORT_BASE: starts a held gateway on ports BASE (upstream), BASE+1 (nginx), BASE+2 (HTTP/2
# upstream) and BASE+20 (gateway), and waits until it says it is holding.
hold() {
  local side=$1 tree=$2 base=$3 opts=$4
  mkdir -p "$tmp/$side"
  (cd "$tree" && exec setsid env TMPDIR="$tmp/$side" UPSTREAM_PORT="$base" PROXY_PORT=$((base + 1)) \
    UPSTREAM_H2_PORT=$((base + 2)) GATEWAY_PORT=$((base + 20)) PHASES=hold SWITCHBOARD_JAVA_OPTS="$opts" \
    bench/run.sh --quick >"$tmp/$side/hold.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 300); do
    grep -q holding "$tmp/$side/hold.log" 2>/dev/null && return 0
    sleep 1
  done
  echo "ab.sh: $side ($tree) did not start; its log:" >&2
  tail -20 "$tmp/$side/hold.log" >&2
  exit 1
}

# measure SIDE KIND SECS: "cpu req/s" of one bench/threads.sh run against that side's gateway
measure() {
  local side=$1 tree base
  if [ "$side" = A ]; then tree=$other base=19280; else tree=$here base=19080; fi
  local out attempt
  for attempt in 1 2 3; do
    # threads.sh stops silently when a moment's `ss` does not show the gateway: try again
    out=$(cd "$tree" && TMPDIR="$tmp/$side" GATEWAY_PORT=$((base + 20)) UPSTREAM_PORT=$base bench/threads.sh "$2" "$3" 2>&1) &&
      break
    echo "ab.sh: bench/threads.sh failed against $side (attempt $attempt): $out" >&2
    out=""
  done
  if grep -q 'threads.sh:' <<<"$out"; then
    echo "ab.sh: $side: $(grep 'threads.sh:' <<<"$out")" >&2
  fi
  awk '/req\/s/ { r = $2 } /\(all threads\)/ { c = $3 } END { print c, r }' <<<"$out"
}

hold A "$other" 19280 "${JAVA_OPTS_A:-}"
hold B "$here" 19080 "${JAVA_OPTS_B:-}"
for side in A B; do
  for kind in $kinds; do measure "$side" "$kind" "${WARMUP:-15}" >/dev/null; done
done
echo "A: $other $(git -C "$other" rev-parse --short HEAD 2>/dev/null || true) ${JAVA_OPTS_A:-}"
echo "B: $here $(git -C "$here" rev-parse --short HEAD 2>/dev/null || true) ${JAVA_OPTS_B:-}"
results=$tmp/results
for round in $(seq 1 "$rounds"); do
  for kind in $kinds; do
    # A first in odd rounds, B first in even ones: in A/A runs (one build on both sides) the second JSON run
    # of a pair measured 0.5-66 µs (up to 31%) more CPU per request than the first in 5 of 5 pairs, so a
    # fixed order favours whichever side goes first.
    if [ $((round % 2)) = 1 ]; then
      read -r ca ra <<<"$(measure A "$kind" 10)"
      read -r cb rb <<<"$(measure B "$kind" 10)"
    else
      read -r cb rb <<<"$(measure B "$kind" 10)"
      read -r ca ra <<<"$(measure A "$kind" 10)"
    fi
    printf '%-5s round %d: A %7s µs/request (%s req/s)   B %7s µs/request (%s req/s)\n' "$kind" "$round" "$ca" "$ra" "$cb" "$rb"
    echo "$kind $ca $cb" >>"$results"
  done
done
awk 'NF == 3 { n[$1]++; a[$1] += $2; b[$1] += $3; if ($3 < $2) lower[$1]++ }
  END { for (k in n) printf "%-5s mean: A %.1f µs/request, B %.1f (%+.1f%%), B lower in %d of %d pairs\n",
    k, a[k] / n[k], b[k] / n[k], 100 * (b[k] - a[k]) / a[k], lower[k], n[k] }' "$results"
