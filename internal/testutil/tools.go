// Package testutil holds small helpers shared by the project's tests.
package testutil

import (
	"os"
	"os/exec"
	"testing"
)

// NeedTool skips the test when the named program is not installed, with a
// message naming the Debian package that provides it. When
// FETCH_TEST_REQUIRE_TOOLS is set (CI sets it), a missing tool fails the
// test instead, so CI never passes by skipping.
func NeedTool(t testing.TB, program, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	msg := program + " not installed (apt-get install " + debianPackage + ")"
	if os.Getenv("FETCH_TEST_REQUIRE_TOOLS") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
