#!/usr/bin/env bash
# run.sh — the README's "run kafkalint on an example", as a script:
#
#   go build -o kafkalint ./cmd/kafkalint && (cd examples && ../kafkalint ./...)
#
# It builds kafkalint from the repository root, runs it on this module (a
# module of its own, so ./... is run from here) and prints what it reports.
# Extra arguments go to kafkalint (e.g. -json). kafkalint exits 3 when it
# reports something, which is what it should do here; run.sh then exits 0.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

echo '$ go build -o kafkalint ./cmd/kafkalint && (cd examples && ../kafkalint ./...)'
(cd "$root" && go build -o kafkalint ./cmd/kafkalint)
status=0
(cd "$here" && ../kafkalint "$@" ./...) || status=$?
case $status in
0) echo "(kafkalint exited 0: it reported nothing, but every BUG comment in examples/ is a real bug)" >&2; exit 1 ;;
3) echo "(kafkalint exited 3: it reported the bugs above)" >&2 ;;
*) echo "(kafkalint exited $status: an error, not a report)" >&2; exit "$status" ;;
esac
