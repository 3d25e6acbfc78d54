package netrc

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
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
		{"parsing stops at a default that ends its line", "machine a.test login u password p\ndefault\nmachine b.test login v password q\n",
			[]Entry{{"a.test", "u", "p"}}},
		{"parsing stops at a default that is the odd last word", "machine a.test login u password p default\nmachine b.test login v password q\n",
			[]Entry{{"a.test", "u", "p"}}},
		// The Go command reads default as a keyword whose value is the
		// next word: "default login d password dp" is the pairs (default
		// login) (d password) and the odd word dp, so reading goes on.
		{"a default with words after it does not stop parsing", "machine a.test login u password p\ndefault login d password dp\nmachine b.test login v password q\n",
			[]Entry{{"a.test", "u", "p"}, {"b.test", "v", "q"}}},
		{"a default in mid-line is a keyword without effect", "machine a.test login u default x password p\n",
			[]Entry{{"a.test", "u", "p"}}},
		{"a value on the next line is dropped", "machine a.test login\nu password p\nmachine b.test login v password q\n",
			[]Entry{{"b.test", "v", "q"}}},
		{"a machine whose name is on the next line is dropped", "machine\na.test login u password p\n", nil},
		{"pairs are read from the first word of a line", "x machine a.test login u password p\n", nil},
		{"a macro ends only at an empty line", "macdef init\nmachine evil.test login x password y\n\nmachine a.test login u password p\n",
			[]Entry{{"a.test", "u", "p"}}},
		{"a CRLF blank line does not end a macro", "macdef init\r\nmachine evil.test login x password y\r\n\r\nmachine a.test login u password p\r\n", nil},
		{"a CRLF macro ends at a bare LF blank line", "macdef init\r\ncd /\r\n\nmachine a.test login u password p\r\n",
			[]Entry{{"a.test", "u", "p"}}},
		{"pairs after macdef on its line still count", "machine a.test login u macdef m password p\n",
			[]Entry{{"a.test", "u", "p"}}},
		{"macdef followed by password on its line completes the entry", "machine a.test login u\nmacdef m password p\nmachine evil.test login x password y\n",
			[]Entry{{"a.test", "u", "p"}}},
		{"a keyword as a machine name is a name", "machine login login u password p\n", []Entry{{"login", "u", "p"}}},
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
		{"host names match with regard to case, as in the Go command", "A.TEST", ""},
		{"the second spelling is its own machine", "A.test", "u2"},
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

func TestFileFor(t *testing.T) {
	tests := []struct {
		name   string
		goos   string
		env    map[string]string
		exists []string
		want   string
	}{
		{"NETRC wins on every system", "windows", map[string]string{"NETRC": `C:\n`, "USERPROFILE": `C:\u`}, []string{`C:\u\_netrc`}, `C:\n`},
		{"windows prefers an existing _netrc", "windows", map[string]string{"USERPROFILE": `C:\u`, "HOME": "/h"}, []string{`C:\u\_netrc`}, `C:\u\_netrc`},
		{"windows falls back to .netrc", "windows", map[string]string{"USERPROFILE": `C:\u`}, nil, `C:\u\.netrc`},
		{"windows reads USERPROFILE, not HOME", "windows", map[string]string{"HOME": "/h"}, nil, ""},
		{"unix never reads _netrc", "linux", map[string]string{"HOME": "/h"}, []string{"/h/_netrc"}, "/h/.netrc"},
		{"darwin reads HOME", "darwin", map[string]string{"HOME": "/h"}, nil, "/h/.netrc"},
		{"plan9 reads home", "plan9", map[string]string{"home": "/usr/g"}, nil, "/usr/g/.netrc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exists := func(name string) bool { return slices.Contains(tt.exists, name) }
			got := FileFor(tt.goos, func(k string) string { return tt.env[k] }, exists)
			if tt.goos != "windows" {
				got = filepath.ToSlash(got)
			}
			if got != tt.want {
				t.Errorf("FileFor(%s) = %q, want %q", tt.goos, got, tt.want)
			}
		})
	}
}

// goRules restates the Go command's netrc reading (cmd/go/internal/auth)
// independently of Parse: the file as a list of lines of words, each line
// consumed two words at a time by a small state machine.
func goRules(data string) []Entry {
	type state struct {
		machine, login, password string
	}
	var out []Entry
	var st state
	lines := strings.Split(data, "\n")
	for n := 0; n < len(lines); n++ {
		words := strings.Fields(lines[n])
		macro := false
		for len(words) >= 2 {
			kw, val := words[0], words[1]
			words = words[2:]
			if kw == "machine" {
				st = state{machine: val}
			} else if kw == "login" {
				st.login = val
			} else if kw == "password" {
				st.password = val
			} else if kw == "macdef" {
				macro = true
			}
			if st.machine != "" && st.login != "" && st.password != "" {
				out = append(out, Entry{st.machine, st.login, st.password})
				st = state{}
			}
		}
		if len(words) == 1 && words[0] == "default" {
			return out
		}
		if macro {
			// Skip to the first line that is exactly empty.
			for n+1 < len(lines) && lines[n+1] != "" {
				n++
			}
			n++ // the empty line itself
		}
	}
	return out
}

func FuzzParseMatchesTheGoCommand(f *testing.F) {
	for _, seed := range []string{
		"machine a login b password c\n",
		"machine a\nlogin b\npassword c\n",
		"default login d password e\nmachine a login b password c\n",
		"machine a login b default\nmachine x login y password z\n",
		"macdef m\r\nmachine a login b password c\r\n\r\n\nmachine d login e password f\n",
		"machine a login b macdef m password c\nmachine x login y password z\n",
		"machine\ta login b password c\x85\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		got, want := Parse(data), goRules(data)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%q) = %s, the Go command's rules give %s", data, dump(got), dump(want))
		}
	})
}
