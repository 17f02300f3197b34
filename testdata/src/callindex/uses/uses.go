package uses

import "sort"

type runner interface{ Run() }

type T struct{ f func() }

func (t *T) Run() {}

func helper() {}

func user(t *T, r runner, xs []int) {
	helper()     // want `uses helper`
	go helper()  // want `uses helper` `go statement`
	t.f = helper // want `uses helper`
	g := t.Run
	g()                                                          // want `uses Run\$bound`
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] }) // want `uses Slice` `uses user\$1`
	r.Run()                                                      // want `invokes Run`
	defer r.Run()                                                // want `invokes Run`
	go r.Run()                                                   // want `invokes Run` `go statement`
	n := 0
	inc := func() { n++ } // making a closure is not a use of it
	inc()                 // want `uses user\$2`
}
