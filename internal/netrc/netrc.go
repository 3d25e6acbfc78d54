// Package netrc reads logins from a netrc file by the Go command's rules.
// fetch uses them for discovery requests over https (internal/web) and,
// through the credential helper it hands to git, for repositories
// (GitCredential).
package netrc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Entry is one machine's login. Its String and GoString methods leave the
// password out, so that a stray %v or %#v cannot print it.
type Entry struct {
	Machine, Login, Password string
}

// String returns the machine and login, never the password.
func (e Entry) String() string { return "machine " + e.Machine + " login " + e.Login }

// GoString is String, so %#v hides the password too.
func (e Entry) GoString() string { return e.String() }

// File returns the netrc file fetch reads: explicit when it is set, else
// $NETRC, else $HOME/.netrc, else "" (no file).
func File(explicit string, getenv func(string) string) string {
	if explicit != "" {
		return explicit
	}
	if f := getenv("NETRC"); f != "" {
		return f
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".netrc")
	}
	return ""
}

// Read reads the netrc file at path. No path, or a missing file, supplies
// no logins, as for the Go command.
func Read(path string) ([]Entry, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading netrc: %w", err)
	}
	return Parse(string(data)), nil
}

// Parse reads machine/login/password entries the way the Go command does:
// an entry counts once all three are known, entries keep file order (the
// first for a machine wins in Lookup), macdef bodies (up to a blank line)
// are skipped, and parsing stops at "default", whose login the Go command
// never uses.
func Parse(data string) []Entry {
	var (
		entries []Entry
		cur     Entry
		key     string // keyword whose value comes next
		inMacro bool
	)
	for line := range strings.SplitSeq(data, "\n") {
		if inMacro {
			inMacro = strings.TrimRight(line, "\r") != ""
			continue
		}
		for _, tok := range strings.Fields(line) {
			if key == "" {
				switch tok {
				case "default":
					return entries
				case "machine", "login", "password", "account", "macdef":
					key = tok
				}
				continue
			}
			switch key {
			case "machine":
				cur = Entry{Machine: tok}
			case "login":
				cur.Login = tok
			case "password":
				cur.Password = tok
			case "macdef":
				inMacro = true
			}
			key = ""
			if cur.Machine != "" && cur.Login != "" && cur.Password != "" {
				entries = append(entries, cur)
				cur = Entry{}
			}
			if inMacro {
				break // the macro body starts on the next line
			}
		}
	}
	return entries
}

// Lookup returns the first entry for host, a URL's host[:port]: as in the
// Go command, a server on a port other than the scheme's default needs a
// machine line naming that port.
func Lookup(entries []Entry, host string) (Entry, bool) {
	for _, e := range entries {
		if strings.EqualFold(e.Machine, host) {
			return e, true
		}
	}
	return Entry{}, false
}
