// Command measure runs a command and reports its wall time and peak resident
// set size, so bench.sh works on a machine without GNU time.
//
// Usage:
//
//	measure [-o result.txt] [-stdout file] [-stderr file] -- command [args...]
//
// It prints (or writes to -o) one line:
//
//	wall_s=<seconds> cpu_s=<seconds> maxrss_kb=<kilobytes> exit=<code>
//
// cpu_s is user + system time of the child and the descendants it waited
// for; on a loaded machine it moves much less than the wall time.
// maxrss_kb comes from the rusage wait4 returns for the child. On Linux that is
// the largest resident set of the child or of any descendant it waited for (not
// a sum), the same number GNU time's %M prints.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	resultPath := flag.String("o", "", "write the result line to this file instead of stderr")
	stdoutPath := flag.String("stdout", "", "send the command's standard output to this file")
	stderrPath := flag.String("stderr", "", "send the command's standard error to this file")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: measure [-o result] [-stdout file] [-stderr file] -- command [args...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}

	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin = os.Stdin
	var err error
	if cmd.Stdout, err = output(*stdoutPath, os.Stdout); err != nil {
		fatal(err)
	}
	if cmd.Stderr, err = output(*stderrPath, os.Stderr); err != nil {
		fatal(err)
	}

	start := time.Now()
	runErr := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil { // the command never started
		fatal(runErr)
	}

	var maxRSS int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = int64(ru.Maxrss) // kilobytes on Linux
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	line := fmt.Sprintf("wall_s=%.3f cpu_s=%.3f maxrss_kb=%d exit=%d\n", wall.Seconds(), cpu.Seconds(), maxRSS, cmd.ProcessState.ExitCode())
	if *resultPath == "" {
		fmt.Fprint(os.Stderr, line)
	} else if err := os.WriteFile(*resultPath, []byte(line), 0o644); err != nil {
		fatal(err)
	}
	// The command's own exit code is in the result line; measure itself
	// succeeds whenever it could run and time the command.
}

// output opens path for writing, or returns def when path is empty.
func output(path string, def io.Writer) (io.Writer, error) {
	if path == "" {
		return def, nil
	}
	return os.Create(path)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "measure:", err)
	os.Exit(1)
}
