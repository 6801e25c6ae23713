#!/usr/bin/env python3
"""Ratio of two JMH benchmarks of one JSON result file, with a 95% interval.

Usage: ratio.py RESULTS.json NUMERATOR DENOMINATOR
       ratio.py --paired RESULTS.json[,MORE.json ...] BENCHMARK NUMERATOR DENOMINATOR

NUMERATOR and DENOMINATOR are benchmark names or their ends (such as "entityTell"). Prints each
benchmark's mean with JMH's 99.9% error, then the ratio of the means and a 95% Welch interval on
the logarithms of the per-fork means (each fork's mean of its measured iterations), the method of
the remote table of BENCHMARKS.md. Needs SciPy for Student's t quantile.

With --paired, NUMERATOR and DENOMINATOR are two secondary results (JMH AuxCounters) of one
benchmark measured in the same forks, such as "directNanos" and "entityNanos" of pairedTell: each
fork's ratio is the sum of NUMERATOR over its measured iterations divided by that of DENOMINATOR,
and the interval is Student's on the logarithms of those per-fork ratios (a paired comparison:
what differs from fork to fork cancels out of each ratio). The forks of every file are pooled.
"""
import json
import math
import statistics
import sys

from scipy.stats import t as student_t


def find(results, name):
    matches = [r for r in results if r["benchmark"] == name or r["benchmark"].endswith("." + name)]
    if len(matches) != 1:
        sys.exit(f"{len(matches)} benchmarks match '{name}' in the results: "
                 + ", ".join(r["benchmark"] for r in results))
    return matches[0]


def fork_logs(result):
    forks = result["primaryMetric"]["rawData"]
    if len(forks) < 2:
        sys.exit(f"{result['benchmark']} has {len(forks)} fork(s); the interval needs at least 2.")
    return [math.log(statistics.fmean(iterations)) for iterations in forks]


def paired(files, name, numerator, denominator):
    ratios = []
    for path in files.split(","):
        with open(path) as file:
            result = find(json.load(file), name)
        metrics = result.get("secondaryMetrics", {})
        for counter in (numerator, denominator):
            if counter not in metrics:
                sys.exit(f"{path}: {result['benchmark']} has no secondary result '{counter}'; it has: "
                         + ", ".join(metrics))
        for num, den in zip(metrics[numerator]["rawData"], metrics[denominator]["rawData"]):
            if sum(den) <= 0 or sum(num) <= 0:
                sys.exit(f"{path}: a fork of {result['benchmark']} has no positive {numerator} or {denominator}")
            ratios.append(sum(num) / sum(den))
    if len(ratios) < 2:
        sys.exit(f"{len(ratios)} fork(s) of {name}; the interval needs at least 2.")
    logs = [math.log(r) for r in ratios]
    mean = statistics.fmean(logs)
    half = student_t.ppf(0.975, len(logs) - 1) * statistics.stdev(logs) / math.sqrt(len(logs))
    print(f"{name}: {numerator} / {denominator} per fork ({len(ratios)} forks): "
          + " ".join(f"{r:.3f}" for r in ratios))
    print(f"geometric mean {math.exp(mean):.4f}, 95% interval {math.exp(mean - half):.4f} to"
          f" {math.exp(mean + half):.4f} (paired, t with {len(logs) - 1} df)")


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "--paired":
        paired(*sys.argv[2:])
        return
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[1]) as file:
        results = json.load(file)
    a, b = find(results, sys.argv[2]), find(results, sys.argv[3])
    for r in (a, b):
        m = r["primaryMetric"]
        print(f"{r['benchmark']}: {m['score']:.6g} ± {m['scoreError']:.3g} {m['scoreUnit']}")
    la, lb = fork_logs(a), fork_logs(b)
    va, vb = statistics.variance(la) / len(la), statistics.variance(lb) / len(lb)
    diff = statistics.fmean(la) - statistics.fmean(lb)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(la) - 1) + vb ** 2 / (len(lb) - 1)) if se > 0 else float("inf")
    q = student_t.ppf(0.975, df)
    ratio = a["primaryMetric"]["score"] / b["primaryMetric"]["score"]
    print(f"ratio of the means: {ratio:.4f}")
    print(f"95% interval: {math.exp(diff - q * se):.4f} to {math.exp(diff + q * se):.4f}"
          f" (geometric ratio of fork means {math.exp(diff):.4f}, Welch df {df:.1f})")


if __name__ == "__main__":
    main()
