package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	if strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe") != "fetch" {
		// Not re-executed as the fetch binary: this is the test run.
		moreParallel()
		// No test writes into the user's own caches: a test that wants
		// a cache sets FETCH_CACHE to a directory of its own.
		os.Setenv("FETCH_CACHE", "off")
	}
	testscript.Main(withCleanup{m}, map[string]func(){
		"fetch": func() { os.Exit(run()) },
	})
}

// scriptParallel is how many scripts run at once unless -parallel says
// otherwise. The scripts mostly wait on servers and version control
// processes, not on the CPU: on 2 cores, 8 at once took TestScripts from
// 6m04s to 3m47s (go test -race -c; ./fetch.test -test.run TestScripts,
// with and without -test.parallel 8, on a quiet machine).
const scriptParallel = "8"

// moreParallel raises -test.parallel to scriptParallel when the command
// line did not set it. testing parses its flags only if nobody has, so
// parsing them here first is what lets the default change.
func moreParallel() {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", scriptParallel)
	}
}

// TestScripts runs the CLI scenarios in testdata/script, each against the
// real binary (this test binary re-executed as "fetch").
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		Setup:               scriptSetup,
		Cmds:                scriptCommands(),
	})
}
