#!/usr/bin/env bash
# JMH micro-benchmarks of the hot paths (src/jmh/java, compiled only in the `bench` Maven profile):
# chat request decode/encode, stream chunk translation (OpenAI → canonical → OpenAI, Anthropic →
# canonical → OpenAI), route planning over 500 models, cost computation.
#
#   bench/jmh.sh                          # every benchmark, JMH's settings from the annotations (~2 min)
#   bench/jmh.sh StreamChunk              # a regex over benchmark names
#   bench/jmh.sh -prof gc ChatRequest     # any JMH option: allocation per operation with -prof gc
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/jdk.sh"
find_jdk
require_maven
cd "$root"
mvn -q -B -Pbench -DskipTests test-compile exec:exec -Djmh.args="$*"
