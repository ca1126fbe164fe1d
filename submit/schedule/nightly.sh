#!/usr/bin/env bash
# One scheduled batch evaluation: runs an experiment with a dated run id into a persistent
# warehouse, then rebuilds the report over the recent runs (with a trend chart per method).
# Re-running on the same day resumes that day's run (same run id), so an interrupted night goes on
# where it stopped; with a changed config the experiment is refused (exit 2): set another RUN_ID.
#
# Settings (environment):
#   CONFIG      experiment definition          (default: conf/quickstart.conf)
#   WAREHOUSE   persistent results store        (default: /var/lib/counterweight/results)
#   REPORT_DIR  where report.md/report.html go  (default: $WAREHOUSE/../report)
#   SINCE_DAYS  runs shown in the trend         (default: 30)
#   RUN_ID      run id                          (default: nightly-<UTC date>)
#   DATA_DIR    value of ${data-dir} in CONFIG  (optional)
#   LAUNCHER    submit/counterweight (local, default) or submit/spark-submit.sh (cluster)
#   MASTER      Spark master URL, e.g. spark://host:7077 or yarn (optional)
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONFIG="${CONFIG:-$HOME_DIR/conf/quickstart.conf}"
WAREHOUSE="${WAREHOUSE:-/var/lib/counterweight/results}"
REPORT_DIR="${REPORT_DIR:-$(dirname "$WAREHOUSE")/report}"
SINCE_DAYS="${SINCE_DAYS:-30}"
RUN_ID="${RUN_ID:-nightly-$(date -u +%Y-%m-%d)}"
LAUNCHER="${LAUNCHER:-$HOME_DIR/submit/counterweight}"

args=()
[ -n "${MASTER:-}" ] && args+=(--master "$MASTER")
data=()
[ -n "${DATA_DIR:-}" ] && data+=(--data-dir "$DATA_DIR")

echo "$(date -u +%FT%TZ) nightly: run $RUN_ID of $CONFIG into $WAREHOUSE"
status=0
"$LAUNCHER" experiment --config "$CONFIG" --run-id "$RUN_ID" --warehouse "$WAREHOUSE" "${data[@]}" "${args[@]}" || status=$?
# The report only counts finished runs, so it is safe to rebuild even after a failed night.
"$LAUNCHER" report --warehouse "$WAREHOUSE" --since "$(date -u -d "$SINCE_DAYS days ago" +%Y-%m-%d)" \
  --output "$REPORT_DIR" "${args[@]}"
echo "$(date -u +%FT%TZ) nightly: run $RUN_ID exit $status; report in $REPORT_DIR"
exit "$status"
