package netrc

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []Entry
	}{
		{"one entry per line", "machine a.test login u password p\n", []Entry{{"a.test", "u", "p"}}},
		{"an entry may span lines", "machine a.test\n\tlogin u\n\tpassword p\n", []Entry{{"a.test", "u", "p"}}},
		{"entries keep file order so the first wins", "machine a.test login u1 password p1\nmachine a.test login u2 password p2\n",
			[]Entry{{"a.test", "u1", "p1"}, {"a.test", "u2", "p2"}}},
		{"an entry without a password is dropped", "machine a.test login u\nmachine b.test login v password q\n", []Entry{{"b.test", "v", "q"}}},
		{"account values are skipped", "machine a.test login u account acct password p\n", []Entry{{"a.test", "u", "p"}}},
		{"a macro body is skipped up to a blank line", "macdef init\nmachine evil.test login x password y\n\nmachine a.test login u password p\n",
			[]Entry{{"a.test", "u", "p"}}},
		{"parsing stops at default", "machine a.test login u password p\ndefault login d password dp\nmachine b.test login v password q\n",
			[]Entry{{"a.test", "u", "p"}}},
		{"windows line endings are fine", "machine a.test\r\nlogin u\r\npassword p\r\n", []Entry{{"a.test", "u", "p"}}},
		{"an empty file has no entries", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.data)
			if !reflect.DeepEqual(got, tt.want) {
				// Entry's String hides passwords; show them here.
				t.Errorf("Parse(%q) = %s, want %s", tt.data, dump(got), dump(tt.want))
			}
		})
	}
}

func dump(es []Entry) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "{%s %s %s}", e.Machine, e.Login, e.Password)
	}
	return "[" + b.String() + "]"
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "netrc")
	if err := os.WriteFile(file, []byte("machine a.test login u password p\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		want    int
		wantErr string
	}{
		{"no path means no logins", "", 0, ""},
		{"a missing file means no logins", filepath.Join(dir, "missing"), 0, ""},
		{"a readable file is parsed", file, 1, ""},
		{"an unreadable file is an error", dir, 0, "reading netrc: read "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("Read(%q) error = %v, want prefix %q", tt.path, err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != tt.want {
				t.Fatalf("Read(%q) = %d entries, %v; want %d", tt.path, len(got), err, tt.want)
			}
		})
	}
}

func TestFile(t *testing.T) {
	tests := []struct {
		name     string
		explicit string
		env      map[string]string
		want     string
	}{
		{"an explicit file wins over the environment", "/x/netrc", map[string]string{"NETRC": "/y/netrc", "HOME": "/h"}, "/x/netrc"},
		{"NETRC wins over HOME", "", map[string]string{"NETRC": "/y/netrc", "HOME": "/h"}, "/y/netrc"},
		{"without NETRC the file is .netrc in HOME", "", map[string]string{"HOME": "/h"}, filepath.Join("/h", ".netrc")},
		{"without NETRC and HOME there is no file", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := File(tt.explicit, func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("File(%q) = %q, want %q", tt.explicit, got, tt.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	entries := Parse("machine a.test login u1 password p1\nmachine A.test login u2 password p2\nmachine b.test:8443 login v password q\n")
	tests := []struct {
		name      string
		host      string
		wantLogin string
	}{
		{"the first entry for a host wins", "a.test", "u1"},
		{"host names match without regard to case", "A.TEST", "u1"},
		{"a port must be named in the machine line", "b.test:8443", "v"},
		{"a host without its port does not match a machine with one", "b.test", ""},
		{"a machine without a port does not match a host with one", "a.test:8443", ""},
		{"an unknown host has no login", "c.test", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := Lookup(entries, tt.host)
			if ok != (tt.wantLogin != "") || e.Login != tt.wantLogin {
				t.Errorf("Lookup(%q) = %q, %v; want login %q", tt.host, e.Login, ok, tt.wantLogin)
			}
		})
	}
}

func TestEntryFormattingHidesThePassword(t *testing.T) {
	e := Entry{Machine: "a.test", Login: "u", Password: "s3cret"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		if got := fmt.Sprintf(verb, e); strings.Contains(got, "s3cret") || !strings.Contains(got, "a.test") {
			t.Errorf("Sprintf(%q, entry) = %q, want the machine and no password", verb, got)
		}
	}
}
