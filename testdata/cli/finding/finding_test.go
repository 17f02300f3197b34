package finding

import "testing"

func TestBug(t *testing.T) {
	bug()
}
