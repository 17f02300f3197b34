// Package session is a Go rendition of kafka-python's fetch-session desync
// (dpkp/kafka-python#2575, KAFKA-8052 in the Java client): the response
// handler moves the incremental fetch session forward without the lock
// the request builder holds, so a request pairs the new id with the old
// epoch.
package session

import "sync"

type fetchSession struct {
	id    int32
	epoch int32
}

type request struct{ id, epoch int32 }

type response struct{ sessionID int32 }

type fetcher struct {
	mu   sync.Mutex
	sess fetchSession
	sent int
}

// buildRequest runs on the fetch goroutine.
func (f *fetcher) buildRequest() request {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent++
	return request{id: f.sess.id, epoch: f.sess.epoch}
}

// bumpEpoch runs on the fetch goroutine too, under the lock.
func (f *fetcher) bumpEpoch() {
	f.mu.Lock()
	f.sess.epoch++
	f.mu.Unlock()
}

// handleResponse runs on the network goroutine: the bug.
func (f *fetcher) handleResponse(r *response) {
	f.sess.id = r.sessionID // want `f\.sess\.id, f\.sess\.epoch written without f\.mu`
	f.sess.epoch = 1
}

// fixedFetcher is the fix: the handler takes the lock.
type fixedFetcher struct {
	mu   sync.Mutex
	sess fetchSession
}

func (f *fixedFetcher) buildRequest() request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return request{id: f.sess.id, epoch: f.sess.epoch}
}

func (f *fixedFetcher) handleResponse(r *response) {
	f.mu.Lock()
	f.sess.id = r.sessionID
	f.sess.epoch = 1
	f.mu.Unlock()
}

func (f *fixedFetcher) reset() {
	f.mu.Lock()
	f.sess = fetchSession{}
	f.mu.Unlock()
}

// EpochLocked reads the epoch for a caller that holds f.mu (its name says
// so; its callers are in other packages): not an unguarded access here.
func (f *fetcher) EpochLocked() int32 {
	return f.sess.epoch
}
