#!/usr/bin/env bash
# scale.sh — kafkalint at the scale of a service repository, and on changed code,
# next to staticcheck and the floor, ratios in one run (issue 14):
#
#   clientgo  k8s.io/client-go (pinned, every non-test package: 388 packages, 278k
#             lines) in a scratch module:
#               kafkalint-cold  -test=false with an empty per-package cache (first run)
#               kafkalint-warm  the same again, cache filled (no edit)
#               floor           bench/floor -exportdeps: load + type-check from source,
#                               dependencies from export data, SSA of the named
#                               packages, no analysis
#               staticcheck     -tests=false, an empty cache per run
#   edit      a copy of sarama (one 45k-line package) as a module of its own; before
#             each timed run one line of config.go is changed (a comment line
#             inserted near the top, so that every later position moves), then:
#               kafkalint       -test=false . with its cache filled by earlier runs
#               floor           as above, on . (the edited package compiled first, untimed:
#                               go list -export would compile it for the floor's
#                               export data; kafkalint does not ask for it)
#               staticcheck     -tests=false . with its cache filled by earlier runs
#
# Usage: bench/scale.sh [-n RUNS] [-scenarios clientgo,edit] [-rev REV]
#   -n RUNS        timed runs per tool (default 3): best wall, least CPU, largest RSS
#   -rev REV       build kafkalint from commit REV (default HEAD; "worktree" for the
#                  work tree as it is), as bench.sh
# Versions: CLIENT_GO_VERSION, SARAMA_VERSION, STATICCHECK_VERSION. Results:
# bench/out/scale/results.txt; logs of every run in bench/out/scale/logs/.
set -euo pipefail

RUNS=3
SCENARIOS=clientgo,edit
REV=HEAD
while [ $# -gt 0 ]; do
	case $1 in
	-n) RUNS=$2; shift 2 ;;
	-scenarios) SCENARIOS=$2; shift 2 ;;
	-rev) REV=$2; shift 2 ;;
	-h | -help | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "scale.sh: unknown argument $1 (try -h)" >&2; exit 2 ;;
	esac
done
case $RUNS in '' | *[!0-9]* | 0) echo "scale.sh: -n wants a positive number" >&2; exit 2 ;; esac

CLIENT_GO_VERSION=${CLIENT_GO_VERSION:-v0.37.2}
SARAMA_VERSION=${SARAMA_VERSION:-v1.61.1}
STATICCHECK_VERSION=${STATICCHECK_VERSION:-v0.8.2}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out/scale
BIN=$ROOT/bench/out/bin
LOGS=$OUT/logs
mkdir -p "$BIN" "$LOGS"
rm -f "$LOGS"/*
export GOFLAGS=-mod=mod GOWORK=off
# XDG_CACHE_HOME is moved per run for kafkalint's cache; the go build cache
# must stay where it is (it defaults to $XDG_CACHE_HOME/go-build).
GOCACHE=$(go env GOCACHE)
export GOCACHE

say() { printf '%s\n' "$*" >&2; }
has() { case ",$SCENARIOS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# --- binaries -----------------------------------------------------------------
(cd "$ROOT" && go build -o "$BIN/measure" ./bench/measure && go build -o "$BIN/floor" ./bench/floor)
# shellcheck source=bench/source.sh
. "$ROOT/bench/source.sh"
kafkalint_source "$REV" "$ROOT/bench/out/src" # sets SRC and COMMIT
say "== building kafkalint from $COMMIT"
(cd "$SRC" && go build -o "$BIN/kafkalint" ./cmd/kafkalint)
if ! "$BIN/staticcheck" -version 2>/dev/null | grep -q "${STATICCHECK_VERSION#v}"; then
	say "== installing staticcheck $STATICCHECK_VERSION into $BIN"
	GOBIN=$BIN go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi

# --- measuring -----------------------------------------------------------------
# measure DIR NAME CMD... — one run in DIR; prints "wall cpu rss_kb exit".
measure() {
	local dir=$1 name=$2 res
	shift 2
	res=$(cd "$dir" && "$BIN/measure" -o /dev/stdout -stdout "$LOGS/$name.out" -stderr "$LOGS/$name.err" -- "$@")
	printf '%s %s %s %s\n' \
		"$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' <<<"$res")" \
		"$(sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p' <<<"$res")" \
		"$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<<"$res")" \
		"$(sed -n 's/.*exit=\([0-9-]*\).*/\1/p' <<<"$res")"
}

