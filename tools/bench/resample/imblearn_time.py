#!/usr/bin/python3
"""Times imbalanced-learn 0.10 on the data ResampleBench wrote, for the same-run baseline.

    imblearn_time.py <dir> <method>      method: smote | nearmiss-1 | nearmiss-2 | nearmiss-3

<dir> holds X.f64 (n x d little-endian float64, row-major), y.i32 (n int32) and shape.txt ("n d").
Only fit_resample is timed (loading is not). Prints one JSON line: wall seconds, process CPU
seconds (all threads) and class counts.
"""
import json
import sys
import time

import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.under_sampling import NearMiss

d, method = sys.argv[1], sys.argv[2]
n, f = (int(v) for v in open(f"{d}/shape.txt").read().split())
X = np.fromfile(f"{d}/X.f64", dtype="<f8").reshape(n, f)
y = np.fromfile(f"{d}/y.i32", dtype="<i4")
if method == "smote":
    sampler = SMOTE(random_state=0)
elif method.startswith("nearmiss-"):
    sampler = NearMiss(version=int(method[-1]))
else:
    raise SystemExit(f"unknown method {method}")
t0 = time.perf_counter()
c0 = time.process_time()
_, yr = sampler.fit_resample(X, y)
seconds = time.perf_counter() - t0
cpu = time.process_time() - c0
u, c = np.unique(yr, return_counts=True)
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "counts": {str(int(a)): int(b) for a, b in zip(u, c)}}))
