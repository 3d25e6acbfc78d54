package netrc

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/gofetch/fetch/internal/redact"
)

// maxRequest bounds a credential request read from git; real ones are a
// few hundred bytes.
const maxRequest = 64 << 10

// GitCredential answers one call of git's credential helper protocol
// (gitcredentials(7)) from entries. For action "get" it reads the
// key=value lines git writes to in and, when the request is for https to
// a host that has an entry, and names no other user, writes the entry's
// username and password to out; otherwise it writes nothing, and git asks
// its next helper or gives up. Plain http never gets a netrc login, as for
// discovery requests. "store", "erase" and actions this helper does not
// know are read and ignored, as the protocol asks: the netrc file is the
// user's, and fetch never changes it.
func GitCredential(action string, entries []Entry, in io.Reader, out io.Writer) error {
	req, err := readRequest(in)
	if err != nil || action != "get" {
		return err
	}
	if req["protocol"] != "https" || req["host"] == "" {
		return nil
	}
	e, ok := Lookup(entries, req["host"])
	if !ok || (req["username"] != "" && req["username"] != e.Login) {
		return nil
	}
	if strings.ContainsAny(e.Login+e.Password, "\x00\r\n") {
		// The protocol is line-based; such a value would be read as more
		// attributes than the one it is.
		return fmt.Errorf("netrc login for %s: a login or password with a NUL or newline cannot be passed to git", e.Machine)
	}
	if _, err := fmt.Fprintf(out, "username=%s\npassword=%s\n", e.Login, e.Password); err != nil {
		return fmt.Errorf("answering git's credential request for %s: %w", e.Machine, err)
	}
	return nil
}

// readRequest reads key=value lines up to a blank line or the end of
// input. A url attribute fills in the protocol, host and username it
// implies when they are not given on their own.
func readRequest(in io.Reader) (map[string]string, error) {
	req := map[string]string{}
	sc := bufio.NewScanner(io.LimitReader(in, maxRequest))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			// The line is not quoted: it may hold a password.
			return nil, fmt.Errorf("reading git's credential request: line %d is not key=value", n)
		}
		req[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading git's credential request: %w", err)
	}
	if raw := req["url"]; raw != "" {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("reading git's credential request: url attribute: %w", redact.Error(err))
		}
		fill := func(k, v string) {
			if req[k] == "" {
				req[k] = v
			}
		}
		fill("protocol", u.Scheme)
		fill("host", u.Host)
		fill("username", u.User.Username())
	}
	return req, nil
}

// ReadGitRequest reads a git credential request (key=value lines up to a
// blank line) as GitCredential does, for helpers that answer from another
// source.
func ReadGitRequest(in io.Reader) (map[string]string, error) { return readRequest(in) }
