#!/usr/bin/env bash
# Where a held gateway's time goes, stage by stage, from its Server-Timing header (PHASES=hold bench/run.sh --quick
# in another shell): N requests one at a time, 50 ms apart, then p50 / p90 / max per stage in ms (a markdown
# table; bench/run.sh puts the same tables in bench/results/latest.md).
#
#   bench/stages.sh               # 48 paced streams (the header goes out with the stream's head)
#   bench/stages.sh 96 json       # 96 JSON requests (adds the settlement's commit)
#
# One at a time is the low-load case, where each stage runs with cold caches; under load the same code is 10-40x
# faster per stage (docs/performance.md, rounds 9 and 10).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
held_gateway ''
stage_times "$port" "$key" "${2:-paced}" "${1:-48}"
