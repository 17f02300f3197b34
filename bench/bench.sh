#!/usr/bin/env bash
# bench.sh — how long kafkalint takes, and how much memory, next to
#   floor        go/packages load (LoadAllSyntax) + buildssa on the named packages:
#                the cost no analyzer built on SSA can avoid (bench/floor);
#   floor-deps   the same with buildssa on every package in the import graph, what a
#                facts-based analyzer requiring buildssa pays (for reference);
#   staticcheck  honnef.co/go/tools/cmd/staticcheck (pinned), cold cache, -tests=false;
#   go vet       for reference, cold too: go vet caches its results (facts and output)
#                in GOCACHE, so each run passes a -printf.funcs value of its own, which is
#                part of every vet action's cache key.
# on the same three Kafka clients, fetched through the module proxy into a scratch module.
#
# Usage: bench/bench.sh [-n RUNS] [-tools LIST] [-cpuprofile FILE] [-- KAFKALINT_FLAGS...]
#   -n RUNS           runs per tool; the best wall time is reported (default 3)
#   -tools LIST       comma-separated subset of kafkalint,floor,floor-deps,staticcheck,govet
#   -cpuprofile FILE  after timing, run kafkalint once more with -cpuprofile FILE
#                     (only if this kafkalint has the flag)
#   -rev REV          build kafkalint from commit REV (default HEAD, exported with git
#                     archive, so uncommitted work of others is not measured);
#                     -rev worktree builds it from the work tree as it is
#   -- FLAGS          extra flags passed to kafkalint
# Versions can be changed with FRANZ_GO_VERSION, SARAMA_VERSION, KAFKA_GO_VERSION,
# STATICCHECK_VERSION. Results: bench/out/results.txt; logs of every run: bench/out/logs/.
set -euo pipefail

RUNS=3
TOOLS=kafkalint,floor,floor-deps,staticcheck,govet
CPUPROFILE=
REV=HEAD
KAFKALINT_FLAGS=()
while [ $# -gt 0 ]; do
	case $1 in
	-n) RUNS=$2; shift 2 ;;
	-tools) TOOLS=$2; shift 2 ;;
	-cpuprofile) CPUPROFILE=$2; shift 2 ;;
	-rev) REV=$2; shift 2 ;;
	--) shift; KAFKALINT_FLAGS=("$@"); break ;;
	-h | -help | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench.sh: unknown argument $1 (try -h)" >&2; exit 2 ;;
	esac
done
case $RUNS in '' | *[!0-9]* | 0) echo "bench.sh: -n wants a positive number" >&2; exit 2 ;; esac
if [ -n "$CPUPROFILE" ]; then CPUPROFILE=$(realpath -m "$CPUPROFILE"); fi

