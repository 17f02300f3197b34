package finding

import "example.com/fixture/lib"

func bug() {}

func Direct() {
	bug()
}

func Suppressed() {
	//kafkalint:ignore bug-call reviewed: the test double of bug is harmless
	bug()
}

func CrossPackage() {
	lib.Safe()
	lib.Helper()
}

func Stale() {
	//kafkalint:ignore bug-call the call below was removed long ago
	lib.Safe()
}

func Malformed() {
	//kafkalint:ignore bug-call
	bug()
}
