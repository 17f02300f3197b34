#!/usr/bin/env bash
# corpus.sh — run kafkalint over a corpus of widely used Go modules (the pinned
# list in bench/corpus-modules.txt) and write one table: module, packages,
# lines, wall and CPU time, peak RSS, reports per check, load errors, crashes
# (panics), timeouts and budget hits. One kafkalint runs at a time, with
# -test=false (-tests: a second pass with test files), its result cache off;
# the Go build cache is warmed before each module and that time kept apart.
#
# Each module gets a scratch module of its own, bench/out/corpus/work/<name>,
# whose deps.go imports the module's packages so go mod tidy records what they
# need (set up once; kept while its line in the list is unchanged). Results:
#   bench/out/corpus/table.md      the table (markdown), with totals
#   bench/out/corpus/results.tsv   the same, one line per module, tab-separated
#   bench/out/corpus/<name>.txt    the reports (text, with related positions)
#   bench/out/corpus/<name>.json   kafkalint -json output
#   bench/out/corpus/<name>.stderr kafkalint's stderr (-debug timings, errors,
#                                  budget hits, a goroutine dump if it timed out)
#   bench/out/corpus/determinism.txt  the result of -determinism
#
# Usage: bench/corpus.sh [-from FILE] [-modules LIST] [-list] [-timeout SECS] [-rev REV]
#                        [-prepare] [-tests] [-determinism LIST] [-- KAFKALINT_FLAGS...]
#   -from FILE         the module list to run instead of bench/corpus-modules.txt
#                      (same format; e.g. bench/outside-modules.txt); everything
#                      below bench/out/corpus/ then goes to bench/out/<FILE's name
#                      without .txt>/ instead, so the corpus's results are kept
#   -modules LIST      comma-separated names from the list (default: all)
#   -list              print the modules and exit
#   -timeout SECS      per-module limit (default 600); kafkalint gets SIGQUIT
#                      (a goroutine dump in <name>.stderr) then SIGKILL 30 s later
#   -rev REV           build kafkalint from commit REV (default HEAD, git archive);
#                      -rev worktree builds it from the work tree as it is
#   -prepare           only set up the scratch modules (downloads), run nothing
#   -tests             analyze test files too (-test=true), in scratch modules of
#                      their own (bench/out/corpus/work-tests/<name>, which also hold
#                      the test dependencies); results under bench/out/corpus/tests/
#   -determinism LIST  instead of the table: for each named module run the CLI
#                      twice (text, then -json) and go vet -vettool twice (two
#                      copies of one warmed GOCACHE, so vet is cold both times and
#                      only compiles once), and compare the outputs and every
#                      package's facts file (vet.out) byte for byte (go vet's
#                      output also as a sorted set: it prints packages as they end)
#   -- FLAGS           extra flags for kafkalint
# KAFKALINT=/path/to/binary uses that binary instead of building one.
# CORPUS_LIST=file uses another module list. Needs the Go toolchain, the module
# proxy, and gcc for the cgo modules.
set -euo pipefail
# Cold runs: no result cache of the CLI (commit 00473b8), so times and the
# determinism check measure real work.
export KAFKALINT_CACHE=off

PICK=
TIMEOUT=600
REV=HEAD
PREPARE_ONLY=0
TESTS=0
DETERMINISM=
KAFKALINT_FLAGS=()
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIST=${CORPUS_LIST:-$ROOT/bench/corpus-modules.txt}
OUTNAME=corpus

# modules prints the list without comments and blank lines, fields trimmed:
# name|modules|patterns.
modules() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$LIST" |
		awk -F'|' '{ for (i = 1; i <= NF; i++) { gsub(/^[ \t]+|[ \t]+$/, "", $i); gsub(/[ \t]+/, " ", $i) } print $1 "|" $2 "|" $3 }'
}

while [ $# -gt 0 ]; do
	case $1 in
	-from) LIST=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") OUTNAME=$(basename "$2" .txt); shift 2 ;;
	-modules) PICK=$2; shift 2 ;;
	-timeout) TIMEOUT=$2; shift 2 ;;
	-rev) REV=$2; shift 2 ;;
	-prepare) PREPARE_ONLY=1; shift ;;
	-tests) TESTS=1; shift ;;
	-determinism) DETERMINISM=$2; shift 2 ;;
	-list) modules | while IFS='|' read -r n m p; do printf '%-18s %s\n%18s   %s\n' "$n" "$m" "" "$p"; done; exit 0 ;;
	--) shift; KAFKALINT_FLAGS=("$@"); break ;;
	-h | -help | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "corpus.sh: unknown argument $1 (try -h)" >&2; exit 2 ;;
	esac
