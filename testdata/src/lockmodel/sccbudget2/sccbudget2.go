package sccbudget2 // want package:""

// Package sccbudget2: A, B and C call one another in a ring, each taking
// its own lock. Under TestRecursionBudgetOrder the component is over the
// size budget: its summaries come from two rounds from nothing known, the
// same whichever function is declared (and so analysed) first; package
// sccbudget1 declares them in the other order and gets the same facts.
// (The summaries found on the way in would differ: the first function met
// sees the whole ring, the last only itself.)

import "sync"

var a, b, c sync.Mutex

func C(n int) { // want C:"^acquires sccbudget2.c locked\\(lockmodel/sccbudget2.c\\); acquires sccbudget2.a locked\\(lockmodel/sccbudget2.a\\)$"
	c.Lock()
	c.Unlock()
	if n > 0 {
		A(n - 1)
	}
}

func B(n int) { // want B:"^acquires sccbudget2.b locked\\(lockmodel/sccbudget2.b\\); acquires sccbudget2.c locked\\(lockmodel/sccbudget2.c\\)$"
	b.Lock()
	b.Unlock()
	if n > 0 {
		C(n - 1)
	}
}

func A(n int) { // want A:"^acquires sccbudget2.a locked\\(lockmodel/sccbudget2.a\\); acquires sccbudget2.b locked\\(lockmodel/sccbudget2.b\\)$"
	a.Lock()
	a.Unlock()
	if n > 0 {
		B(n - 1)
	}
}
