package main

import (
	"os/exec"
	"regexp"
	"strconv"
	"testing"
)

// TestFloorBuildsSSA runs the floor on a small standard package, on its own
// and with -deps, and checks that it built SSA for what it says.
func TestFloorBuildsSSA(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages from source")
	}
	re := regexp.MustCompile(`floor: (\d+) packages analyzed, (\d+) source functions in SSA`)
	run := func(args ...string) (pkgs, funcs int) {
		out, err := exec.Command("go", append([]string{"run", "."}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("floor %v: %v\n%s", args, err, out)
		}
		m := re.FindSubmatch(out)
		if m == nil {
			t.Fatalf("floor %v printed %q, want a summary line", args, out)
		}
		pkgs, _ = strconv.Atoi(string(m[1]))
		funcs, _ = strconv.Atoi(string(m[2]))
		return pkgs, funcs
	}

	pkgs, funcs := run("errors")
	if pkgs != 1 || funcs == 0 {
		t.Errorf("floor errors: %d packages, %d functions; want 1 package with functions", pkgs, funcs)
	}
	if ePkgs, eFuncs := run("-exportdeps", "errors"); ePkgs != pkgs || eFuncs != funcs {
		t.Errorf("floor -exportdeps errors: %d packages, %d functions; want the same as from source (%d, %d)", ePkgs, eFuncs, pkgs, funcs)
	}
	depPkgs, depFuncs := run("-deps", "errors")
	if depPkgs <= 1 || depFuncs <= funcs {
		t.Errorf("floor -deps errors: %d packages, %d functions; want more than without -deps (%d, %d)", depPkgs, depFuncs, pkgs, funcs)
	}
}