FRANZ_GO_VERSION=${FRANZ_GO_VERSION:-v1.22.2}
SARAMA_VERSION=${SARAMA_VERSION:-v1.61.1}
KAFKA_GO_VERSION=${KAFKA_GO_VERSION:-v0.4.51}
STATICCHECK_VERSION=${STATICCHECK_VERSION:-v0.8.2}
PKGS=(github.com/twmb/franz-go/pkg/kgo github.com/IBM/sarama github.com/segmentio/kafka-go)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out
BIN=$OUT/bin
WORK=$OUT/work
LOGS=$OUT/logs
mkdir -p "$BIN" "$WORK" "$LOGS"
rm -f "$LOGS"/*

say() { printf '%s\n' "$*" >&2; }
has_tool() { case ",$TOOLS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# --- binaries -----------------------------------------------------------------
(cd "$ROOT" && go build -o "$BIN/measure" ./bench/measure && go build -o "$BIN/floor" ./bench/floor)
# shellcheck source=bench/source.sh
. "$ROOT/bench/source.sh"
kafkalint_source "$REV" "$OUT/src" # sets SRC and COMMIT
KAFKALINT_OK=1
if has_tool kafkalint; then
	say "== building kafkalint from $COMMIT"
	if ! (cd "$SRC" && go build -o "$BIN/kafkalint" ./cmd/kafkalint) 2>"$LOGS/kafkalint.build.txt"; then
		say "kafkalint does not build (see $LOGS/kafkalint.build.txt); it is left out"
		sed 's/^/  /' "$LOGS/kafkalint.build.txt" | head -20 >&2
		KAFKALINT_OK=0
	fi
fi
if has_tool staticcheck; then
	if ! "$BIN/staticcheck" -version 2>/dev/null | grep -q "${STATICCHECK_VERSION#v}"; then
		say "== installing staticcheck $STATICCHECK_VERSION into $BIN"
		GOBIN=$BIN go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
	fi
fi

# --- scratch module with the Kafka clients ---------------------------------------
say "== preparing $WORK"
cat >"$WORK/go.mod" <<EOF
module kafkalint.bench/work

go 1.26
EOF
rm -f "$WORK/go.sum"
{
	echo "// Package work only exists so go mod tidy keeps the benchmarked modules."
	echo "package work"
	echo
	for p in "${PKGS[@]}"; do echo "import _ \"$p\""; done
} >"$WORK/deps.go"
(
	cd "$WORK"
	go get "github.com/twmb/franz-go@$FRANZ_GO_VERSION" "github.com/IBM/sarama@$SARAMA_VERSION" \
		"github.com/segmentio/kafka-go@$KAFKA_GO_VERSION" 2>&1 | grep -v '^go: downloading' >&2 || true
	go mod tidy
	go mod download
	# Warm the build cache (export data, cgo output) so no tool pays for compiling
	# dependencies: staticcheck reads export data through go list -export.
	go list -export -deps "${PKGS[@]}" >/dev/null
)

# --- timing ----------------------------------------------------------------------
# run_tool NAME OK_EXITS CMD... — RUNS timed runs in $WORK; records the best wall
# time, the least CPU time (user+system), the largest peak RSS over the runs and
# the exit code of the last run.
declare -A WALL CPU RSS EXIT NOTE
run_tool() {
	local name=$1 ok_exits=$2
	shift 2
	local best= cpu= rss=0 exit=0 i res
	for ((i = 1; i <= RUNS; i++)); do
		local cache=
		if [ "$name" = staticcheck ]; then
			# A fresh cache per run: staticcheck reads STATICCHECK_CACHE
			# (lintcmd/cache/default.go), else os.UserCacheDir()/staticcheck.
			cache=$(mktemp -d "$OUT/staticcheck-cache.XXXXXX")
		fi
		# A vet flag value no earlier run used makes go vet's cache miss.
		local args=("${@//kafkalintbench.unique/kafkalintbench$$x$i$RANDOM}")
		res=$(cd "$WORK" && STATICCHECK_CACHE=${cache:-${STATICCHECK_CACHE:-}} \
			"$BIN/measure" -o /dev/stdout -stdout "$LOGS/$name.$i.out" -stderr "$LOGS/$name.$i.err" -- "${args[@]}")
		if [ -n "$cache" ]; then rm -rf "$cache"; fi
		local w c r e
		w=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' <<<"$res")
		c=$(sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p' <<<"$res")
		r=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<<"$res")
		e=$(sed -n 's/.*exit=\([0-9-]*\).*/\1/p' <<<"$res")
		say "  $name run $i: ${w}s wall, ${c}s CPU, $((r / 1024)) MiB, exit $e"
		if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best=$w; fi
		if [ -z "$cpu" ] || awk "BEGIN{exit !($c < $cpu)}"; then cpu=$c; fi
		if [ "$r" -gt "$rss" ]; then rss=$r; fi
		exit=$e
	done
	WALL[$name]=$best
	CPU[$name]=$cpu
	RSS[$name]=$rss
	EXIT[$name]=$exit
	case " $ok_exits " in
	*" $exit "*) NOTE[$name]="$(cat "$LOGS/$name.$RUNS.out" "$LOGS/$name.$RUNS.err" | grep -c . || true) output lines" ;;
	*)
		NOTE[$name]="FAILED? exit $exit, see $LOGS/$name.$RUNS.err"
		say "  $name exited $exit; last lines of its stderr:"
		tail -5 "$LOGS/$name.$RUNS.err" | sed 's/^/    /' >&2
		;;
	esac
}

