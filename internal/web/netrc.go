package web

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// netrcEntry is one machine's login. It is never formatted into an event
// or an error.
type netrcEntry struct {
	machine, login, password string
}

// readNetrc reads the netrc file at path. A missing file supplies no
// credentials, as for the Go command.
func readNetrc(path string) ([]netrcEntry, error) {
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
	return parseNetrc(string(data)), nil
}

// parseNetrc reads machine/login/password entries the way the Go command
// does: an entry counts once all three are known, the first entry for a
// machine wins, macdef bodies (up to a blank line) are skipped, and
// parsing stops at "default", whose login the Go command never uses.
func parseNetrc(data string) []netrcEntry {
	var (
		entries []netrcEntry
		cur     netrcEntry
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
				cur = netrcEntry{machine: tok}
			case "login":
				cur.login = tok
			case "password":
				cur.password = tok
			case "macdef":
				inMacro = true
			}
			key = ""
			if cur.machine != "" && cur.login != "" && cur.password != "" {
				entries = append(entries, cur)
				cur = netrcEntry{}
			}
			if inMacro {
				break // the macro body starts on the next line
			}
		}
	}
	return entries
}

// lookupNetrc returns the first entry for host (the URL's host[:port], as
// the Go command matches it).
func lookupNetrc(entries []netrcEntry, host string) (netrcEntry, bool) {
	for _, e := range entries {
		if strings.EqualFold(e.machine, host) {
			return e, true
		}
	}
	return netrcEntry{}, false
}
