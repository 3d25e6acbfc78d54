package vcs

import "testing"

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
