#!/usr/bin/env bash
# Runs a Counterweight command on a cluster through a real spark-submit (from $SPARK_HOME/bin or
# PATH) with the cluster jar and conf/spark-defaults.conf.
#   submit/spark-submit.sh <command> [options] [--master URL]
# --master is handed to spark-submit (default: spark.master from your Spark configuration).
# Extra spark-submit options: SPARK_SUBMIT_ARGS, e.g. "--deploy-mode cluster --executor-memory 4g".
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$HOME_DIR/spark-jobs/target"

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  SUBMIT="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  SUBMIT="$(command -v spark-submit)"
else
  echo "spark-submit.sh: no spark-submit found: set SPARK_HOME or put spark-submit on PATH (or run locally with submit/counterweight)" >&2
  exit 2
fi

JAR="$(ls "$TARGET"/counterweight-spark-jobs-*-cluster.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$JAR" ]; then
  echo "spark-submit.sh: building the cluster jar first (./mvnw -DskipTests package)..." >&2
  (cd "$HOME_DIR" && ./mvnw -B -q -DskipTests package) >&2
  JAR="$(ls "$TARGET"/counterweight-spark-jobs-*-cluster.jar | head -n 1)"
fi

# Hand --master to spark-submit rather than to the application.
MASTER_ARGS=()
APP_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) MASTER_ARGS=(--master "$2"); shift 2 ;;
    --master=*) MASTER_ARGS=(--master "${1#--master=}"); shift ;;
    *) APP_ARGS+=("$1"); shift ;;
  esac
done

# shellcheck disable=SC2086
exec "$SUBMIT" "${MASTER_ARGS[@]}" --properties-file "$HOME_DIR/conf/spark-defaults.conf" \
  ${SPARK_SUBMIT_ARGS:-} --class org.counterweight.cli.Main "$JAR" "${APP_ARGS[@]}"
