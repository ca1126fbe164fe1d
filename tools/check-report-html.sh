#!/usr/bin/env bash
# Checks a Counterweight report.html in a real browser (Debian's headless Chromium):
#   1. renders the page and fails on ANY console message (the report has no scripts, so any
#      message is an error: a blocked resource, a parse error, an undecodable chart, ...);
#   2. fails unless every chart image decoded (a probe script, added to a temporary copy of the
#      page only, checks each <img> and records the result in the page title);
#   3. writes a full-page screenshot (default: next to the report, report.png).
# Runs offline: background networking, component updates and first-run tasks are disabled.
#
# Usage:   tools/check-report-html.sh path/to/report.html [screenshot.png]
# Needs:   apt-get install -y chromium
# Example: the report test leaves a sample in spark-jobs/target/report-test/:
#   ./mvnw -B -o -pl spark-jobs -am test -Dtest=ReportBuilderTest -Dsurefire.failIfNoSpecifiedTests=false
#   tools/check-report-html.sh spark-jobs/target/report-test/report.html
set -euo pipefail

if [[ $# -lt 1 || ! -f "$1" ]]; then
  echo "usage: $0 report.html [screenshot.png]" >&2
  exit 2
fi
html=$(readlink -f "$1")
shot=${2:-"${html%.html}.png"}
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" ]]; then
  echo "error: chromium not found (apt-get install -y chromium)" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --no-first-run --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 --virtual-time-budget=10000)

# The probe: the report plus a script that checks every image decoded, in the same directory so
# relative references resolve as in the original.
probe="$(dirname "$html")/.probe-$$.html"
trap 'rm -rf "$tmp" "$probe"' EXIT
probe_js='<script>window.addEventListener("load",function(){var b=[],i,im=document.images;for(i=0;i<im.length;i++){if(!im[i].complete||im[i].naturalWidth<1){b.push(im[i].alt);console.error("chart did not render: "+im[i].alt);}}document.title="CHECK "+(b.length?"FAIL":"OK")+" "+im.length;});</script>'
# (the script avoids '&' and '#', which sed's replacement would interpret)
sed "s#</body>#${probe_js}</body>#" "$html" > "$probe"

"$browser" "${flags[@]}" --dump-dom "file://$probe" > "$tmp/dom.html" 2> "$tmp/probe.log" || true
"$browser" "${flags[@]}" --window-size=1200,1600 --screenshot="$shot" "file://$html" > /dev/null 2> "$tmp/page.log" || true

status=0
if grep -h "CONSOLE" "$tmp/page.log" "$tmp/probe.log"; then
  echo "FAIL: console messages while rendering $html" >&2
  status=1
fi
title=$(grep -o '<title>CHECK [A-Z]* [0-9]*</title>' "$tmp/dom.html" || true)
if [[ "$title" != *"CHECK OK"* ]]; then
  echo "FAIL: images did not all render (${title:-page did not load})" >&2
  status=1
fi
if [[ ! -s "$shot" ]]; then
  echo "FAIL: no screenshot written" >&2
  status=1
fi
if [[ $status -eq 0 ]]; then
  images=${title//[!0-9]/}
  echo "OK: $html rendered with no console messages; $images chart images decoded; screenshot $shot"
fi
exit $status
