// Package reach: what each function may run, on any goroutine.
package reach

type Runner interface{ Run() }

type A struct{}

func (A) Run() {} // want `runs - spawns - by top,viaIface`

type B struct{}

func (B) Run() {} // want `runs - spawns - by viaIface`

func helper() {} // want `runs - spawns - by top`

func worker() {} // want `runs - spawns - by top`

func top() { // want `runs helper,worker,A.Run,register,top\$1 spawns worker,top\$1 by -`
	helper()
	go worker()
	var a A
	a.Run()
	register(func() {}) // want `runs - spawns - by top`
}

func register(f func()) { _ = f } // want `runs - spawns - by top`

// An interface call may run every method of that name.
func viaIface(r Runner) { r.Run() } // want `runs A.Run,B.Run spawns - by -`
