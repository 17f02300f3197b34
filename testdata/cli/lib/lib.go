// Package lib calls bug, suppressed here; its callers elsewhere are reported.
package lib

func bug() {}

// Helper calls bug.
func Helper() {
	bug() //kafkalint:ignore bug-call lib is allowed to; callers are reported
}

// Safe does not.
func Safe() {}
