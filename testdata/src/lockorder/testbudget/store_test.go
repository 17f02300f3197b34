package testbudget

import (
	"sync"
	"testing"
)

type node struct{ mu sync.Mutex }

type machine struct {
	mu sync.Mutex
	n  *node
}

func (m *machine) node() *node {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}

func (m *machine) restart() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n.mu.Lock() // want `lock order inversion: testbudget.node.mu is acquired here while holding testbudget.machine.mu`
	m.n.mu.Unlock()
}

var machines = []*machine{{n: &node{}}, {n: &node{}}}

func TestRemovePeer(t *testing.T) {
	machines[0].n.mu.Lock()
	_ = machines[1].node()
	machines[0].n.mu.Unlock()
}

func TestRestart(t *testing.T) {
	machines[1].restart()
}