# record KEY "wall cpu rss exit" — keeps the best wall, least CPU, largest RSS.
declare -A WALL CPU RSS EXIT
record() {
	local key=$1 w c r e
	read -r w c r e <<<"$2"
	say "  $key: ${w}s wall, ${c}s CPU, $((r / 1024)) MiB, exit $e"
	if [ -z "${WALL[$key]:-}" ] || awk "BEGIN{exit !($w < ${WALL[$key]})}"; then WALL[$key]=$w; fi
	if [ -z "${CPU[$key]:-}" ] || awk "BEGIN{exit !($c < ${CPU[$key]})}"; then CPU[$key]=$c; fi
	if [ "$r" -gt "${RSS[$key]:-0}" ]; then RSS[$key]=$r; fi
	EXIT[$key]=$e
}

row() { printf '%-26s %9s %9s %10s %5s\n' "$1" "${WALL[$1]}" "${CPU[$1]}" "$(awk -v k="${RSS[$1]}" 'BEGIN{printf "%.0f", k/1024}')" "${EXIT[$1]}"; }

# --- clientgo ------------------------------------------------------------------
if has clientgo; then
	CG=$OUT/clientgo
	mkdir -p "$CG"
	say "== preparing $CG (k8s.io/client-go $CLIENT_GO_VERSION)"
	printf 'module kafkalint.bench/clientgo\n\ngo 1.26\n' >"$CG/go.mod"
	printf '// Package work keeps client-go in go.mod.\npackage work\n\nimport _ "k8s.io/client-go/kubernetes"\n' >"$CG/deps.go"
	rm -f "$CG/go.sum"
	(cd "$CG" && go get "k8s.io/client-go/...@$CLIENT_GO_VERSION" 2>&1 | grep -v '^go: downloading' >&2 || true)
	# Warm the build cache: no tool pays for compiling dependencies.
	(cd "$CG" && go list -export -deps k8s.io/client-go/... >/dev/null)
	for ((i = 1; i <= RUNS; i++)); do
		kcache=$(mktemp -d "$OUT/kafkalint-cache.XXXXXX")
		record cg-kafkalint-cold "$(measure "$CG" cg-kafkalint-cold.$i env XDG_CACHE_HOME="$kcache" "$BIN/kafkalint" -test=false k8s.io/client-go/...)"
		record cg-kafkalint-warm "$(measure "$CG" cg-kafkalint-warm.$i env XDG_CACHE_HOME="$kcache" "$BIN/kafkalint" -test=false k8s.io/client-go/...)"
		rm -rf "$kcache"
		record cg-floor "$(measure "$CG" cg-floor.$i "$BIN/floor" -exportdeps k8s.io/client-go/...)"
		scache=$(mktemp -d "$OUT/staticcheck-cache.XXXXXX")
		record cg-staticcheck "$(measure "$CG" cg-staticcheck.$i env STATICCHECK_CACHE="$scache" "$BIN/staticcheck" -tests=false k8s.io/client-go/...)"
		rm -rf "$scache"
	done
	if ! cmp -s "$LOGS/cg-kafkalint-cold.$RUNS.out" "$LOGS/cg-kafkalint-warm.$RUNS.out"; then
		say "  WARNING: kafkalint's cold and warm outputs differ ($LOGS/cg-kafkalint-*.$RUNS.out)"
	fi
fi

