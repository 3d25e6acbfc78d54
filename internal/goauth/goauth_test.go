package goauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestNewRefusesWhatTheGoCommandRefuses(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	tests := []struct {
		name, setting string
		ok            bool
	}{
		{"unset means netrc", "", true},
		{"off alone", "off", true},
		{"netrc then a command", "netrc; my-helper --flag", true},
		{"git with an absolute directory", "git " + dir, true},
		{"an empty element", "netrc;;netrc", false},
		{"a trailing semicolon", "netrc;", false},
		{"off combined", "off;netrc", false},
		{"git without a directory", "git", false},
		{"git with a relative directory", "git some/dir", false},
		{"git with a file", "git " + file, false},
		{"git with two words", "git " + dir + " more", false},
		{"an unterminated quote", `helper "arg`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.setting, "")
			if (err == nil) != tt.ok {
				t.Fatalf("New(%q) error = %v, want ok=%v", tt.setting, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrGOAUTH) {
				t.Errorf("New(%q) error %v does not match ErrGOAUTH", tt.setting, err)
			}
		})
	}
}

func TestParseOutput(t *testing.T) {
	good := "https://a.test\nhttps://b.test/api/\n\nAuthorization: Basic dG9r\nX-Extra: one\n\nhttps://c.test/\n\nX-Token:  t  \n\n"
	got, err := ParseOutput(good)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]http.Header{
		"a.test":     {"Authorization": {"Basic dG9r"}, "X-Extra": {"one"}},
		"b.test/api": {"Authorization": {"Basic dG9r"}, "X-Extra": {"one"}},
		"c.test":     {"X-Token": {"t"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseOutput = %v, want %v", got, want)
	}
	if got, err := ParseOutput(""); err != nil || len(got) != 0 {
		t.Errorf("ParseOutput(\"\") = %v, %v; want nothing", got, err)
	}
	for name, bad := range map[string]string{
		"no blank line after the URLs":    "https://a.test\n",
		"no blank line after the headers": "https://a.test\n\nX: y\n",
		"a URL that is not one":           "not a url\n\nX: y\n\n",
		"a header without ': '":           "https://a.test\n\nX:y\n\n",
		"a bad header name":               "https://a.test\n\nX Y: z\n\n",
		"a control character in a value":  "https://a.test\n\nX: a\x01b\n\n",
	} {
		if _, err := ParseOutput(bad); !errors.Is(err, ErrOutput) {
			t.Errorf("%s: ParseOutput(%q) error = %v, want ErrOutput", name, bad, err)
		}
	}
}

func TestCredentialsGoToTheirOwnPrefix(t *testing.T) {
	dir := t.TempDir()
	netrcFile := filepath.Join(dir, "netrc")
	os.WriteFile(netrcFile, []byte("machine a.test login n password np\nmachine b.test:8443 login p password pp\nmachine https://c.test/ login c password cp\nmachine a.test login second password x\n"), 0o600)
	helper := filepath.Join(dir, "helper")
	os.WriteFile(helper, []byte("#!/bin/sh\nprintf 'https://a.test/team\\nhttps://d.test\\n\\nX-Token: cmd\\n\\n'\n"), 0o755)
	a, err := New("netrc;"+helper, netrcFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url, want, source string
	}{
		{"https://a.test/x", "Basic bjpucA==", "netrc"},
		{"https://a.test/team/x", "cmd", "GOAUTH command"}, // the longer prefix wins
		{"https://a.test/team", "cmd", "GOAUTH command"},
		{"https://a.test/teammate", "Basic bjpucA==", "netrc"}, // whole path elements
		{"https://sub.a.test/x", "", ""},                       // never a subdomain
		{"https://a.test:8443/x", "", ""},                      // never another port
		{"https://b.test:8443/x", "Basic cDpwcA==", "netrc"},
		{"https://b.test/x", "", ""},
		{"https://c.test/x", "Basic YzpjcA==", "netrc"},
		{"https://d.test/x", "cmd", "GOAUTH command"},
		{"http://a.test/x", "", ""}, // never plain http
		{"https://A.TEST/x", "", ""},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.url)
		h, source := a.Header(context.Background(), u)
		got := h.Get("Authorization")
		if got == "" {
			got = h.Get("X-Token")
		}
		if got != tt.want || source != tt.source {
			t.Errorf("Header(%s) = %q from %q, want %q from %q", tt.url, got, source, tt.want, tt.source)
		}
	}
}

func TestEarlierMethodWinsForOnePrefix(t *testing.T) {
	dir := t.TempDir()
	netrcFile := filepath.Join(dir, "netrc")
	os.WriteFile(netrcFile, []byte("machine a.test login n password np\n"), 0o600)
	helper := filepath.Join(dir, "helper")
	os.WriteFile(helper, []byte("#!/bin/sh\nprintf 'https://a.test\\n\\nAuthorization: Bearer cmd\\n\\n'\n"), 0o755)
	u, _ := url.Parse("https://a.test/x")
	for setting, want := range map[string]string{
		helper + ";netrc": "Bearer cmd",
		"netrc;" + helper: "Basic bjpucA==",
	} {
		a, err := New(setting, netrcFile)
		if err != nil {
			t.Fatal(err)
		}
		if h, _ := a.Header(context.Background(), u); h.Get("Authorization") != want {
			t.Errorf("GOAUTH=%s: Authorization %q, want %q", setting, h.Get("Authorization"), want)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	got, err := splitCommand(`helper 'a b' "c d"  e`)
	if want := []string{"helper", "a b", "c d", "e"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("splitCommand = %q, %v; want %q", got, err, want)
	}
}
