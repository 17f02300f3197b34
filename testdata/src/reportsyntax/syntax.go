package reportsyntax

func f() {
	// want +1 `kafkalint:ignore needs a reason after the check names`
	//kafkalint:ignore double-lock
	println()

	// want +1 `kafkalint:ignore needs the checks to ignore and a reason`
	//kafkalint:ignore
	println()

	// want +1 `kafkalint:ignore has an empty check name`
	//kafkalint:ignore double-lock,,lock-cycle a reason
	println()

	// want +1 `without a space after //`
	// kafkalint:ignore double-lock a reason
	println()

	// Well-formed suppressions and ordinary comments are not reported.
	//kafkalint:ignore double-lock a reason
	println() //kafkalint:ignore double-lock,lock-cycle another reason
	//kafkalint:ignored is another word
	// kafkalint is mentioned here, with ignore after it.
	println()
}

func unknown() {
	// want +1 `ignore names double-lcok, which is no kafkalint check .*did you mean double-lock`
	//kafkalint:ignore double-lcok typo
	println()

	// want +1 `ignore names frobnicate, which is no kafkalint check`
	//kafkalint:ignore lock-cycle,frobnicate a reason
	println()

	// Analyzer names and the reporting layer's checks are names too.
	//kafkalint:ignore lockorder,unused-ignore a reason
	println()
}
