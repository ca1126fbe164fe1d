#!/bin/sh
# Training throughput benchmark (BENCHMARKS.md, "Training"). Run from the repository root.
# Usage: tools/bench/run-training-bench.sh [rows] [epochs]
set -e
./mvnw -B -o -q -pl spark-jobs -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/spark-jobs/target/bench-classpath.txt"
OPENS="--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED"
OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive exec java -Xmx3g -XX:+UseParallelGC $OPENS -Dlog4j2.configurationFile=conf/log4j2-test.xml \
  -cp "spark-jobs/target/test-classes:spark-jobs/target/classes:$(cat spark-jobs/target/bench-classpath.txt)" \
  org.counterweight.train.TrainingBenchmark "$@"
