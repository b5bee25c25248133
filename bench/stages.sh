#!/usr/bin/env bash
# Where a held gateway's time goes, stage by stage, from its Server-Timing header (PHASES=hold bench/run.sh --quick
# in another shell): N requests one at a time, 50 ms apart, then p50 / p90 / max per stage in ms.
#
#   bench/stages.sh               # 48 paced streams (the header goes out with the stream's head)
#   bench/stages.sh 96 json       # 96 JSON requests (adds the settlement's commit)
#
# One at a time is the low-load case, where each stage runs with cold caches; under load the same code is 10-40x
# faster per stage (docs/performance.md, rounds 9 and 10).
set -euo pipefail
n=${1:-48}
kind=${2:-paced}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
held_gateway ''
stream=true
[ "$kind" = json ] && stream=false
body=$(chat_body "bench/$kind" "$stream")
for _ in $(seq 1 "$n"); do
  curl -s -o /dev/null -D - -H "authorization: Bearer $key" -H 'content-type: application/json' -d "$body" \
    "http://127.0.0.1:$port/api/v1/chat/completions" | tr -d '\r' | sed -n 's/^server-timing: //Ip'
  sleep 0.05
done | awk -v n="$n" '
  { for (i = 1; i <= split($0, parts, ", "); i++) {
      split(parts[i], kv, ";dur=")
      if (!(kv[1] in seen)) { seen[kv[1]] = 1; order[++names] = kv[1] }
      values[kv[1], ++count[kv[1]]] = kv[2] + 0
    } }
  function sort(name,  i, j, t, m) {
    m = count[name]
    for (i = 1; i <= m; i++) sorted[i] = values[name, i]
    for (i = 2; i <= m; i++) { t = sorted[i]; for (j = i - 1; j > 0 && sorted[j] > t; j--) sorted[j + 1] = sorted[j]; sorted[j + 1] = t }
    return m
  }
  END {
    if (names == 0) { print "stages: no Server-Timing header (server.timing_header: false?)" > "/dev/stderr"; exit 1 }
    printf "%d requests, one at a time\n", n
    for (k = 1; k <= names; k++) {
      m = sort(order[k])
      p90 = int(m * 0.9); if (p90 < 1) p90 = 1
      printf "  %-9s p50 %7.3f  p90 %7.3f  max %8.3f ms\n", order[k], sorted[int((m + 1) / 2)], sorted[p90], sorted[m]
    }
  }'
