package main

import (
	"errors"
	"os/exec"
	"strconv"

	"github.com/gofetch/fetch/internal/testbed"
	"github.com/rogpeppe/go-internal/testscript"
)

// scriptSetup gives each script a tree root under $WORK, no ambient Go or
// git configuration, and a test bed of real loopback servers (see package
// testbed for the pages, repositories and variables it provides).
func scriptSetup(env *testscript.Env) error {
	env.Setenv("FETCH_ROOT", env.WorkDir+"/root")
	env.Setenv("GOPATH", "")
	for _, k := range []string{"GOVCS", "GOPRIVATE", "GOINSECURE", "GONOSUMDB", "GONOPROXY", "NETRC",
		"GIT_SSH_COMMAND", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"} {
		env.Setenv(k, "")
	}
	return testbed.Setup(env)
}

func scriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := testbed.Commands()
	cmds["status"] = cmdStatus
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
