// Package pure imports nothing that locks: the model skips it, and
// NoneTakesLock is answered from its lock operations (none).
package pure // want `none takes a lock`

type buf struct{ b []byte }

func (b *buf) add(x byte) { b.b = append(b.b, x) }

func fill(b *buf, f func(byte)) {
	for _, x := range b.b {
		f(x)
	}
}
