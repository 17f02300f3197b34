#!/usr/bin/env bash
# realcode.sh — run the built kafkalint on real Kafka clients from the module proxy.
# Each target gets its own scratch module (bench/out/realcode/work/<name>) so
# versions don't clash. Output of each target: bench/out/realcode/<name>.txt
# (reports as text, with related positions and kafkalint's stderr), <name>.json (raw
# -json output); then a summary of reports per check per target is printed and
# written to bench/out/realcode/summary.txt.
#
# Usage: bench/realcode.sh [-targets LIST] [-list] [-- KAFKALINT_FLAGS...]
#   -targets LIST  comma-separated target names (default: all; see -list)
#   -list          print the targets and exit
#   -rev REV       build kafkalint from commit REV (default HEAD, via git archive);
#                  -rev worktree builds it from the work tree as it is
#   -- FLAGS       extra flags for kafkalint (e.g. -- -lockorder.xxx=true)
# KAFKALINT=/path/to/binary uses that binary instead of building ./cmd/kafkalint.
# Needs only the Go toolchain and the module proxy (and gcc for the cgo target).
set -euo pipefail

# name|module@version|packages to analyze (space separated; ... patterns allowed)
TARGETS=(
	"kgo-latest|github.com/twmb/franz-go@latest|github.com/twmb/franz-go/pkg/kgo"
	"kgo-v1.13.0|github.com/twmb/franz-go@v1.13.0|github.com/twmb/franz-go/pkg/kgo"
	"kgo-v1.13.1|github.com/twmb/franz-go@v1.13.1|github.com/twmb/franz-go/pkg/kgo"
	"kgo-v1.17.1|github.com/twmb/franz-go@v1.17.1|github.com/twmb/franz-go/pkg/kgo"
	"kgo-v1.18.0|github.com/twmb/franz-go@v1.18.0|github.com/twmb/franz-go/pkg/kgo"
	"sarama|github.com/IBM/sarama@latest|github.com/IBM/sarama"
	"kafka-go|github.com/segmentio/kafka-go@latest|github.com/segmentio/kafka-go"
	"kafka-go-all|github.com/segmentio/kafka-go@latest|github.com/segmentio/kafka-go/..."
	"confluent|github.com/confluentinc/confluent-kafka-go/v2@latest|github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

PICK=
REV=HEAD
KAFKALINT_FLAGS=()
while [ $# -gt 0 ]; do
	case $1 in
	-targets) PICK=$2; shift 2 ;;
	-rev) REV=$2; shift 2 ;;
	-list) for t in "${TARGETS[@]}"; do IFS='|' read -r n m p <<<"$t"; printf '%-14s %s  %s\n' "$n" "$m" "$p"; done; exit 0 ;;
	--) shift; KAFKALINT_FLAGS=("$@"); break ;;
	-h | -help | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "realcode.sh: unknown argument $1 (try -h)" >&2; exit 2 ;;
	esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/realcode
BIN=$ROOT/bench/out/bin
mkdir -p "$OUT/work" "$BIN"
say() { printf '%s\n' "$*" >&2; }

(cd "$ROOT" && go build -o "$BIN/measure" ./bench/measure && go build -o "$BIN/summary" ./bench/summary)
KAFKALINT=${KAFKALINT:-}
if [ -n "$KAFKALINT" ]; then
	COMMIT="$KAFKALINT (prebuilt)"
else
	# shellcheck source=bench/source.sh
	. "$ROOT/bench/source.sh"
	kafkalint_source "$REV" "$ROOT/bench/out/src" # sets SRC and COMMIT
	say "== building kafkalint from $COMMIT"
	KAFKALINT=$BIN/kafkalint
	(cd "$SRC" && go build -o "$KAFKALINT" ./cmd/kafkalint)
fi
JSON=0
# Read the whole help first: grep -q would exit early and SIGPIPE kafkalint.
HELP=$("$KAFKALINT" -h 2>&1 || true)
if grep -q -- '-json' <<<"$HELP"; then JSON=1; else say "kafkalint has no -json flag: reports are counted from its text output"; fi

