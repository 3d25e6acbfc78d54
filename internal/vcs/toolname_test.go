package vcs

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// Windows-style tool paths run on every platform.
func TestToolName(t *testing.T) {
	tests := []struct{ bin, want string }{
		{"/usr/bin/git", "git"},
		{"git", "git"},
		{`C:\Program Files\Git\cmd\git.exe`, "git"},
		{`C:\Program Files\Mercurial\hg.EXE`, "hg"},
		{`C:/tools/brz.Exe`, "brz"},
		{"/opt/fossil", "fossil"},
		{"/usr/bin/.exe", ".exe"},
	}
	for _, tt := range tests {
		if got := toolName(tt.bin); got != tt.want {
			t.Errorf("toolName(%q) = %q, want %q", tt.bin, got, tt.want)
		}
	}
}

// TestAMissingToolIsTyped checks that callers tell a missing tool from a
// failing one with errors.Is, while the text stays the one users read.
func TestAMissingToolIsTyped(t *testing.T) {
	t.Parallel()
	c := &Cmd{name: "nosuchvcs", bin: "fetch-no-such-tool", fallbacks: []string{"fetch-no-such-tool2"}}
	_, err := c.binary()
	if !errors.Is(err, ErrToolMissing) || !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("binary() = %v; want ErrToolMissing and exec.ErrNotFound in its chain", err)
	}
	if !strings.HasPrefix(err.Error(), "missing nosuchvcs command (install fetch-no-such-tool or fetch-no-such-tool2): ") {
		t.Errorf("binary() = %q, want the missing command named", err)
	}
}