# --- edit ------------------------------------------------------------------------
if has edit; then
	ED=$OUT/sarama
	say "== preparing $ED (a copy of github.com/IBM/sarama $SARAMA_VERSION)"
	src=$(cd "$ROOT" && go mod download -json "github.com/IBM/sarama@$SARAMA_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	rm -rf "$ED"
	cp -r "$src" "$ED"
	chmod -R u+w "$ED"
	(cd "$ED" && go mod download && go list -export -deps . >/dev/null)
	cp "$ED/config.go" "$OUT/config.go.orig"
	edits=0
	# edit — a one-line change: a comment line inserted at line 2 (every later
	# line moves, so export data and every position change).
	edit() {
		edits=$((edits + 1))
		{ head -1 "$OUT/config.go.orig"; echo "// kafkalint bench edit $edits $$"; tail -n +2 "$OUT/config.go.orig"; } >"$ED/config.go"
	}
	kcache=$(mktemp -d "$OUT/kafkalint-cache.XXXXXX")
	scache=$(mktemp -d "$OUT/staticcheck-cache.XXXXXX")
	say "  filling both caches (untimed)"
	(cd "$ED" && XDG_CACHE_HOME=$kcache "$BIN/kafkalint" -test=false . >/dev/null 2>&1) || true
	(cd "$ED" && STATICCHECK_CACHE=$scache "$BIN/staticcheck" -tests=false . >/dev/null 2>&1) || true
	for ((i = 1; i <= RUNS; i++)); do
		edit
		record ed-kafkalint "$(measure "$ED" ed-kafkalint.$i env XDG_CACHE_HOME="$kcache" "$BIN/kafkalint" -test=false .)"
		record ed-kafkalint-nocache "$(measure "$ED" ed-kafkalint-nocache.$i env KAFKALINT_CACHE=off "$BIN/kafkalint" -test=false .)"
		edit
		# The floor's go list -export would compile the edited package for
		# export data nothing needs (kafkalint writes its own): compile it
		# first, untimed, so the floor is load + type-check + SSA only.
		(cd "$ED" && go build . >/dev/null 2>&1) || true
		record ed-floor "$(measure "$ED" ed-floor.$i "$BIN/floor" -exportdeps .)"
		edit
		record ed-staticcheck "$(measure "$ED" ed-staticcheck.$i env STATICCHECK_CACHE="$scache" "$BIN/staticcheck" -tests=false .)"
	done
	cp "$OUT/config.go.orig" "$ED/config.go"
	rm -rf "$kcache" "$scache"
fi

# --- report ----------------------------------------------------------------------
{
	echo "kafkalint scale benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "kafkalint built from $COMMIT; staticcheck $STATICCHECK_VERSION"
	echo "$(go version | cut -d' ' -f3-), $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (other processes make wall times noisy; CPU time much less)"
	echo "best wall, least CPU (user+system, all processes), largest peak RSS of $RUNS runs"
	echo
	printf '%-26s %9s %9s %10s %5s\n' run "wall (s)" "CPU (s)" "RSS (MiB)" exit
	for k in cg-kafkalint-cold cg-kafkalint-warm cg-floor cg-staticcheck ed-kafkalint ed-kafkalint-nocache ed-floor ed-staticcheck; do
		if [ -n "${WALL[$k]:-}" ]; then row "$k"; fi
	done
	echo
	if [ -n "${WALL[cg-staticcheck]:-}" ]; then
		echo "client-go k8s.io/client-go@$CLIENT_GO_VERSION/... (-test=false):"
		compare cg-kafkalint-cold cg-staticcheck "  kafkalint first run/staticcheck" 0.6 1.0
		compare cg-kafkalint-cold cg-floor "  kafkalint first run/floor"
		compare cg-kafkalint-warm cg-staticcheck "  kafkalint repeat run/staticcheck"
	fi
	if [ -n "${WALL[ed-staticcheck]:-}" ]; then
		echo "sarama $SARAMA_VERSION copy, after a one-line edit:"
		compare ed-kafkalint ed-floor "  kafkalint/floor" 1.5
		compare ed-kafkalint ed-staticcheck "  kafkalint/staticcheck re-run" 0.4
		compare ed-kafkalint-nocache ed-floor "  kafkalint -cache off/floor"
	fi
} | tee "$OUT/results.txt"
say "(written to $OUT/results.txt)"
