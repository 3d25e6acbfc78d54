package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"fetch": func() { os.Exit(run()) },
	})
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
