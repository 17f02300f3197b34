// Package starter: a goroutine that locks a captured mutex in a loop and
// goes on to the next iteration holding it, while the function that
// started it unlocks it (the standard library's TestRLocker, copied into
// franz-go's xsync): the release is handed to the starter, no double lock.
// When nobody else unlocks it, or the starter unlocks another mutex, the
// next iteration waits for itself.
package starter

import "sync"

func Handed(n int) {
	var wl sync.RWMutex
	rl := wl.RLocker()
	rlocked := make(chan bool, 1)
	wlocked := make(chan bool, 1)
	go func() {
		for i := 0; i < n; i++ {
			rl.Lock()
			rlocked <- true
			wl.Lock()
			wlocked <- true
		}
	}()
	for i := 0; i < n; i++ {
		<-rlocked
		rl.Unlock()
		<-wlocked
		wl.Unlock()
	}
}

func NotHanded(n int) {
	var mu sync.Mutex
	done := make(chan bool, 1)
	go func() {
		for i := 0; i < n; i++ {
			mu.Lock() // want `mu is locked again by the next loop iteration`
			done <- true
		}
	}()
	for i := 0; i < n; i++ {
		<-done
	}
}

func OtherUnlocked(n int) {
	var mu, other sync.Mutex
	done := make(chan bool, 1)
	other.Lock()
	go func() {
		for i := 0; i < n; i++ {
			mu.Lock() // want `mu is locked again by the next loop iteration`
			done <- true
		}
	}()
	for i := 0; i < n; i++ {
		<-done
	}
	other.Unlock()
}
