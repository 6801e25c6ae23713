#!/usr/bin/env bash
# The remote tell sweep: Spinoff over ZeroMQ and Pekko over Artery TCP, each payload size
# (100 B, 4 KiB, 64 KiB), in-flight window (200, 2,000, 20,000; 64 KiB payloads stop at 2,000,
# which already holds 128 MiB in flight), 1 and 8 sending threads, and for Pekko 1 and 4 inbound
# lanes (4 is Artery's default). Full mode takes each class's own forks and iterations (about
# 50 minutes); --quick runs 1 fork, 1 warm-up and 2 measured iterations of 1 s.
# Usage: benchmarks/run-remote-sweep.sh [--quick] [extra JMH options]
# Results: benchmarks/target/results/remote-sweep-{small,large}.json
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

# shellcheck source=java21.sh
source "$here/java21.sh"

mode=()
if [ "${1:-}" = "--quick" ]; then
  mode=(-f 1 -wi 1 -i 2 -w 1 -r 1)
  shift
fi

(cd "$root" && mvn -B -q package -DskipTests -pl processor,benchmarks -am)
jar="$here/target/benchmarks.jar"
out="$here/target/results"
mkdir -p "$out"

"$java_bin" -jar "$jar" 'RemoteBenchmarks.remoteTell' "${mode[@]}" \
  -p payloadBytes=100,4096 -p window=200,2000,20000 -p senders=1,8 -p lanes=1,4 \
  -rf json -rff "$out/remote-sweep-small.json" "$@"
"$java_bin" -jar "$jar" 'RemoteBenchmarks.remoteTell' "${mode[@]}" \
  -p payloadBytes=65536 -p window=200,2000 -p senders=1,8 -p lanes=1,4 \
  -rf json -rff "$out/remote-sweep-large.json" "$@"
