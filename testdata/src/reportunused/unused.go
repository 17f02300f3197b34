package reportunused

func bug() {}

func used() {
	bug() //kafkalint:ignore bug-call this one is used
}

func stale() {
	//kafkalint:ignore bug-call the call was removed // want `kafkalint:ignore bug-call suppresses nothing here`
	println()
}

func staleByName() {
	println() //kafkalint:ignore bugcall all of them // want `kafkalint:ignore bugcall suppresses nothing here`
}

// Of a list, only the unused names of this analyzer are reported.
func partly() {
	bug() //kafkalint:ignore bug-call,bug2-call one of two // want `kafkalint:ignore bug2-call suppresses nothing here`
}

// A suppression naming only another analyzer's checks is that analyzer's
// business: not reported here.
func othersCheck() {
	println() //kafkalint:ignore lock-cycle not ours
}

// A malformed suppression is reported by ignoredirective, not as unused.
func malformed() {
	println() //kafkalint:ignore bug-call
}
