// Package pool imports sync for a Pool, but locks nothing.
package pool // want `none takes a lock`

import "sync"

var bufs = sync.Pool{New: func() any { return new([]byte) }}

func get() *[]byte {
	return bufs.Get().(*[]byte)
}