done
case $TIMEOUT in '' | *[!0-9]* | 0) echo "corpus.sh: -timeout wants a positive number of seconds" >&2; exit 2 ;; esac

[ -f "$LIST" ] || { echo "corpus.sh: no module list $LIST" >&2; exit 2; }
OUT=$ROOT/bench/out/$OUTNAME
BIN=$OUT/bin
mkdir -p "$OUT/work" "$BIN"
say() { printf '%s\n' "$*" >&2; }
picked() { [ -z "$1" ] || [[ ",$1," == *",$2,"* ]]; }

# --- binaries -------------------------------------------------------------------
(cd "$ROOT" && go build -o "$BIN/measure" ./bench/measure && go build -o "$BIN/summary" ./bench/summary)
KAFKALINT=${KAFKALINT:-}
if [ -n "$KAFKALINT" ]; then
	COMMIT="$KAFKALINT (prebuilt)"
elif [ $PREPARE_ONLY = 0 ]; then
	# shellcheck source=bench/source.sh
	. "$ROOT/bench/source.sh"
	kafkalint_source "$REV" "$OUT/src" # sets SRC and COMMIT
	say "== building kafkalint from $COMMIT"
	KAFKALINT=$BIN/kafkalint
	(cd "$SRC" && go build -o "$KAFKALINT" ./cmd/kafkalint)
fi

