// Package once locks nothing but a sync.Once: Once.Do holds the Once while
// its function runs (a second Do waits for it), so the model counts it as a
// lock taken and released inside the Do call.
package once // want `some function takes a lock`

import "sync"

var (
	once sync.Once
	size int
)

func get() int {
	once.Do(func() { size = 64 })
	return size
}
