package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// cloudBin builds fetch-cloud once per test binary, for the first script
// that asks: scripts that never run it never pay for the build.
var cloudBin struct {
	once sync.Once
	dir  string // removed when the tests end (see withCleanup)
	path string
	err  error
}

// cmdCloudBin points fetch at a fetch-cloud built from this checkout:
//
//	cloudbin
//
// sets $FETCH_CLOUD to it.
func cmdCloudBin(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: cloudbin")
	}
	cloudBin.once.Do(func() {
		cloudBin.dir, cloudBin.err = os.MkdirTemp("", "fetch-cloud-bin-")
		if cloudBin.err != nil {
			return
		}
		exe := "fetch-cloud"
		if runtime.GOOS == "windows" {
			exe += ".exe"
		}
		cloudBin.path = filepath.Join(cloudBin.dir, exe)
		gocmd, err := exec.LookPath("go")
		if err != nil {
			cloudBin.err = err
			return
		}
		out, err := exec.Command(gocmd, "build", "-o", cloudBin.path, "github.com/gofetch/fetch/cmd/fetch-cloud").CombinedOutput()
		if err != nil {
			cloudBin.err = &buildError{err, string(out)}
		}
	})
	if cloudBin.err != nil {
		ts.Fatalf("building fetch-cloud: %v", cloudBin.err)
	}
	ts.Setenv("FETCH_CLOUD", cloudBin.path)
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// withCleanup removes what the tests built once they have run.
type withCleanup struct{ m testscript.TestingM }

func (w withCleanup) Run() int {
	code := w.m.Run()
	if cloudBin.dir != "" {
		os.RemoveAll(cloudBin.dir)
	}
	return code
}