# --- scratch modules -------------------------------------------------------------
# prepare DIR SPEC MODULES PATTERNS — a module requiring MODULES whose deps.go
# imports every importable non-main package PATTERNS match. Skipped when DIR
# was prepared from the same SPEC line with the same Go.
prepare() {
	local dir=$1 spec=$2 mods=$3 pats=$4 stamp
	stamp="$spec|$(go env GOVERSION)|prepare v2"
	if [ -f "$dir/.spec" ] && [ "$(cat "$dir/.spec")" = "$stamp" ] && [ -f "$dir/go.sum" ]; then return 0; fi
	rm -rf "$dir" && mkdir -p "$dir"
	printf 'module kafkalint.corpus/work\n\ngo 1.26\n' >"$dir/go.mod"
	local modlist patlist imports=()
	read -r -a modlist <<<"$mods"
	read -r -a patlist <<<"$pats"
	(cd "$dir" && go get "${modlist[@]}" 2>&1 | grep -v '^go: \(downloading\|added\|upgraded\)' >&2) || true
	mapfile -t imports < <(cd "$dir" && go list -e -f '{{if ne .Name "main"}}{{.ImportPath}}{{end}}' "${patlist[@]}" 2>/dev/null |
		grep -v -e '/internal/' -e '/internal$' -e '^$' -e '/vendor/' -e '\.\.\.' || true)
	if [ ${#imports[@]} = 0 ]; then
		say "   no importable package matches $pats"
		return 1
	fi
	{
		echo "// Package work only exists so go mod tidy keeps what kafkalint analyzes."
		echo "package work"
		echo
		for p in "${imports[@]}"; do echo "import _ \"$p\""; done
	} >"$dir/deps.go"
	# tidy -e when tidy fails: a test of a dependency that needs a module the
	# proxy does not serve must not stop it. (Not -e first: go1.26.8's tidy -e
	# leaves "updates to go.mod needed" on some modules that plain tidy settles.)
	if ! (cd "$dir" && go mod tidy >"$dir/tidy.log" 2>&1); then
		(cd "$dir" && go mod tidy -e 2>&1 | grep -v '^go: \(downloading\|finding\|found\)' >&2) || true
	fi
	# Packages no importable package imports (internal ones, commands) may need
	# modules tidy did not keep, and a ... pattern needs every nested module it
	# reaches in go.mod: -mod=mod lets go list add them.
	(cd "$dir" && go list -mod=mod -e -deps "${patlist[@]}" >/dev/null 2>&1) || true
	# go get, tidy and go list must not have moved the pinned versions.
	local m
	for m in "${modlist[@]}"; do
		local got
		got=$(cd "$dir" && go list -m -f '{{.Version}}' "${m%@*}" 2>/dev/null || true)
		if [ "$got" != "${m##*@}" ]; then
			say "   $m: the scratch module has ${got:-nothing}"
			return 1
		fi
	done
	echo "$stamp" >"$dir/.spec"
}

# count DIR PATTERNS — sets PKGS (packages matched), LINES (lines of their
# non-test .go files, cgo files included, as go list selects them for this
# GOOS/GOARCH), CGO (packages with cgo files), GENERIC (files declaring a type
# parameter), RANGEFUNC (files using iter.Seq or a yield func), LISTERR
# (packages go list reports an error for).
count() {
	local dir=$1 pats=$2 patlist files
	read -r -a patlist <<<"$pats"
	files=$(mktemp)
	local tmpl='{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .CgoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}'
	if [ "$TESTS" = 1 ]; then
		tmpl="$tmpl"'{{range .TestGoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .XTestGoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}'
	fi
	(cd "$dir" && go list -e -f "$tmpl" "${patlist[@]}" 2>/dev/null | grep -v '^$' | LC_ALL=C sort -u >"$files") || true
	PKGS=$(cd "$dir" && go list -e "${patlist[@]}" 2>/dev/null | grep -c . || true)
	CGO=$(cd "$dir" && go list -e -f '{{if .CgoFiles}}x{{end}}' "${patlist[@]}" 2>/dev/null | grep -c x || true)
	LISTERR=$(cd "$dir" && go list -e -f '{{if .Error}}x{{end}}' "${patlist[@]}" 2>/dev/null | grep -c x || true)
	if [ -s "$files" ]; then
		LINES=$(tr '\n' '\0' <"$files" | xargs -0 cat | wc -l)
		GENERIC=$(tr '\n' '\0' <"$files" | xargs -0 grep -lE '^(type [A-Za-z0-9_]+\[[A-Za-z_]|func (\([^)]*\) )?[A-Za-z0-9_]+\[[A-Za-z_])' | wc -l || true)
		RANGEFUNC=$(tr '\n' '\0' <"$files" | xargs -0 grep -lE 'iter\.Seq|yield func\(' | wc -l || true)
	else
		LINES=0 GENERIC=0 RANGEFUNC=0
	fi
	rm -f "$files"
}

# field NAME RESULT — a value from a measure result line.
field() { sed -n "s/.*$1=\([0-9.-]*\).*/\1/p" <<<"$2"; }

# --- determinism ------------------------------------------------------------------
determinism() {
	local name=$1 mods=$2 pats=$3 dir=$OUT/work/$1 d=$OUT/determinism/$1 patlist ok=1
	read -r -a patlist <<<"$pats"
	rm -rf "$d" && mkdir -p "$d"
	say "== $name: CLI twice (text), twice (-json)"
	local fmt i
	for fmt in text json; do
		for i in 1 2; do
			(cd "$dir" && "$KAFKALINT" -test=false -format "$fmt" "${KAFKALINT_FLAGS[@]}" "${patlist[@]}" >"$d/cli.$fmt.$i" 2>"$d/cli.$fmt.$i.err") || true
		done
		if cmp -s "$d/cli.$fmt.1" "$d/cli.$fmt.2" && cmp -s "$d/cli.$fmt.1.err" "$d/cli.$fmt.2.err"; then
			say "   CLI $fmt: identical ($(wc -c <"$d/cli.$fmt.1") bytes)"
			echo "$name cli-$fmt identical $(wc -c <"$d/cli.$fmt.1")" >>"$d/result"
		else
			say "   CLI $fmt: DIFFERENT (diff $d/cli.$fmt.1 $d/cli.$fmt.2)"
			echo "$name cli-$fmt DIFFERENT" >>"$d/result"
			ok=0
		fi
	done
	say "== $name: go vet -vettool twice, cold, from one warmed GOCACHE"
	local warm=$d/gocache.warm
	# Warm the compile actions (export data of every dependency, test variants
	# included) with a vet run whose flags differ, so its vet results do not count.
	(cd "$dir" && GOCACHE=$warm go vet -vettool="$KAFKALINT" -check-ignores "${patlist[@]}" >/dev/null 2>&1) || true
	for i in 1 2; do
		rm -rf "$d/gocache.$i" && cp -a "$warm" "$d/gocache.$i"
		(cd "$dir" && GOCACHE=$d/gocache.$i go vet -work -vettool="$KAFKALINT" "${patlist[@]}" >"$d/vet.$i.out" 2>"$d/vet.$i.err") || true
		local work
		work=$(sed -n 's/^WORK=//p' "$d/vet.$i.err" | head -1)
		sed -i '/^WORK=/d' "$d/vet.$i.err"
		: >"$d/facts.$i"
		if [ -n "$work" ] && [ -d "$work" ]; then
			local cfg
			while IFS= read -r cfg; do
				local b ip sum
				b=$(dirname "$cfg")
				ip=$(jq -r .ImportPath "$cfg")
				if [ -f "$b/vet.out" ]; then sum=$(sha256sum <"$b/vet.out" | cut -c1-16); else sum=none; fi
				printf '%s %s %s\n' "$ip" "$sum" "$(stat -c %s "$b/vet.out" 2>/dev/null || echo 0)" >>"$d/facts.$i"
			done < <(find "$work" -name vet.cfg)
			LC_ALL=C sort -o "$d/facts.$i" "$d/facts.$i"
			rm -rf "$work"
		fi
		rm -rf "$d/gocache.$i"
	done
	rm -rf "$warm"
	local nfacts
	nfacts=$(awk '$2 != "none"' "$d/facts.1" | wc -l)
	# go vet prints each package's output when that package finishes, so the
	# order of packages can change from run to run; a diagnostic with its related
	# lines (indented after the position) is one block, and the sorted blocks
	# must be identical.
	for i in 1 2; do
		awk '/^[^ ]+: \t/ { printf "\t%s", $0; next } { if (NR > 1) printf "\n"; printf "%s", $0 } END { if (NR) printf "\n" }' "$d/vet.$i.err" | LC_ALL=C sort >"$d/vet.$i.blocks"
	done
	if cmp -s "$d/vet.1.err" "$d/vet.2.err" && cmp -s "$d/vet.1.out" "$d/vet.2.out"; then
		say "   vet output: identical ($(wc -l <"$d/vet.1.err") lines)"
		echo "$name vet-output identical $(wc -l <"$d/vet.1.err")" >>"$d/result"
	elif cmp -s "$d/vet.1.blocks" "$d/vet.2.blocks" && cmp -s "$d/vet.1.out" "$d/vet.2.out"; then
		say "   vet output: identical but for the order go vet printed packages in ($(wc -l <"$d/vet.1.blocks") diagnostics)"
		echo "$name vet-output identical-but-package-order $(wc -l <"$d/vet.1.err")" >>"$d/result"
	else
		say "   vet output: DIFFERENT (diff $d/vet.1.err $d/vet.2.err)"
		echo "$name vet-output DIFFERENT" >>"$d/result"
		ok=0
	fi
	if [ "$nfacts" -gt 0 ] && cmp -s "$d/facts.1" "$d/facts.2"; then
		say "   vet facts: identical for all $nfacts packages with a vet.out"
		echo "$name vet-facts identical $nfacts" >>"$d/result"
	else
		say "   vet facts: DIFFERENT or none (diff $d/facts.1 $d/facts.2)"
		echo "$name vet-facts DIFFERENT($nfacts)" >>"$d/result"
		ok=0
	fi
	[ $ok = 1 ]
}

if [ -n "$DETERMINISM" ]; then
	status=0
	: >"$OUT/determinism.txt"
	while IFS="|" read -r -u 3 name mods pats; do
		picked "$DETERMINISM" "$name" || continue
		if ! prepare "$OUT/work/$name" "$name|$mods|$pats" "$mods" "$pats"; then
			say "   could not set up $name"
			status=1
			continue
		fi
		determinism "$name" "$mods" "$pats" || status=1
		cat "$OUT/determinism/$name/result" >>"$OUT/determinism.txt"
	done 3< <(modules)
	{
		echo "determinism — $(date -u '+%Y-%m-%d %H:%M UTC'), kafkalint: $COMMIT"
		cat "$OUT/determinism.txt"
	} | tee "$OUT/determinism.txt.new"
	mv "$OUT/determinism.txt.new" "$OUT/determinism.txt"
	exit $status
fi

# --- the corpus -------------------------------------------------------------------
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M UTC')
RUN=$OUT WORK=$OUT/work TESTFLAG=false
if [ $TESTS = 1 ]; then RUN=$OUT/tests WORK=$OUT/work-tests TESTFLAG=true; fi
mkdir -p "$RUN" "$WORK"
RESULTS=$RUN/results.tsv
if [ $PREPARE_ONLY = 0 ]; then
	printf 'name\tversion\tpackages\tlines\tcgo\tgeneric\trangefunc\tstatus\twall_s\tcpu_s\trss_mib\treports\tper_check\tload_errors\tanalyzer_errors\tpanics\ttimeouts\tbudget_hits\tload1\twarmup_s\n' >"$RESULTS"
fi
while IFS="|" read -r -u 3 name mods pats; do
	picked "$PICK" "$name" || continue
	dir=$WORK/$name
	say "== $name: $mods"
	if ! prepare "$dir" "$name|$mods|$pats" "$mods" "$pats"; then
		say "   could not set up the module"
		if [ $PREPARE_ONLY = 0 ]; then
			printf '%s\t%s\t\t\t\t\t\tsetup failed\t\t\t\t\t\t\t\t\t\t\t\n' "$name" "${mods%% *}" >>"$RESULTS"
		fi
		continue
	fi
	read -r -a modlist <<<"$mods"
	version=${modlist[0]##*@}
	count "$dir" "$pats"
	say "   $PKGS packages, $LINES lines (cgo packages $CGO, generic files $GENERIC, range-over-func files $RANGEFUNC, go list errors $LISTERR)"
	if [ $PREPARE_ONLY = 1 ]; then continue; fi

	read -r -a patlist <<<"$pats"
	if [ $TESTS = 1 ]; then
		# The test dependencies: -mod=mod lets go list add what tests import.
		(cd "$dir" && go list -mod=mod -e -deps -test "${patlist[@]}" >/dev/null 2>&1) || true
	fi
	# Warm the build cache first, as bench.sh does: kafkalint asks go list for
	# export data (the standard library is loaded from it), which compiles every
	# dependency the first time; that is the go command's work, timed apart.
	warm=$(cd "$dir" && "$BIN/measure" -o /dev/stdout -stdout /dev/null -stderr /dev/null -- go list -e -export -deps -test=$TESTFLAG "${patlist[@]}")
	warm=$(field wall_s "$warm")
	load1=$(cut -d' ' -f1 /proc/loadavg)
	res=$(cd "$dir" && "$BIN/measure" -o /dev/stdout -stdout "$RUN/$name.json" -stderr "$RUN/$name.stderr" -- \
		timeout -k 30 -s QUIT "$TIMEOUT" "$KAFKALINT" -test=$TESTFLAG -json -debug "${KAFKALINT_FLAGS[@]}" "${patlist[@]}")
	wall=$(field wall_s "$res")
	cpu=$(field cpu_s "$res")
	rss=$(($(field maxrss_kb "$res") / 1024))
	code=$(field exit "$res")

	# Reports: the JSON as text, one line per diagnostic ending in [check].
	: >"$RUN/$name.txt"
	if [ -s "$RUN/$name.json" ]; then "$BIN/summary" -text "$RUN/$name.json" >"$RUN/$name.txt" 2>&1 || true; fi
	# A diagnostic in a package and again in its test variant (same file, two
	# package IDs in the JSON) counts once, as in kafkalint's text output.
	{ grep -E '^[^	].*\[[a-z-]+\]$' "$RUN/$name.txt" || true; } | LC_ALL=C sort -u >"$RUN/$name.reports"
	reports=$(wc -l <"$RUN/$name.reports")
	per_check=$(grep -oE '\[[a-z-]+\]$' "$RUN/$name.reports" | tr -d '[]' | LC_ALL=C sort | uniq -c | awk '{printf "%s%s %d", (NR > 1 ? ", " : ""), $2, $1}' || true)
	analyzer_errors=$(grep -cE '^[^ ]+: [a-z]+: error: ' "$RUN/$name.txt" || true)
	load_errors=$(grep -c '^kafkalint: package .* has errors' "$RUN/$name.stderr" || true)
	panics=$(grep -cE '^(panic: |fatal error: )|panicked|internal error' "$RUN/$name.stderr" || true)
	budget=$(grep -c '^kafkalint: budget:' "$RUN/$name.stderr" || true)
	timeouts=0
	case $code in
	0 | 3) status=ok ;;
	124 | 137) status=TIMEOUT timeouts=1 ;;
	1) if [ "$load_errors" -gt 0 ]; then status="load errors"; else status="exit 1"; fi ;;
	*) status="exit $code" ;;
	esac
	if [ "$panics" -gt 0 ]; then status="PANIC ($status)"; fi
	say "   $status: $reports reports${per_check:+ ($per_check)}, ${wall}s wall, ${cpu}s CPU, $rss MiB, load $load1"
	if [ "$status" != ok ]; then head -5 "$RUN/$name.stderr" | sed 's/^/     /' >&2; fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$name" "$version" "$PKGS" "$LINES" "$CGO" "$GENERIC" "$RANGEFUNC" "$status" "$wall" "$cpu" "$rss" \
		"$reports" "$per_check" "$load_errors" "$analyzer_errors" "$panics" "$timeouts" "$budget" "$load1" "$warm" >>"$RESULTS"
