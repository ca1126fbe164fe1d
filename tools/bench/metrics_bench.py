#!/usr/bin/python3
"""Metrics benchmark: Counterweight's MetricsEvaluator (Spark, local[2]) vs scikit-learn on the
same rows, in the same run. See BENCHMARKS.md ("Evaluation metrics") for results.

Usage (from the repository root, after `./mvnw -B -o -pl spark-jobs -am test-compile`):
    /usr/bin/python3 tools/bench/metrics_bench.py [rows] [repetitions] [classes, e.g. 2,10]

Both sides generate the rows from the row id with splitmix64 (see MetricsBenchmark.java) and hold
them in memory; each side times only the metric computation (all metrics of METHODS.md section 5).
The script also checks that both sides agree to 1e-9.
"""
import os
import subprocess
import sys
import time

import numpy as np
from imblearn.metrics import geometric_mean_score
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score,
                             confusion_matrix, matthews_corrcoef, precision_recall_fscore_support,
                             roc_auc_score)
from sklearn.preprocessing import label_binarize

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def splitmix64(x):
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def uniform(ids, stream):
    return (splitmix64(ids * np.uint64(16) + np.uint64(stream)) >> np.uint64(11)).astype(np.float64) * (
        1.0 / 9007199254740992.0)


def generate(rows, k):
    ids = np.arange(rows, dtype=np.uint64)
    u0 = uniform(ids, 0)
    y = (u0 < 0.1).astype(np.int64) if k == 2 else np.floor(float(k) * (u0 * u0)).astype(np.int64)
    s = [uniform(ids, c + 1) + np.where(y == c, 0.7, 0.0) for c in range(k)]
    total = s[0]
    for c in range(1, k):
        total = total + s[c]
    prob = np.stack([s[c] / total for c in range(k)], axis=1)
    return y, np.argmax(prob, axis=1), prob


def sklearn_metrics(y, p, prob):
    k = prob.shape[1]
    labels = list(range(k))
    cm = confusion_matrix(y, p, labels=labels)
    _, _, f1, support = precision_recall_fscore_support(y, p, labels=labels, zero_division=0)
    present = [c for c in labels if support[c] > 0]
    minority = max(c for c in present if support[c] == min(support[x] for x in present))
    out = {
        "accuracy": accuracy_score(y, p),
        "balanced_accuracy": balanced_accuracy_score(y, p),
        "f1_macro": float(np.mean(f1)),
        "f1_minority": f1[minority],
        "g_mean": geometric_mean_score(y, p, labels=labels),
        "mcc": matthews_corrcoef(y, p),
    }
    if k == 2:
        out["auc_roc"] = roc_auc_score(y, prob[:, 1])
        out["average_precision"] = average_precision_score(y == minority, prob[:, minority])
    else:
        out["auc_roc"] = roc_auc_score(y, prob, multi_class="ovr", average="macro", labels=labels)
        out["average_precision"] = average_precision_score(label_binarize(y, classes=labels), prob, average="macro")
    assert cm.sum() == len(y)
    return out


def spark_side(rows, k, reps):
    cp_file = os.path.join(ROOT, "spark-jobs", "target", "bench-classpath.txt")
    # compile in the same reactor so the losses module resolves to its target/classes (never `install`)
    subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-o", "-q", "-pl", "spark-jobs", "-am", "test-compile",
                    "dependency:build-classpath", "-Dmdep.outputFile=" + cp_file], cwd=ROOT, check=True)
    with open(cp_file) as f:
        cp = ":".join([os.path.join(ROOT, "spark-jobs", "target", "test-classes"),
                       os.path.join(ROOT, "spark-jobs", "target", "classes"), f.read().strip()])
    opens = ("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
             "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED "
             "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED").split()
    cmd = ["java", "-Xmx8g"] + opens + ["-Dlog4j2.configurationFile=" + os.path.join(ROOT, "conf", "log4j2-test.xml"),
                                        "-cp", cp, "org.counterweight.evaluate.MetricsBenchmark", str(rows), str(k),
                                        str(reps)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True,
                         env=dict(os.environ, OMP_NUM_THREADS="1")).stdout
    times = [float(l.split()[1]) for l in out.splitlines() if l.startswith("TIME ")]
    results = {l.split()[1]: float(l.split()[2]) for l in out.splitlines() if l.startswith("RESULT ")}
    return times, results


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    class_counts = [int(c) for c in sys.argv[3].split(",")] if len(sys.argv) > 3 else [2, 10]
    print(f"rows={rows} repetitions={reps} cpus={os.cpu_count()} load={os.getloadavg()[0]:.1f}")
    for k in class_counts:
        spark_times, spark_results = spark_side(rows, k, reps)
        y, p, prob = generate(rows, k)
        sk_times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            sk = sklearn_metrics(y, p, prob)
            sk_times.append(time.perf_counter() - t0)
        worst = max(abs(sk[m] - spark_results[m]) for m in sk)
        print(f"K={k}: spark local[2] best {min(spark_times):.2f}s (all {['%.2f' % t for t in spark_times]}); "
              f"scikit-learn best {min(sk_times):.2f}s (all {['%.2f' % t for t in sk_times]}); "
              f"ratio spark/sklearn {min(spark_times) / min(sk_times):.2f}; max |difference| {worst:.2e}")
        assert worst < 1e-9, (sk, spark_results)
        del y, p, prob


if __name__ == "__main__":
    main()
