package vcs

import "testing"

func TestParseGitProgress(t *testing.T) {
	tests := []struct {
		name string
		line string
		want GitProgress
		ok   bool
	}{
		{"receiving gives percent and bytes", "Receiving objects:  45% (450/1000), 1.20 MiB | 500.00 KiB/s", GitProgress{GitReceiving, 45, 1258291}, true},
		{"receiving done keeps the size", "Receiving objects: 100% (302/302), 916.24 KiB | 3.72 MiB/s, done.", GitProgress{GitReceiving, 100, 938229}, true},
		{"receiving before any size", "Receiving objects:   0% (1/302)", GitProgress{GitReceiving, 0, 0}, true},
		{"deltas are indexing", "Resolving deltas:  30% (3/10)", GitProgress{GitDeltas, 30, 0}, true},
		{"updating files is the checkout", "Updating files:  80% (8/10)", GitProgress{GitCheckout, 80, 0}, true},
		{"the server's counting is remote", "remote: Counting objects:  81% (35/43)", GitProgress{GitRemote, -1, 0}, true},
		{"cloning into names a temporary path and is dropped", "Cloning into '/root/src/.fetch-tmp-x/repo'...", GitProgress{}, false},
		{"a warning is dropped", "warning: redirecting to https://x/", GitProgress{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseGitProgress(tt.line)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseGitProgress(%q) = %+v, %v, want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
			}
		})
	}
}
