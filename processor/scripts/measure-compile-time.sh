#!/usr/bin/env bash
#
# Measures what the Spinoff annotation processor adds to javac's compile time.
#
# Generates PROTOCOLS @ActorProtocol interfaces (default 200) of 10 methods each (five tells, five
# asks; parameter and result types int, String, List<String> and a record) into a temporary
# directory, then times javac compiling them
#   - with the processor (which also compiles the 3 generated sources per protocol), and
#   - without it (-proc:none: only the interfaces and the record),
# RUNS times each (default 3), alternating, and prints the median of each, and the difference per
# protocol, in wall-clock seconds and in CPU seconds (user + system of all javac threads, which a
# busy machine disturbs less). To split that difference, it also times javac compiling the
# interfaces together with the sources the processor generated, with -proc:none: the cost of
# compiling the generated code, leaving the rest to the processor itself (rounds, validation,
# writing). This is a measurement, not a test; nothing asserts on it.
#
# To compare two builds of the processor in one run, give the other build's jars in BEFORE_PROCESSOR
# and BEFORE_API (the processor jar and the api jar it was built with; keep a copy of both before
# changing the processor). Both builds are then timed in every run, alternating, on the same input,
# and the report shows them side by side.
#
# Needs: a JDK 21+ under /usr/lib/jvm (the first whose javac reports version 21 or later, as the
# build picks one), the processor and api jars built (processor/target, api/target or the local
# repository), and JavaPoet in the local repository (~/.m2).
#
# Usage: processor/scripts/measure-compile-time.sh        (PROTOCOLS=50 RUNS=5 ... to vary)
#        BEFORE_PROCESSOR=old/spinoff-processor.jar BEFORE_API=old/spinoff-api.jar \
#            processor/scripts/measure-compile-time.sh

set -euo pipefail

PROTOCOLS=${PROTOCOLS:-200}
RUNS=${RUNS:-3}
METHODS=10

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module_dir="$(dirname "$script_dir")"
root_dir="$(dirname "$module_dir")"
repository="${M2_REPOSITORY:-$HOME/.m2/repository}"

fail() {
    echo "measure-compile-time: $*" >&2
    exit 1
}

