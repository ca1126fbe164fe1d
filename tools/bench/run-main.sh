#!/bin/sh
# Runs a main class from a module's test sources: the benchmarks and probes live there, out of the
# product jars (BENCHMARKS.md has each one's command). Run from the repository root.
# Usage: [BENCH_JAVA_OPTS='-Xmx8g ...'] tools/bench/run-main.sh MODULE CLASS [ARGS...]
#   MODULE: losses or spark-jobs; CLASS: e.g. org.counterweight.losses.bench.LossBench
set -e
if [ $# -lt 2 ]; then
  sed -n '4,5p' "$0" >&2
  exit 2
fi
module=$1
main=$2
shift 2
./mvnw -B -o -q -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$module/target/bench-classpath.txt"
OPENS="--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED"
# One OpenMP thread whose team sleeps between ops, as for the executors (docs/training.md, "Speed").
OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive exec java $BENCH_JAVA_OPTS $OPENS -Dlog4j2.configurationFile=conf/log4j2-test.xml \
  -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench-classpath.txt")" \
  "$main" "$@"
