#!/usr/bin/env bash
# Runs the benchmarks of the first tables of BENCHMARKS.md (ActorBenchmarks, QueueCeiling,
# ProcessAskBenchmark, RemoteBenchmarks) for Spinoff and Pekko in one run, then prints the results
# table with ratios. The remote benchmarks start their second node as a child JVM on 127.0.0.1 and
# get a table of their own. Only remote ones: benchmarks/run-benchmarks.sh Remote
# (a first argument not starting with '-' replaces the pattern). The Savina suite has its own
# script, run-savina.sh, and the remote sweep run-remote-sweep.sh.
# Usage: benchmarks/run-benchmarks.sh [PATTERN] [extra JMH options, e.g. -wi 1 -i 3]
# Results: benchmarks/target/results/{jmh.csv,heap.txt,table.md}
set -euo pipefail
pattern='ActorBenchmarks|QueueCeiling|ProcessAskBenchmark|RemoteBenchmarks'
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  pattern="$1"
  shift
fi
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

# shellcheck source=java21.sh
source "$here/java21.sh"

# The processor is in the reactor, so nothing has to be installed into the local repository first.
(cd "$root" && mvn -B -q package -DskipTests -pl processor,benchmarks -am)
jar="$here/target/benchmarks.jar"
out="$here/target/results"
mkdir -p "$out"

"$java_bin" -jar "$jar" "$pattern" -rf csv -rff "$out/jmh.csv" "$@" | tee "$out/jmh.log"
{
  "$java_bin" -Xms2g -Xmx2g -cp "$jar" io.spinoff.benchmarks.HeapPerActor spinoff 100000
  "$java_bin" -Xms2g -Xmx2g -cp "$jar" io.spinoff.benchmarks.HeapPerActor pekko 100000
} | tee "$out/heap.txt"
"$java_bin" -cp "$jar" io.spinoff.benchmarks.ResultsTable "$out/jmh.csv" "$out/heap.txt" | tee "$out/table.md"