# The first JDK under /usr/lib/jvm whose javac is version 21 or later.
find_jdk() {
    local jdk version major
    for jdk in /usr/lib/jvm/*; do
        [[ -x "$jdk/bin/javac" ]] || continue
        version="$("$jdk/bin/javac" -version 2>&1 | awk '/^javac/ {print $2}')"
        major="${version%%.*}"
        if [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 21 )); then
            echo "$jdk"
            return 0
        fi
    done
    return 1
}

# The first existing file among the arguments (globs already expanded, newest version last).
first_file() {
    local file
    for file in "$@"; do
        if [[ -f "$file" ]]; then
            echo "$file"
            return 0
        fi
    done
    return 1
}

declare -A processor_jars api_jars

jdk="$(find_jdk)" || fail "no JDK 21+ under /usr/lib/jvm; install one (e.g. a Temurin 21 or 25 JDK)."
javac="$jdk/bin/javac"

# The project's version: the first <version> of the processor's pom, inside <parent>.
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$module_dir/pom.xml" | head -n 1)"
javapoet_version="$(sed -n 's:.*<javapoet.version>\(.*\)</javapoet.version>.*:\1:p' "$root_dir/pom.xml")"

shopt -s nullglob
processor_jar="$(first_file "$module_dir/target/spinoff-processor-$version.jar" \
    "$repository/io/spinoff/spinoff-processor/$version/spinoff-processor-$version.jar")" \
    || fail "no spinoff-processor-$version.jar in processor/target or $repository; build the processor first."
api_jar="$(first_file "$root_dir/api/target/spinoff-api-$version.jar" \
    "$repository/io/spinoff/spinoff-api/$version/spinoff-api-$version.jar")" \
    || fail "no spinoff-api-$version.jar in api/target or $repository; build the api first."
javapoet_jar="$(first_file "$repository/com/palantir/javapoet/javapoet/$javapoet_version/javapoet-$javapoet_version.jar")" \
    || fail "no javapoet-$javapoet_version.jar in $repository; resolve the processor's dependencies first."
shopt -u nullglob

builds=(after)
processor_jars[after]="$processor_jar"
api_jars[after]="$api_jar"
if [[ -n "${BEFORE_PROCESSOR:-}" || -n "${BEFORE_API:-}" ]]; then
    [[ -f "${BEFORE_PROCESSOR:-}" ]] || fail "BEFORE_PROCESSOR (${BEFORE_PROCESSOR:-unset}) is not a file; give the earlier processor jar."
    [[ -f "${BEFORE_API:-}" ]] || fail "BEFORE_API (${BEFORE_API:-unset}) is not a file; give the api jar the earlier processor was built with."
    builds=(before after)
    processor_jars[before]="$BEFORE_PROCESSOR"
    api_jars[before]="$BEFORE_API"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/spinoff-compile-time.XXXXXX")"
trap 'rm -rf "$work"' EXIT
package_dir="$work/src/bench"
mkdir -p "$package_dir"

cat > "$package_dir/Payload.java" <<'EOF'
package bench;

import java.util.List;

/** The record the protocols send and reply with. */
public record Payload(String name, int count, List<String> tags) {}
EOF

for ((p = 0; p < PROTOCOLS; p++)); do
    name="$(printf 'Protocol%03d' "$p")"
    cat > "$package_dir/$name.java" <<EOF
package bench;

import io.spinoff.api.ActorProtocol;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Generated protocol $p of $PROTOCOLS. */
@ActorProtocol
public interface $name {
    void add(int amount);

    CompletionStage<Integer> total();

    void rename(String name);

    CompletionStage<String> describe(String prefix);

    void tag(List<String> tags);

    CompletionStage<List<String>> tags();

    void store(Payload payload);

    CompletableFuture<Payload> load(String name, int version);

    void note(int id, String label, List<String> lines, Payload payload);

    CompletionStage<Void> clear();
}
EOF
done

sources="$work/sources.txt"
find "$work/src" -name '*.java' | sort > "$sources"

# Runs one compilation of one build into fresh output directories; prints its wall-clock seconds
# and its CPU seconds (user + system, all threads: steadier than wall-clock on a busy machine).
#   without:   the interfaces and the record, -proc:none
#   with:      the same, with the processor (keeps what it generated in $work/kept-BUILD)
#   generated: the interfaces, the record and the kept generated sources, -proc:none
compile() {
    local build="$1" mode="$2" status=0 arguments api="${api_jars[$1]}"
    rm -rf "$work/out" "$work/generated"
    mkdir -p "$work/out" "$work/generated"
    arguments=(--release 21 -encoding UTF-8 -cp "$api" -d "$work/out" -s "$work/generated")
    case "$mode" in
        with) arguments+=(-processorpath "${processor_jars[$build]}:$api:$javapoet_jar"
                  -processor io.spinoff.processor.ActorProtocolProcessor "@$sources") ;;
        without) arguments+=(-proc:none "@$sources") ;;
        generated) arguments+=(-proc:none "@$work/all-sources-$build.txt") ;;
    esac
    local TIMEFORMAT='%R %U %S'
    { time "$javac" "${arguments[@]}" >"$work/javac.log" 2>&1 || status=$?; } 2>"$work/time.txt"
    if (( status != 0 )); then
        cat "$work/javac.log" >&2
        fail "javac ($build, $mode) failed"
    fi
    if [[ "$mode" == with ]]; then
        rm -rf "$work/kept-$build"
        cp -r "$work/generated" "$work/kept-$build"
        { cat "$sources"; find "$work/kept-$build" -name '*.java' | sort; } > "$work/all-sources-$build.txt"
        echo "$(find "$work/generated" -name '*.java' | wc -l) $(find "$work/out" -name '*.class' | wc -l)" \
            > "$work/counts-$build.txt"
    fi
    awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$work/time.txt"
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

