package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"testing"
)

// TestMain lets the test binary act as the measured child: with
// MEASURE_CHILD set it allocates and touches memory, then exits 3.
func TestMain(m *testing.M) {
	if os.Getenv("MEASURE_CHILD") != "" {
		buf := make([]byte, 64<<20)
		for i := range buf {
			buf[i] = byte(i)
		}
		os.Stdout.WriteString("child output\n")
		runtime.KeepAlive(buf)
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestMeasureReportsExitAndPeakRSS(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "measure")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	result := filepath.Join(dir, "result")
	stdout := filepath.Join(dir, "stdout")
	cmd := exec.Command(bin, "-o", result, "-stdout", stdout, "--", self)
	cmd.Env = append(os.Environ(), "MEASURE_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("measure failed: %v\n%s", err, out)
	}

	line, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^wall_s=[0-9.]+ cpu_s=[0-9.]+ maxrss_kb=([0-9]+) exit=([0-9]+)\n$`).FindSubmatch(line)
	if m == nil {
		t.Fatalf("result line %q has the wrong shape", line)
	}
	if string(m[2]) != "3" {
		t.Errorf("exit = %s, want the child's 3", m[2])
	}
	// The child touched 64 MiB, so its peak RSS is at least that.
	if kb, _ := strconv.Atoi(string(m[1])); kb < 64<<10 {
		t.Errorf("maxrss_kb = %d, want at least %d", kb, 64<<10)
	}
	if got, _ := os.ReadFile(stdout); string(got) != "child output\n" {
		t.Errorf("child stdout = %q, want it in the -stdout file", got)
	}
}