# prepare NAME MODULE@VERSION PKGS... — scratch module whose deps.go imports the
# packages to analyze, so go mod tidy records every module they need.
prepare() {
	local dir=$1 modver=$2
	shift 2
	rm -rf "$dir" && mkdir -p "$dir"
	printf 'module kafkalint.realcode/work\n\ngo 1.26\n' >"$dir/go.mod"
	(cd "$dir" && go get "$modver") || return 1
	local imports=() p
	for p in "$@"; do
		if [[ $p == *... ]]; then
			# Every importable, non-main package the pattern matches.
			mapfile -t -O "${#imports[@]}" imports < <(cd "$dir" && go list -e -f '{{if ne .Name "main"}}{{.ImportPath}}{{end}}' "$p" | grep -v -e '/internal/' -e '/internal$' -e '^$')
		else
			imports+=("$p")
		fi
	done
	{
		echo "// Package work only exists so go mod tidy keeps what kafkalint analyzes."
		echo "package work"
		echo
		for p in "${imports[@]}"; do echo "import _ \"$p\""; done
	} >"$dir/deps.go"
	(cd "$dir" && go mod tidy) || return 1
}

ROWS=()
SUMMARY_ARGS=()
for t in "${TARGETS[@]}"; do
	IFS='|' read -r name modver pkgs <<<"$t"
	if [ -n "$PICK" ] && [[ ",$PICK," != *",$name,"* ]]; then continue; fi
	read -r -a pkglist <<<"$pkgs"
	dir=$OUT/work/$name
	say "== $name: $modver"
	if ! prepare "$dir" "$modver" "${pkglist[@]}"; then
		say "   could not set up the module for $name"
		ROWS+=("$name|?|setup failed|||")
		continue
	fi
	version=$(cd "$dir" && go list -m -f '{{.Version}}' "${modver%@*}")
	flags=(-test=false)
	if [ $JSON = 1 ]; then flags+=(-json); fi
	res=$(cd "$dir" && "$BIN/measure" -o /dev/stdout -stdout "$OUT/$name.json" -stderr "$OUT/$name.stderr" -- \
		"$KAFKALINT" "${flags[@]}" "${KAFKALINT_FLAGS[@]}" "${pkglist[@]}")
	wall=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' <<<"$res")
	rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<<"$res")
	code=$(sed -n 's/.*exit=\([0-9-]*\).*/\1/p' <<<"$res")
	{
		echo "# kafkalint ${flags[*]} ${KAFKALINT_FLAGS[*]} ${pkglist[*]}"
		echo "# module ${modver%@*} $version; exit $code; ${wall}s; $((rss / 1024)) MiB peak RSS"
		if [ $JSON = 1 ] && [ -s "$OUT/$name.json" ]; then
			"$BIN/summary" -text "$OUT/$name.json" || cat "$OUT/$name.json"
		else
			cat "$OUT/$name.json"
		fi
		if [ -s "$OUT/$name.stderr" ]; then
			echo "# stderr:"
			cat "$OUT/$name.stderr"
		fi
	} >"$OUT/$name.txt"
	case $code in
	0 | 3) status=ok ;;
	*)
		status="exit $code"
		say "   kafkalint exited $code; why (first lines of stderr):"
		head -8 "$OUT/$name.stderr" | sed 's/^/     /' >&2
		;;
	esac
	if [ $JSON = 1 ]; then
		if [ -s "$OUT/$name.json" ]; then SUMMARY_ARGS+=("$name=$OUT/$name.json"); fi
		n=$(grep -cE '^[^# 	][^ ]*:[0-9]+:[0-9]+: ' "$OUT/$name.txt" || true)
	else
		n=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: ' "$OUT/$name.json" || true)
	fi
	say "   $version: $n reports, exit $code, ${wall}s, $((rss / 1024)) MiB"
	ROWS+=("$name|$version|$status|$n|$wall|$((rss / 1024))")
done

{
	echo "kafkalint on real code — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "kafkalint: $COMMIT"
	echo "flags: -test=false ${KAFKALINT_FLAGS[*]}"
	echo
	printf '%-14s %-10s %-8s %8s %9s %9s\n' target version status reports "wall (s)" "RSS (MiB)"
	for r in "${ROWS[@]}"; do
		IFS='|' read -r n v s c w m <<<"$r"
		printf '%-14s %-10s %-8s %8s %9s %9s\n' "$n" "$v" "$s" "$c" "$w" "$m"
	done
	if [ ${#SUMMARY_ARGS[@]} -gt 0 ]; then
		echo
		echo "reports per check (checks that reported nothing anywhere are not listed):"
		"$BIN/summary" -table "${SUMMARY_ARGS[@]}" || true
	fi
	echo
	echo "each target's reports: $OUT/<target>.txt"
} | tee "$OUT/summary.txt"