done 3< <(modules)
if [ $PREPARE_ONLY = 1 ]; then exit 0; fi

# --- the table ----------------------------------------------------------------------
{
	echo "kafkalint on the corpus — $START to $(date -u '+%H:%M UTC')"
	echo
	echo "- kafkalint: $COMMIT; flags: \`-test=$TESTFLAG -json -debug ${KAFKALINT_FLAGS[*]}\`; timeout ${TIMEOUT}s per module"
	echo "- $(go version | cut -d' ' -f3-), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average at the start $LOAD_START, at the end $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the machine: wall times are noisy, CPU times less so)"
	echo "- before each module, the build cache is warmed with \`go list -export -deps\` (compiling dependencies is the go command's work; it took $(tail -n +2 "$RESULTS" | awk -F'\t' '{ s += $20 } END { printf "%.0f", s }') s in all, not counted); kafkalint's own result cache is off (KAFKALINT_CACHE=off)"
	echo "- lines: $([ $TESTS = 1 ] && echo ".go files, tests included" || echo "non-test .go files") (cgo files included) of the analyzed packages, as go list selects them for $(go env GOOS)/$(go env GOARCH); features: C = packages with cgo, G = files declaring type parameters, R = files using iter.Seq or yield funcs"
	echo
	echo "| module | version | pkgs | lines | features | status | wall s | CPU s | CPU ms/kLOC | RSS MiB | reports | per check | load errs | panics | timeouts | budget hits |"
	echo "|---|---|--:|--:|---|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|"
	# awk, not read: read would merge the empty fields of a failed module.
	tail -n +2 "$RESULTS" | awk -F'\t' '
		{
			feat = ""
			if ($5 > 0) feat = feat "C" $5 " "
			if ($6 > 0) feat = feat "G" $6 " "
			if ($7 > 0) feat = feat "R" $7
			sub(/ $/, "", feat)
			perk = ($4 > 0 && $10 != "") ? sprintf("%.0f", $10 * 1000 / ($4 / 1000)) : ""
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, feat, $8, $9, $10, perk, $11, $12, ($13 == "" ? "-" : $13), $14, $16, $17, $18
		}'
	tail -n +2 "$RESULTS" | awk -F'\t' '
		{ n++; p += $3; l += $4; w += $9; c += $10; if ($11 > rss) rss = $11; r += $12; le += $14; pa += $16; to += $17; bu += $18; if ($8 == "ok") ok++ }
		END { printf "| **total: %d modules, %d ok** | | %d | %d | | | %.0f | %.0f | %.0f | max %d | %d | | %d | %d | %d | %d |\n", n, ok, p, l, w, c, (l > 0 ? c * 1000 / (l / 1000) : 0), rss, r, le, pa, to, bu }'
} | tee "$RUN/table.md"
say "(table: $RUN/table.md; per module: $RUN/<name>.txt, .json, .stderr)"