echo "javac:      $javac ($("$javac" -version 2>&1))"
for build in "${builds[@]}"; do
    echo "$build:"
    echo "  processor: ${processor_jars[$build]}"
    echo "  api:       ${api_jars[$build]}"
done
echo "javapoet:   $javapoet_jar"
echo "input:      $PROTOCOLS protocols x $METHODS methods (+ 1 record), $RUNS runs each, alternating"

declare -A wall cpu
for ((run = 1; run <= RUNS; run++)); do
    line="run $run:"
    read -r seconds cpu_seconds < <(compile "${builds[0]}" without)
    wall[without]+="$seconds "
    cpu[without]+="$cpu_seconds "
    line+=" without ${seconds} s"
    for build in "${builds[@]}"; do
        for mode in with generated; do
            read -r seconds cpu_seconds < <(compile "$build" "$mode")
            wall[$build-$mode]+="$seconds "
            cpu[$build-$mode]+="$cpu_seconds "
            case "$mode" in
                with) read -r generated classes < "$work/counts-$build.txt"
                      line+="; $build: with ${seconds} s ($generated generated sources, $classes classes)" ;;
                generated) line+=", interfaces + generated sources with -proc:none ${seconds} s" ;;
            esac
        done
    done
    echo "$line (wall clock)"
done

for build in "${builds[@]}"; do
    read -r generated classes < "$work/counts-$build.txt"
    (( generated == 3 * PROTOCOLS )) || fail "$build: expected $((3 * PROTOCOLS)) generated sources, found $generated"
done

# report WHAT WITHOUT WITH GENERATED: the medians of one build, in seconds
report() {
    local what="$1" without with generated
    without="$(median ${2})"
    with="$(median ${3})"
    generated="$(median ${4})"
    awk -v what="$what" -v with="$with" -v without="$without" -v generated="$generated" -v n="$PROTOCOLS" \
        -v methods="$METHODS" 'BEGIN {
        printf "%s, median of each:\n", what
        printf "  without the processor (-proc:none):   %6.2f s\n", without
        printf "  with the processor:                   %6.2f s\n", with
        printf "  added by the processor:               %6.2f s = %5.1f ms per protocol = %5.2f s per 1,000 methods (x%.2f)\n",
            with - without, (with - without) * 1000 / n, (with - without) * 1000 / (n * methods), with / without
        printf "    compiling the generated code:       %6.2f s = %5.1f ms per protocol\n",
            generated - without, (generated - without) * 1000 / n
        printf "    the processor itself (the rest):    %6.2f s = %5.1f ms per protocol\n",
            with - generated, (with - generated) * 1000 / n
    }'
}

for unit in wall cpu; do
    for build in "${builds[@]}"; do
        read -r generated classes < "$work/counts-$build.txt"
        if [[ "$unit" == wall ]]; then
            report "$build ($classes classes), wall-clock seconds" "${wall[without]}" "${wall[$build-with]}" "${wall[$build-generated]}"
        else
            report "$build ($classes classes), CPU seconds (user + system)" "${cpu[without]}" "${cpu[$build-with]}" "${cpu[$build-generated]}"
        fi
    done
    if (( ${#builds[@]} == 2 )); then
        if [[ "$unit" == wall ]]; then
            w="${wall[without]}" b="${wall[before-with]}" a="${wall[after-with]}"
        else
            w="${cpu[without]}" b="${cpu[before-with]}" a="${cpu[after-with]}"
        fi
        awk -v without="$(median $w)" -v before="$(median $b)" -v after="$(median $a)" -v unit="$unit" 'BEGIN {
            printf "after / before, time added by the processor (%s): %.0f%%\n\n", unit,
                100 * (after - without) / (before - without)
        }'
    fi
done
