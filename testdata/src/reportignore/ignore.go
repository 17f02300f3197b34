package reportignore

func bug() {}

func other() {}

func unsuppressed() {
	bug() // want `call to bug`
	other()
}

func trailing() {
	bug() //kafkalint:ignore bug-call the caller holds no lock here
}

func lineAbove() {
	//kafkalint:ignore bug-call startup only, nothing else runs yet
	bug()
}

func blockAbove() {
	//kafkalint:ignore bug-call reviewed in #12:
	// the pool is drained before shutdown calls this.
	bug()
}

func byAnalyzerName() {
	bug() //kafkalint:ignore bugcall every check of the analyzer
}

func inList() {
	bug() //kafkalint:ignore lock-cycle,bug-call both are known
}

// A suppression covers its own line and the next one, not further.
func tooFarAbove() {
	//kafkalint:ignore bug-call too far away

	bug() // want `call to bug`
}

// A suppression of another check leaves the diagnostic.
func otherCheck() {
	bug() //kafkalint:ignore lock-cycle wrong check // want `call to bug`
}

// A suppression without a reason suppresses nothing.
func noReason() {
	//kafkalint:ignore bug-call
	bug() // want `call to bug`
}

// "// kafkalint:ignore" (with a space) is an ordinary comment.
func spaced() {
	// kafkalint:ignore bug-call a reason
	bug() // want `call to bug`
}

// The analyzer's other check is not covered by a suppression of bug-call.
func secondCheck() {
	bug2() //kafkalint:ignore bug-call wrong check // want `call to bug2`
}

func bug2() {}
