package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/gofetch/fetch/internal/testbed"
	"github.com/rogpeppe/go-internal/testscript"
)

// scriptSetup gives each script a tree root under $WORK, no ambient Go or
// git configuration, and a test bed of real loopback servers (see package
// testbed for the pages, repositories and variables it provides).
func scriptSetup(env *testscript.Env) error {
	env.Setenv("FETCH_ROOT", env.WorkDir+"/root")
	env.Setenv("GOPATH", "")
	env.Setenv("FETCH_CACHE", "off") // like the Go command; discover_cache.txtar turns it on
	for _, k := range []string{"GOVCS", "GOPRIVATE", "GOINSECURE", "GONOSUMDB", "GONOPROXY", "NETRC",
		"GIT_SSH_COMMAND", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"} {
		env.Setenv(k, "")
	}
	if os.Getenv("FETCH_TEST_REQUIRE_TOOLS") != "" {
		// CI: a script guarded by [exec:hg] must run, not skip.
		for _, tool := range []string{"git", "hg", "svn", "svnserve", "brz", "fossil", "sh", "tar", "/usr/sbin/sshd"} {
			if _, err := exec.LookPath(tool); err != nil {
				return fmt.Errorf("%s is not installed, and FETCH_TEST_REQUIRE_TOOLS forbids skipping", tool)
			}
		}
	}
	return testbed.Setup(env)
}

func scriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := testbed.Commands()
	cmds["status"] = cmdStatus
	cmds["waitfile"] = cmdWaitFile
	cmds["cloudbin"] = cmdCloudBin
	return cmds
}

// cmdStatus runs a program and asserts its exit status:
//
//	status 2 fetch resolve
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: bad exit code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("status: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdWaitFile waits until a file exists, for scripts that must act while a
// background command is at a known point:
//
//	waitfile $WORK/started
//
// It polls; it asserts nothing about time, and gives up after a minute so a
// broken script fails instead of hanging.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile PATH")
	}
	name := ts.MkAbs(args[0])
	deadline := time.Now().Add(time.Minute)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		if _, err := os.Stat(name); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitfile: %s did not appear within a minute", args[0])
		}
		time.Sleep(delay)
	}
}
