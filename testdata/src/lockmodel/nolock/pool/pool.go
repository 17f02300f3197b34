// Package pool imports sync for a Pool and a Once, but locks nothing.
package pool // want `none takes a lock`

import "sync"

var (
	bufs = sync.Pool{New: func() any { return new([]byte) }}
	once sync.Once
	size int
)

func get() *[]byte {
	once.Do(func() { size = 64 })
	return bufs.Get().(*[]byte)
}
