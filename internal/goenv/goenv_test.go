package goenv

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFile(t *testing.T) {
	tests := []struct {
		name string
		goos string
		env  map[string]string
		want string
	}{
		{"GOENV names the file", "linux", map[string]string{"GOENV": "/x/env", "HOME": "/h"}, "/x/env"},
		{"GOENV=off reads no file", "linux", map[string]string{"GOENV": "off", "HOME": "/h"}, ""},
		{"linux uses XDG_CONFIG_HOME", "linux", map[string]string{"XDG_CONFIG_HOME": "/cfg", "HOME": "/h"}, "/cfg/go/env"},
		{"a relative XDG_CONFIG_HOME means no directory", "linux", map[string]string{"XDG_CONFIG_HOME": "cfg", "HOME": "/h"}, ""},
		{"linux falls back to HOME/.config", "linux", map[string]string{"HOME": "/h"}, "/h/.config/go/env"},
		{"darwin uses Library/Application Support", "darwin", map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "/cfg"}, "/h/Library/Application Support/go/env"},
		{"windows uses AppData", "windows", map[string]string{"AppData": `C:\a`, "HOME": "/h"}, `C:\a\go\env`},
		{"plan9 uses home/lib", "plan9", map[string]string{"home": "/usr/g"}, "/usr/g/lib/go/env"},
		{"no home means no file", "linux", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := File(tt.goos, mapEnv(tt.env)); got != tt.want {
				t.Errorf("File(%s) = %q, want %q", tt.goos, got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	data := "# comment\nGOPATH=/gp\n\nGOPRIVATE=a.test,b.test\nlower=x\n=novalue\nGOVCS=a=b\nNOEQUALS\nGOPATH=/later\nGOAUTH=netrc\r\nGOINSECURE=\"q\"\nGOSUMDB="
	want := map[string]string{
		"GOPATH":     "/later",
		"GOPRIVATE":  "a.test,b.test",
		"GOVCS":      "a=b",
		"GOAUTH":     "netrc\r",
		"GOINSECURE": `"q"`,
		"GOSUMDB":    "",
	}
	if got := Parse([]byte(data)); !reflect.DeepEqual(got, want) {
		t.Errorf("Parse = %q, want %q", got, want)
	}
}

func TestPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "env")
	if err := os.WriteFile(file, []byte("GOPATH=/from-file\nGOPRIVATE=file.test\nHOME=/not-a-go-var\nGOVCS=public:git\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	proc := map[string]string{"GOENV": file, "GOPRIVATE": "env.test", "HOME": "/h", "GOVCS": ""}
	e := Load(mapEnv(proc))
	tests := []struct {
		key, want, source string
	}{
		{"GOPRIVATE", "env.test", "environment"}, // the process environment wins
		{"GOPATH", "/from-file", file},           // the file fills what it leaves unset
		{"GOVCS", "public:git", file},            // an empty value is unset, as for the Go command
		{"HOME", "/h", "environment"},            // only Go variables come from the file
		{"GOINSECURE", "", ""},                   // neither: the default
	}
	for _, tt := range tests {
		if got := e.Getenv(tt.key); got != tt.want {
			t.Errorf("Getenv(%s) = %q, want %q", tt.key, got, tt.want)
		}
		if got := e.Source(tt.key); got != tt.source {
			t.Errorf("Source(%s) = %q, want %q", tt.key, got, tt.source)
		}
	}
	delete(proc, "HOME")
	if got := Load(mapEnv(proc)).Getenv("HOME"); got != "" {
		t.Errorf("HOME from the Go environment file = %q, want nothing", got)
	}
	proc["GOENV"] = "off"
	if got := Load(mapEnv(proc)).Getenv("GOPATH"); got != "" {
		t.Errorf("with GOENV=off, GOPATH = %q, want nothing", got)
	}
}

func TestMissingFileSuppliesNothing(t *testing.T) {
	e := Load(mapEnv(map[string]string{"GOENV": filepath.Join(t.TempDir(), "missing")}))
	if got := e.Getenv("GOPATH"); got != "" {
		t.Errorf("GOPATH = %q, want nothing", got)
	}
}
