package doctor_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDoctorIsAClientOfTheResolutionPackages keeps doctor a client like any
// other: it reaches the server through internal/discovery and internal/web
// and the repository through internal/vcs, never through package fetch's
// internals or its downloads (go-getter, cloud SDKs).
func TestDoctorIsAClientOfTheResolutionPackages(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not installed")
	}
	cmd := exec.Command(gocmd, "list", "-deps", "-f", "{{.ImportPath}} {{with .Module}}{{.Path}}{{end}}", ".")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const self = "github.com/gofetch/fetch"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, mod, _ := strings.Cut(line, " ")
		switch {
		case mod != "" && mod != self && !strings.HasPrefix(mod, "golang.org/x/"):
			t.Errorf("doctor depends on module %s (package %s); only the standard library, golang.org/x/... and %s are allowed", mod, pkg, self)
		case pkg == self+"/fetch" || pkg == self+"/internal/download" || pkg == self+"/internal/testbed":
			t.Errorf("doctor depends on %s", pkg)
		}
	}
}
