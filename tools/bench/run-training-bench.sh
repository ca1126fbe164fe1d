#!/bin/sh
# Training throughput benchmark (BENCHMARKS.md, "Training"). Run from the repository root.
# Usage: tools/bench/run-training-bench.sh [rows] [epochs]
BENCH_JAVA_OPTS="-Xmx3g -XX:+UseParallelGC" exec tools/bench/run-main.sh spark-jobs org.counterweight.train.TrainingBenchmark "$@"
