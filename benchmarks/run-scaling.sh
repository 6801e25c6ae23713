#!/usr/bin/env bash
# How cost grows: fork-join throughput as live actors grow from 10 to 1,000,000 (ScalingBenchmark),
# the heap idle actors retain at those counts, and remote tell throughput as receiving nodes
# (peers: 1, 2, 4 JVMs on loopback) and sending threads (1, 8) grow, for Spinoff and Pekko; then
# draws the curves on logarithmic axes with CurveReport.
#
# Usage: benchmarks/run-scaling.sh [--quick] [JMH options]
#   (full)   3 forks, 2 warm-up and 3 measured iterations (1 s local, 2 s remote); Spinoff at 64 and
#            256 messages per turn, Pekko at fork-join 64 and 256 (the best settings of each in the
#            Savina fork-join throughput run), Artery with 1 inbound lane (its best in the sweep).
#   --quick  1 fork, 1 warm-up and 2 measured iterations, Spinoff 64 and Pekko fj-64 only.
#   Further arguments go to JMH as they are.
# Results in benchmarks/target/results/: scaling.json, scaling-heap.csv, remote-peers.json, and
# scaling.png/.md, remote-peers.png/.md (the charts and their figures as Markdown tables).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

quick=false
if [ "${1:-}" = "--quick" ]; then
  quick=true
  shift
fi

# shellcheck source=java21.sh
source "$here/java21.sh"

# The processor is in the reactor, so nothing has to be installed into the local repository first.
(cd "$root" && mvn -B -q package -DskipTests -pl processor,benchmarks -am)
jar="$here/target/benchmarks.jar"
out="$here/target/results"
mkdir -p "$out"

if $quick; then
  local_mode=(-f 1 -wi 1 -i 2 -w 1 -r 1 -p throughput=64 -p executor=fj-64)
  remote_mode=(-f 1 -wi 1 -i 2 -w 1 -r 1)
else
  local_mode=(-f 3 -wi 2 -i 3 -w 1 -r 1 -p throughput=64,256 -p executor=fj-64,fj-256)
  remote_mode=(-f 3 -wi 2 -i 3 -w 2 -r 2)
fi

"$java_bin" -jar "$jar" 'ScalingBenchmark' "${local_mode[@]}" -rf json -rff "$out/scaling.json" "$@"
"$java_bin" -Xms4g -Xmx4g -cp "$jar" io.spinoff.benchmarks.ScalingBenchmark > "$out/scaling-heap.csv"
"$java_bin" -jar "$jar" 'RemoteBenchmarks.remoteTell' "${remote_mode[@]}" \
  -p peers=1,2,4 -p senders=1,8 -p lanes=1 -rf json -rff "$out/remote-peers.json" "$@"

"$java_bin" -cp "$jar" io.spinoff.benchmarks.report.CurveReport --times-x "$out/scaling.png" actors \
  "Fork-join throughput over N live actors (2 threads)" "messages per second" "$out/scaling.json"
"$java_bin" -cp "$jar" io.spinoff.benchmarks.report.CurveReport --method-prefix remoteTell \
  "$out/remote-peers.png" peers "Remote tell, 100 B, to 1, 2 and 4 receiving JVMs" "messages per second" \
  "$out/remote-peers.json"
cat "$out/scaling-heap.csv"
