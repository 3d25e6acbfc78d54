package reporoot_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestReporootDependsOnNoHeavyModules keeps the package light: everything
// it imports, directly or not, is the standard library, golang.org/x or
// this module, never go-getter or a cloud SDK.
func TestReporootDependsOnNoHeavyModules(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not installed")
	}
	cmd := exec.Command(gocmd, "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", ".")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const self = "github.com/gofetch/fetch"
	seen := map[string]bool{}
	for _, mod := range strings.Fields(string(out)) {
		if seen[mod] {
			continue
		}
		seen[mod] = true
		if mod != self && !strings.HasPrefix(mod, "golang.org/x/") {
			t.Errorf("reporoot depends on module %s; only the standard library, golang.org/x/... and %s are allowed", mod, self)
		}
	}
}
