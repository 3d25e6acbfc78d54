package tree

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary re-executes itself as a child process when childEnv is
// set, to play another fetch process.
const (
	childEnv = "TREE_TEST_CHILD"
	destEnv  = "TREE_TEST_DEST"
)

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "exit":
		os.Exit(0)
	case "stage":
		os.Exit(childStage(os.Getenv(destEnv)))
	default:
		fmt.Fprintf(os.Stderr, "unknown %s=%q\n", childEnv, os.Getenv(childEnv))
		os.Exit(2)
	}
}

// childStage stages dest with a fill that writes part of its work, prints
// its directory on stdout, and then waits for a line on stdin: "go" makes
// it finish, anything else (or EOF) makes it fail.
func childStage(dest string) int {
	err := Stage(context.Background(), dest, func(dir string) error {
		if err := os.WriteFile(filepath.Join(dir, "partial"), []byte("child"), 0o644); err != nil {
			return err
		}
		fmt.Println(dir)
		line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		if strings.TrimSpace(line) != "go" {
			return fmt.Errorf("told %q", line)
		}
		return os.WriteFile(filepath.Join(dir, "complete"), []byte("child"), 0o644)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// stager is a child process inside Stage's fill.
type stager struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	dir   string // the directory it is filling
}

// startStager starts a child staging dest and returns once its fill has
// begun, which it learns from the child's stdout rather than by waiting.
func startStager(t *testing.T, dest string) *stager {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(childEnviron(), childEnv+"=stage", destEnv+"="+dest)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("child staging %s never reported its directory: %v", dest, err)
	}
	return &stager{cmd: cmd, stdin: stdin, dir: strings.TrimSpace(line)}
}

// exitedPID returns the PID of a process that has exited.
func exitedPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(childEnviron(), childEnv+"=exit")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// childEnviron is the environment of a child process. Under -race a
// process pauses for a second before exiting unless told not to.
func childEnviron() []string {
	return append(os.Environ(), "GORACE=atexit_sleep_ms=0")
}
