package nopartner

// A test fake whose method nothing in the tests calls (etcd's
// mvcc.fakeIndex.RangeEvents): its field is left alone.
type fakeIndex struct {
	respc chan int
}

func newFakeIndex() *fakeIndex { return &fakeIndex{respc: make(chan int, 1)} }

func (i *fakeIndex) RangeEvents() int { return <-i.respc }
