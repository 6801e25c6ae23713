#!/usr/bin/env python3
"""Ratio of two JMH benchmarks of one JSON result file, with a 95% interval.

Usage: ratio.py RESULTS.json NUMERATOR DENOMINATOR

NUMERATOR and DENOMINATOR are benchmark names or their ends (such as "entityTell"). Prints each
benchmark's mean with JMH's 99.9% error, then the ratio of the means and a 95% Welch interval on
the logarithms of the per-fork means (each fork's mean of its measured iterations), the method of
the remote table of BENCHMARKS.md. Needs SciPy for Student's t quantile.
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


def main():
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
