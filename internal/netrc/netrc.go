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
	"runtime"
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
// $NETRC, else the file in the home directory, as the Go command finds it
// (see FileFor); "" when there is no home directory.
func File(explicit string, getenv func(string) string) string {
	if explicit != "" {
		return explicit
	}
	return FileFor(runtime.GOOS, getenv, fileExists)
}

// FileFor is File's rule for the operating system goos, with exists
// reporting whether a file is there: $NETRC, else in the home directory
// ($HOME; %USERPROFILE% on Windows; $home on Plan 9) .netrc, except that
// on Windows an existing _netrc is preferred, as the Go command does.
func FileFor(goos string, getenv func(string) string, exists func(string) bool) string {
	if f := getenv("NETRC"); f != "" {
		return f
	}
	home := getenv(homeVar[goos])
	if homeVar[goos] == "" {
		home = getenv("HOME")
	}
	if home == "" {
		return ""
	}
	join := filepath.Join
	if goos == "windows" && runtime.GOOS != "windows" {
		// Tests of the Windows rule run elsewhere too.
		join = func(elem ...string) string { return strings.Join(elem, `\`) }
	}
	if goos == "windows" {
		if legacy := join(home, "_netrc"); exists(legacy) {
			return legacy
		}
	}
	return join(home, ".netrc")
}

// homeVar names the variable holding the home directory where it is not
// $HOME (os.UserHomeDir's rule).
var homeVar = map[string]string{
	"windows": "USERPROFILE",
	"plan9":   "home",
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
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

// Parse reads machine/login/password entries exactly as the Go command
// does (cmd/go/internal/auth), which differs from other readers:
//
//   - each line is read on its own, as keyword/value pairs from its first
//     word: a keyword whose value is on the next line is dropped, and a
//     word in a keyword's place that is no keyword is skipped with the
//     word after it;
//   - "machine" starts a new entry, and an entry counts once its machine,
//     login and password are all known (then the next one starts);
//   - "macdef NAME" skips the lines after it up to an empty line (a line
//     holding only "\r" is not empty), and the pairs after it on its own
//     line still count;
//   - "default" ends the file only when it is the last word of a line
//     with no value after it (where it is read as a keyword); elsewhere it
//     is a keyword without effect.
//
// Entries keep file order; the first for a machine wins in Lookup.
func Parse(data string) []Entry {
	var (
		entries []Entry
		cur     Entry
		inMacro bool
	)
	for line := range strings.SplitSeq(data, "\n") {
		if inMacro {
			inMacro = line != ""
			continue
		}
		words := strings.Fields(line)
		i := 0
		for ; i+1 < len(words); i += 2 {
			value := words[i+1]
			switch words[i] {
			case "machine":
				cur = Entry{Machine: value}
			case "login":
				cur.Login = value
			case "password":
				cur.Password = value
			case "macdef":
				inMacro = true
			}
			if cur.Machine != "" && cur.Login != "" && cur.Password != "" {
				entries = append(entries, cur)
				cur = Entry{}
			}
		}
		if i < len(words) && words[i] == "default" {
			break
		}
	}
	return entries
}

// Lookup returns the first entry whose machine is host, a URL's
// host[:port], compared as the Go command compares them: exactly, case
// included, so a server on a port other than the scheme's default needs a
// machine line naming that port. A machine written as a URL prefix
// ("https://host/") is read without the scheme and the trailing slash.
func Lookup(entries []Entry, host string) (Entry, bool) {
	for _, e := range entries {
		if Prefix(e.Machine) == host {
			return e, true
		}
	}
	return Entry{}, false
}

// Prefix is the credential prefix a machine name stands for in the Go
// command: the name without a leading "https://" and a trailing "/".
func Prefix(machine string) string {
	return strings.TrimSuffix(strings.TrimPrefix(machine, "https://"), "/")
}
