#!/usr/bin/env bash
# run.sh — the README's "run kafkalint on an example", as a script:
#
#   go build -o kafkalint ./cmd/kafkalint && (cd examples && ../kafkalint ./...)
#
# It builds kafkalint from the repository root, runs it on this module (a
# module of its own, so ./... is run from here) and prints what it reports.
# Other arguments go to kafkalint (e.g. -json). kafkalint exits 3 when it
# reports something, which is what it should do here; run.sh then exits 0.
#
# run.sh -check also compares where kafkalint reported (file:line) with the
# lines marked "kafkalint reports here" in the sources: every marked bug must
# be reported and nothing else (the correct code beside each bug must stay
# quiet). It exits 1 when they differ.
#
# EXAMPLE_DIR=dir runs it on another example module beside this one (see
# ../examples-commit/run.sh).
set -euo pipefail
here=$(cd "${EXAMPLE_DIR:-$(dirname "$0")}" && pwd)
root=$(dirname "$here")
name=$(basename "$here")
check=0
if [ "${1:-}" = -check ]; then
	check=1
	shift
fi

echo "\$ go build -o kafkalint ./cmd/kafkalint && (cd $name && ../kafkalint ./...)"
(cd "$root" && go build -o kafkalint ./cmd/kafkalint)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
(cd "$here" && ../kafkalint "$@" ./...) >"$out" 2>&1 || status=$?
cat "$out"
case $status in
0) echo "(kafkalint exited 0: it reported nothing, but each BUG comment in $name/ is a real bug)" >&2 ;;
3) echo "(kafkalint exited 3: it reported the bugs above)" >&2 ;;
*) echo "(kafkalint exited $status: an error, not a report)" >&2; exit "$status" ;;
esac

if [ $check = 1 ]; then
	want=$(cd "$here" && grep -rn --include='*.go' 'kafkalint reports here' . | cut -d: -f1,2 | sed 's|^\./||' | sort)
	# A report's first line is "file:line:col: message"; its related lines
	# have a tab after the position.
	got=$({ grep -E '^[^[:space:]][^:]*:[0-9]+:[0-9]+: [^[:space:]]' "$out" || true; } | cut -d: -f1,2 | sed -e "s|^$here/||" -e 's|^\./||' | sort -u)
	if [ "$want" != "$got" ]; then
		echo "run.sh -check: kafkalint's reports differ from the lines marked \"kafkalint reports here\":" >&2
		diff <(echo "$want" | sed "/^$/d") <(echo "$got" | sed "/^$/d") | sed -n 's/^< /  not reported:  /p; s/^> /  unexpected:    /p' >&2
		exit 1
	fi
	echo "run.sh -check: kafkalint reported exactly the marked lines ($(echo "$want" | wc -l))" >&2
fi
[ $status = 3 ] || exit 1
