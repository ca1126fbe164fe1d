#!/bin/bash
# Resumes issue 15's fair rerun into WAREHOUSE (default /work/runs/fair/results), seed by seed:
# part A (a.conf, code ec4f616) then part B (b.conf, code 4df82c2). Committed cells are skipped.
#   runs/fair16/run.sh 1 2 3 4 5 6 7 8 9 10
# The config hash includes the datasets' resolved paths, so DATA_DIR must be the path the run
# began with (/work/shared/datasets) for a resume to be accepted.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
WAREHOUSE="${WAREHOUSE:-/work/runs/fair/results}"
DATA_DIR="${DATA_DIR:-/work/shared/datasets}"
RUNNERS="${RUNNERS:-/work/runners}"
checkout() {  # checkout DIR COMMIT: a built snapshot of the repository at COMMIT
  if [ ! -x "$1/submit/counterweight" ]; then
    git -C "$repo" worktree add -f "$1" "$2" >/dev/null
    (cd "$1" && ./mvnw -B -q -DskipTests package)
  fi
}
checkout "$RUNNERS/a" ec4f616
checkout "$RUNNERS/b" 4df82c2
for s in "$@"; do
  (cd "$RUNNERS/a" && nice -n 10 submit/counterweight experiment --config "$here/a.conf" --data-dir "$DATA_DIR" \
      --seeds "$s" --run-id "fair16-s$s" --warehouse "$WAREHOUSE")
  (cd "$RUNNERS/b" && nice -n 10 submit/counterweight experiment --config "$here/b.conf" --data-dir "$DATA_DIR" \
      --seeds "$s" --run-id "fair16cb-s$s" --warehouse "$WAREHOUSE")
done
