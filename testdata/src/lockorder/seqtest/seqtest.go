// Package seqtest: helpers in its tests take two locks in both orders.
package seqtest

import "sync"

type Pair struct{ A, B sync.Mutex }
