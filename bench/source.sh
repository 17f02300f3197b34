# source.sh — sourced by bench.sh and realcode.sh: where kafkalint is built from.
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
