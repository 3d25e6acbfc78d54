package tree

import (
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"testing"
)

// The Windows rules run on every platform: checkPathFor takes the system
// as a parameter.
func TestCheckPathForWindows(t *testing.T) {
	tests := []struct {
		path         string
		unix, window bool // accepted on unix, on windows
	}{
		{"example.com/a/b", true, true},
		{"example.com/a.b/c-d_e~f", true, true},
		{"example.com/con.d/x", true, false}, // CON with an extension is still CON
		{"example.com/icon.d/x", true, true},
		{"example.com/d.con/x", true, true}, // only the part before the first dot counts
		{"example.com/console", true, true},
		{"example.com/com10", true, true},
		{"example.com/lpt", true, true},
		{"C:/x", true, false},
		{"c:", true, false},
		{"example.com/a:b", true, false}, // stream b of file a
		{"example.com/a|b", true, false},
		{"example.com/a?b", true, false},
		{"example.com/a*b", true, false},
		{`example.com/a"b`, true, false},
		{"example.com/a<b>", true, false},
		{"example.com/a.", true, false},
		{"example.com/a ", true, false},
		{"example.com/nul", true, false},
		{"example.com/NUL.txt", true, false},
		{"example.com/Com1", true, false},
		{"example.com/lpt9.go", true, false},
		{"example.com/COM¹", true, false},
		{"example.com/conin$", true, false},
		{"example.com/aux /x", true, false},
		// Rules for every system.
		{`example.com\a`, false, false},
		{`C:\x`, false, false},
		{"//host/share/x", false, false},
		{"/x", false, false},
		{"example.com/GIT~1/x", false, false},
		{"example.com/.git", false, false},
		{"example.com/../x", false, false},
		{"example.com//x", false, false},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			goos string
			want bool
		}{{"linux", tt.unix}, {"windows", tt.window}} {
			err := checkPathFor(c.goos, tt.path)
			if (err == nil) != c.want {
				t.Errorf("checkPathFor(%q, %q) = %v, want accepted %v", c.goos, tt.path, err, c.want)
			}
			if err != nil && !errors.Is(err, ErrInvalidPath) {
				t.Errorf("checkPathFor(%q, %q) = %v, does not match ErrInvalidPath", c.goos, tt.path, err)
			}
		}
	}
}

func TestCheckPathIsCheckPathForThisSystem(t *testing.T) {
	for _, p := range []string{"example.com/a", "example.com/nul", "C:/x", "example.com/a."} {
		if got, want := CheckPath(p) == nil, checkPathFor(runtime.GOOS, p) == nil; got != want {
			t.Errorf("CheckPath(%q) accepted %v, checkPathFor(%s) %v", p, got, runtime.GOOS, want)
		}
	}
}

func TestVolumeNameLen(t *testing.T) {
	tests := []struct {
		path string
		want string
	}{
		{`C:\Users\me\go`, "C:"},
		{`c:/go`, "c:"},
		{`C:`, "C:"},
		{`C:go`, "C:"}, // drive-relative
		{`\\host\share\go`, `\\host\share`},
		{`//host/share/go`, `//host/share`},
		{`\\host\share`, `\\host\share`},
		{`\\?\C:\go`, `\\?\C:`},
		{`\\.\pipe\x`, `\\.\pipe`},
		{`\\host`, ""},
		{`\\`, ""},
		{`\go`, ""},
		{`/home/me/go`, ""},
		{`go/src`, ""},
		{`1:/x`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		if got := tt.path[:volumeNameLen(tt.path)]; got != tt.want {
			t.Errorf("volume of %q = %q, want %q", tt.path, got, tt.want)
		}
		if runtime.GOOS == "windows" {
			if fv := filepath.VolumeName(tt.path); fv != tt.want {
				t.Errorf("filepath.VolumeName(%q) = %q, this table says %q", tt.path, fv, tt.want)
			}
		}
	}
}

// What os.Lstat reports on Windows for the entries placement meets, and
// whether the walk refuses to go through them.
func TestLinkLikeAttrs(t *testing.T) {
	tests := []struct {
		name     string
		mode     fs.FileMode
		attrs    uint32
		hasAttrs bool
		want     bool
	}{
		{"directory", fs.ModeDir | 0o755, winAttrDirectory, true, false},
		{"file", 0o644, 0x20, true, false},
		{"symbolic link to a directory", fs.ModeSymlink, winAttrDirectory | winAttrReparsePoint, true, true},
		{"junction (Go 1.23+: a directory, irregular)", fs.ModeDir | fs.ModeIrregular, winAttrDirectory | winAttrReparsePoint, true, true},
		{"other reparse point on a directory", fs.ModeDir, winAttrDirectory | winAttrReparsePoint, true, true},
		{"unix symbolic link", fs.ModeSymlink, 0, false, true},
		{"unix directory", fs.ModeDir, 0, false, false},
		{"no attributes known, reparse bit ignored", fs.ModeDir, winAttrReparsePoint, false, false},
	}
	for _, tt := range tests {
		if got := linkLikeAttrs(tt.mode, tt.attrs, tt.hasAttrs); got != tt.want {
			t.Errorf("%s: linkLikeAttrs = %v, want %v", tt.name, got, tt.want)
		}
	}
}
