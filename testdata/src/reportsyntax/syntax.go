package reportsyntax

func f() {
	// want +1 `kafkalint:ignore needs a reason after the check names`
	//kafkalint:ignore bug-call
	println()

	// want +1 `kafkalint:ignore needs the checks to ignore and a reason`
	//kafkalint:ignore
	println()

	// want +1 `kafkalint:ignore has an empty check name`
	//kafkalint:ignore bug-call,,lock-cycle a reason
	println()

	// want +1 `without a space after //`
	// kafkalint:ignore bug-call a reason
	println()

	// Well-formed suppressions and ordinary comments are not reported.
	//kafkalint:ignore bug-call a reason
	println() //kafkalint:ignore bug-call,lock-cycle another reason
	//kafkalint:ignored is another word
	// kafkalint is mentioned here, with ignore after it.
	println()
}
