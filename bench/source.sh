# source.sh — sourced by the bench scripts: where kafkalint is built from, and
# the ratios against goals that bench.sh and scale.sh print.
#
# kafkalint_source REV DIR sets SRC (a directory holding the module) and COMMIT
# (what to call it in results). REV "worktree" is the work tree as it is, with
# everyone's uncommitted changes; any other REV is exported with git archive
# into DIR, so a result names exactly one commit.
kafkalint_source() {
	local rev=$1 dir=$2
	if [ "$rev" = worktree ]; then
		SRC=$ROOT
		COMMIT="work tree at $(git -C "$ROOT" rev-parse --short HEAD)"
		if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=normal)" ]; then
			COMMIT="$COMMIT + uncommitted changes"
		fi
		return
	fi
	COMMIT="commit $(git -C "$ROOT" rev-parse --short "$rev^{commit}")"
	SRC=$dir
	rm -rf "$SRC"
	mkdir -p "$SRC"
	git -C "$ROOT" archive "$rev" | tar -x -C "$SRC"
}

# ratio A B: A/B with two decimals, "n/a" when B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# verdict RATIO GOAL: "meets" when RATIO <= GOAL.
verdict() { awk -v r="$1" -v g="$2" 'BEGIN{ if (r == "n/a") print "n/a"; else if (r + 0 <= g + 0) print "meets"; else print "MISSES" }'; }

# compare A B LABEL [TIME_GOAL] [RSS_GOAL] [WIDTH] — the wall, CPU and RSS
# ratios of run A over run B (the WALL, CPU and RSS arrays of the caller),
# each against its goal when one is given.
compare() {
	local t c m
	t=$(ratio "${WALL[$1]}" "${WALL[$2]}")
	c=$(ratio "${CPU[$1]}" "${CPU[$2]}")
	m=$(ratio "${RSS[$1]}" "${RSS[$2]}")
	if [ -n "${4:-}" ]; then
		t="$t (goal <= $4: $(verdict "$t" "$4"))"
		c="$c (goal <= $4: $(verdict "$c" "$4"))"
	fi
	if [ -n "${5:-}" ]; then m="$m (goal <= $5: $(verdict "$m" "$5"))"; fi
	printf "%-${6:-34}s wall %s, CPU %s, RSS %s\n" "$3" "$t" "$c" "$m"
}
