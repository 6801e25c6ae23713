#!/usr/bin/env bash
# Runs the Savina benchmarks of Spinoff and Pekko (io.spinoff.benchmarks.Savina*), then writes the
# report: savina.md (ratios with 95% intervals over forks, targets) and the charts.
#
# Usage: benchmarks/run-savina.sh [--quick] [BENCHMARK_REGEX] [JMH options]
#   (full)   every Savina benchmark with the classes' own forks and iterations (3 forks of 3 warm-up
#            and 5 measured iterations of 1 s), every Spinoff throughput and Pekko executor.
#            Results: benchmarks/target/results/{savina.json,savina.md,savina-ratios.png}
#   --quick  for development: 1 fork, 1 warm-up and 2 measured iterations of 1 s, Spinoff throughput
#            64 and Pekko fj-64 only. One fork gives no interval: the report says so and judges no
#            target. Results: benchmarks/target/results/quick/
#   BENCHMARK_REGEX  (first argument not starting with '-') replaces the default pattern
#            'io.spinoff.benchmarks.Savina.*', e.g. 'SavinaPingPong|SavinaBig'.
#   Further arguments go to JMH as they are, e.g. -foe true.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

quick=false
if [ "${1:-}" = "--quick" ]; then
  quick=true
  shift
fi
pattern='io.spinoff.benchmarks.Savina.*'
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  pattern="$1"
  shift
fi

# shellcheck source=java21.sh
source "$here/java21.sh"

# The processor is in the reactor, so nothing has to be installed into the local repository first.
(cd "$root" && mvn -B -q package -DskipTests -pl processor,benchmarks -am)
jar="$here/target/benchmarks.jar"

if $quick; then
  out="$here/target/results/quick"
  jmh_mode=(-f 1 -wi 1 -w 1 -i 2 -r 1 -p throughput=64 -p executor=fj-64)
  report_mode=(--allow-one-fork)
else
  out="$here/target/results"
  jmh_mode=()
  report_mode=()
fi
mkdir -p "$out"
results="$out/savina.json"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "$commit" != unknown ] && [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit with uncommitted changes"
fi

"$java_bin" -jar "$jar" "$pattern" "${jmh_mode[@]}" -rf json -rff "$results" "$@" | tee "$out/savina-jmh.log"
"$java_bin" -Dcommit="$commit" -cp "$jar" io.spinoff.benchmarks.report.BenchmarkReport \
  "${report_mode[@]}" "$out" "$results"
