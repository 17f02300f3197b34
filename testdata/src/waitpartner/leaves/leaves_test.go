package leaves

import "testing"

// grpc's TestClientSendsAGoAwayFrame: the server goroutine fails the test
// and returns before closing greetDone; the hang follows a failed test,
// and the report says so.
func TestGreet(t *testing.T) {
	greetDone := make(chan struct{})
	go func() {
		if err := fetch(""); err != nil {
			t.Errorf("greet: %v", err)
			return
		}
		close(greetDone)
	}()
	<-greetDone // want `partner leaves first: this receive from greetDone .* after failing the test \(line \d+\)`
}