ORDER=()
if has_tool kafkalint && [ $KAFKALINT_OK = 1 ]; then
	say "== kafkalint -test=false -cache=false ${KAFKALINT_FLAGS[*]} (cold: the result cache is off; a repeat run with it on takes ~0.2 s)"
	run_tool kafkalint "0 3" "$BIN/kafkalint" -test=false -cache=false "${KAFKALINT_FLAGS[@]}" "${PKGS[@]}"
	ORDER+=(kafkalint)
fi
if has_tool floor; then
	say "== floor"
	run_tool floor "0" "$BIN/floor" "${PKGS[@]}"
	ORDER+=(floor)
fi
if has_tool floor-deps; then
	say "== floor -deps"
	run_tool floor-deps "0" "$BIN/floor" -deps "${PKGS[@]}"
	ORDER+=(floor-deps)
fi
if has_tool staticcheck; then
	say "== staticcheck -tests=false (cold cache)"
	# Exit 1 is what staticcheck returns when it has findings.
	run_tool staticcheck "0 1" "$BIN/staticcheck" -tests=false "${PKGS[@]}"
	ORDER+=(staticcheck)
fi
if has_tool govet; then
	say "== go vet (cold: a -printf.funcs of its own per run)"
	run_tool govet "0 1" go vet -printf.funcs=kafkalintbench.unique "${PKGS[@]}"
	ORDER+=(govet)
fi

if [ -n "$CPUPROFILE" ] && [ $KAFKALINT_OK = 1 ] && has_tool kafkalint; then
	# Read the whole help first: grep -q would exit early and SIGPIPE kafkalint.
	if grep -q -- '-cpuprofile' <<<"$("$BIN/kafkalint" -h 2>&1 || true)"; then
		say "== kafkalint with -cpuprofile $CPUPROFILE (untimed)"
		(cd "$WORK" && "$BIN/kafkalint" -test=false -cpuprofile "$CPUPROFILE" "${KAFKALINT_FLAGS[@]}" "${PKGS[@]}" >/dev/null 2>&1) || true
		say "   go tool pprof -top $BIN/kafkalint $CPUPROFILE"
	else
		say "kafkalint has no -cpuprofile flag; no profile written"
	fi
fi

# --- report ----------------------------------------------------------------------
{
	echo "kafkalint benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "kafkalint built from $COMMIT"
	echo "$(go version | cut -d' ' -f3-), $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (other processes make times noisy)"
	echo "packages: ${PKGS[*]}"
	echo "versions: franz-go $FRANZ_GO_VERSION, sarama $SARAMA_VERSION, kafka-go $KAFKA_GO_VERSION, staticcheck $STATICCHECK_VERSION"
	echo "kafkalint flags: -test=false -cache=false ${KAFKALINT_FLAGS[*]}"
	echo "best wall time and least CPU time (user+system, all processes) of $RUNS runs;"
	echo "peak RSS is the largest over the runs (for go vet: its largest single process)"
	echo
	printf '%-13s %10s %10s %10s  %s\n' tool "wall (s)" "CPU (s)" "RSS (MiB)" note
	for t in "${ORDER[@]}"; do
		printf '%-13s %10s %10s %10s  %s\n' "$t" "${WALL[$t]}" "${CPU[$t]}" "$(awk -v k="${RSS[$t]}" 'BEGIN{printf "%.0f", k/1024}')" "${NOTE[$t]}"
	done
	if [ -n "${WALL[kafkalint]:-}" ]; then
		echo
		# vs NAME LABEL [TIME_GOAL RSS_GOAL] — kafkalint over NAME.
		vs() { compare kafkalint "$1" "$2" "${3:-}" "${4:-}" 22; }

		if [ -n "${WALL[floor]:-}" ]; then vs floor kafkalint/floor 1.3; fi
		if [ -n "${WALL[floor-deps]:-}" ]; then vs floor-deps kafkalint/floor-deps; fi
		if [ -n "${WALL[staticcheck]:-}" ]; then vs staticcheck kafkalint/staticcheck 0.6 1.0; fi
		if [ -n "${WALL[govet]:-}" ]; then vs govet "kafkalint/go vet"; fi
	fi
} | tee "$OUT/results.txt"
say "(written to $OUT/results.txt)"
