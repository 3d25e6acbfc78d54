package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestVersionOf(t *testing.T) {
	t.Parallel()
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "3d46d34abcdef0123456789abcdef0123456789a"
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"go install @v1.2.3", debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.2.3"}}, "v1.2.3"},
		{"a clean checkout at a tag", debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.2.3"}, Settings: vcs(rev, "false")}, "v1.2.3"},
		{"a checkout build", debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v0.0.0-20260101120000-3d46d34abcde"}, Settings: vcs(rev, "false")}, "3d46d34abcde"},
		{"a dirty checkout build", debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v0.0.0-20260101120000-3d46d34abcde+dirty"}, Settings: vcs(rev, "true")}, "3d46d34abcde+dirty"},
		{"a dirty checkout at a tag", debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.2.3+dirty"}, Settings: vcs(rev, "true")}, "3d46d34abcde+dirty"},
		{"a checkout without version stamp", debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}, Settings: vcs(rev, "false")}, "3d46d34abcde"},
		{"go install @commit", debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v0.0.0-20260101120000-3d46d34abcde"}}, "v0.0.0-20260101120000-3d46d34abcde"},
		{"go run or go test", debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}, "devel"},
		{"a library at v1.4.0", debug.BuildInfo{Main: debug.Module{Path: "example.org/tool", Version: "v2.0.0"},
			Deps: []*debug.Module{{Path: "golang.org/x/mod", Version: "v0.42.0"}, {Path: modulePath, Version: "v1.4.0"}}}, "v1.4.0"},
		{"a library replaced by a directory", debug.BuildInfo{Main: debug.Module{Path: "example.org/tool"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v1.4.0", Replace: &debug.Module{Path: "../fetch"}}}}, "devel"},
		{"no fetch module at all", debug.BuildInfo{Main: debug.Module{Path: "example.org/tool", Version: "v2.0.0"}}, "devel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := versionOf(&tt.bi); got != tt.want {
				t.Errorf("versionOf = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVersionInTests(t *testing.T) {
	t.Parallel()
	// go test stamps no version.
	if got := Version(); got != "devel" {
		t.Errorf("Version() = %q in a test binary, want devel", got)
	}
}
