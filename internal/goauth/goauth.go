// Package goauth supplies credentials for https requests the way the Go
// command's GOAUTH does (go help goauth): a ';'-separated list of methods,
// "off", "netrc", "git DIR" and any other COMMAND, netrc when unset.
//
// Every method is run once before the first request, with no arguments;
// after a 4xx answer they run again with the URL as an argument (and a
// COMMAND gets the response's status line and headers on stdin). Each
// method yields credentials, as http headers, for URL prefixes; a request
// gets the headers of the longest prefix of its URL (host[:port], then
// whole path elements), from the earliest method in the list that gave
// one for that prefix. A prefix names one host exactly: credentials never
// reach a subdomain or another port.
package goauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gofetch/fetch/internal/netrc"
)

// ErrGOAUTH is matched (errors.Is) by every error about a malformed
// GOAUTH setting.
var ErrGOAUTH = errors.New("malformed GOAUTH")

// SettingError is a GOAUTH value the Go command would refuse.
type SettingError struct {
	Value  string // the whole GOAUTH value
	Reason string
}

// Error names the setting, the reason and what to do.
func (e *SettingError) Error() string {
	return fmt.Sprintf("GOAUTH=%s: %s; fix it with go env -w GOAUTH=... or in the environment (see go help goauth)", e.Value, e.Reason)
}

// Is reports ErrGOAUTH.
func (e *SettingError) Is(target error) bool { return target == ErrGOAUTH }

// method is one element of GOAUTH.
type method struct {
	kind string // "netrc", "git" or "command"
	text string // as written, for messages
	dir  string // git's working directory
}

// Auth holds the credentials GOAUTH supplies. It is safe for concurrent
// use.
type Auth struct {
	methods   []method
	netrcFile string

	first sync.Once
	run   sync.Mutex // one refresh at a time
	mu    sync.Mutex
	creds map[string]credential
}

// credential is the headers of one prefix and which method gave them.
type credential struct {
	header http.Header
	source string
}

// New parses setting (the GOAUTH value; "" means "netrc") and returns an
// Auth whose netrc method reads netrcFile ("" means none). It fails as the
// Go command does on an empty element, "off" combined with anything, and
// "git" without exactly one absolute directory.
func New(setting, netrcFile string) (*Auth, error) {
	if setting == "" {
		setting = "netrc"
	}
	a := &Auth{netrcFile: netrcFile, creds: map[string]credential{}}
	parts := strings.Split(setting, ";")
	for _, part := range parts {
		part = strings.TrimSpace(part)
		words := strings.Fields(part)
		if len(words) == 0 {
			return nil, &SettingError{setting, "an empty command (two ';' in a row, or one at an end)"}
		}
		switch words[0] {
		case "off":
			if len(parts) != 1 {
				return nil, &SettingError{setting, "off cannot be combined with other methods"}
			}
			return a, nil
		case "netrc":
			a.methods = append(a.methods, method{kind: "netrc", text: part})
		case "git":
			if len(words) != 2 || !filepath.IsAbs(words[1]) {
				return nil, &SettingError{setting, "the git method needs the absolute path of a git working directory (git DIR)"}
			}
			if st, err := os.Stat(words[1]); err != nil || !st.IsDir() {
				return nil, &SettingError{setting, "git DIR: " + words[1] + " is not a directory"}
			}
			a.methods = append(a.methods, method{kind: "git", text: part, dir: words[1]})
		default:
			if _, err := splitCommand(part); err != nil {
				return nil, &SettingError{setting, err.Error()}
			}
			a.methods = append(a.methods, method{kind: "command", text: part})
		}
	}
	return a, nil
}

// Off reports whether GOAUTH supplies nothing at all.
func (a *Auth) Off() bool { return a == nil || len(a.methods) == 0 }

// Header returns the credential headers for u and the method that gave
// them ("netrc", "git" or "GOAUTH command"), running every method once first.
// Only https URLs get any. The header is the caller's to change.
func (a *Auth) Header(ctx context.Context, u *url.URL) (http.Header, string) {
	if a.Off() || u.Scheme != "https" {
		return nil, ""
	}
	a.first.Do(func() { a.refresh(ctx, nil, nil) })
	return a.lookup(u)
}

// Refresh runs every method again for u after the server answered res
// (a 4xx), as the Go command does before its one retry. It returns the
// errors of the methods that failed, for the trace; a failure of one
// method does not stop the others.
func (a *Auth) Refresh(ctx context.Context, u *url.URL, res *http.Response) []error {
	if a.Off() || u.Scheme != "https" {
		return nil
	}
	a.first.Do(func() { a.refresh(ctx, nil, nil) })
	return a.refresh(ctx, u, res)
}

// refresh runs the methods, storing their credentials last to first so
// that, for one prefix, the earliest method in GOAUTH wins.
func (a *Auth) refresh(ctx context.Context, u *url.URL, res *http.Response) []error {
	a.run.Lock()
	defer a.run.Unlock()
	var errs []error
	for i := len(a.methods) - 1; i >= 0; i-- {
		m := a.methods[i]
		var (
			got map[string]http.Header
			err error
		)
		switch m.kind {
		case "netrc":
			got, err = fromNetrc(a.netrcFile)
		case "git":
			if u == nil {
				continue // git credential cannot list logins: it needs a URL
			}
			got, err = fromGit(ctx, m.dir, u.String())
		default:
			got, err = fromCommand(ctx, m.text, u, res)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("GOAUTH=%s: %w", m.text, err))
			continue
		}
		a.mu.Lock()
		for prefix, h := range got {
			a.store(prefix, h, sourceName[m.kind])
		}
		a.mu.Unlock()
	}
	return errs
}

// store keeps h for prefix (a URL without "https://"); an empty h forgets
// the prefix, as in the Go command.
func (a *Auth) store(prefix string, h http.Header, source string) {
	prefix = trimPrefix(prefix)
	if len(h) == 0 {
		delete(a.creds, prefix)
		return
	}
	a.creds[prefix] = credential{header: h, source: source}
}

// lookup walks u from the whole URL (without "https://") up through its
// '/'-separated prefixes to the host, as the Go command's credential
// cache does, and returns a copy of the first match. A URL whose path
// holds a dot segment (also percent-encoded, or after an encoded slash or
// backslash) gets only its host's credentials: a server removes the dot
// segments, so a/private/%2e%2e/evil is served from a/evil, outside the
// prefix a/private it spells.
func (a *Auth) lookup(u *url.URL) (http.Header, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	key := trimPrefix(u.String())
	if dotSegments(u) {
		key, _, _ = strings.Cut(key, "/")
	}
	for {
		if c, ok := a.creds[key]; ok {
			return c.header.Clone(), c.source
		}
		i := strings.LastIndexByte(key, '/')
		if i < 0 {
			return nil, ""
		}
		key = key[:i]
	}
}

// dotSegments reports whether a path element of u, decoded, is "." or
// "..", or holds a slash or backslash that a server may split at (so that
// "..%2Fx" is one too).
func dotSegments(u *url.URL) bool {
	for _, e := range strings.Split(u.EscapedPath(), "/") {
		d, err := url.PathUnescape(e)
		if err != nil || d == "." || d == ".." || strings.ContainsAny(d, "/\\") {
			return true
		}
	}
	return false
}

func trimPrefix(s string) string {
	return strings.TrimSuffix(strings.TrimPrefix(s, "https://"), "/")
}

// fromNetrc gives each machine line's login as basic authentication for
// the machine name as a prefix; for a machine listed twice the first
// line wins.
func fromNetrc(file string) (map[string]http.Header, error) {
	entries, err := netrc.Read(file)
	if err != nil {
		return nil, err
	}
	out := map[string]http.Header{}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		r := http.Request{Header: http.Header{}}
		r.SetBasicAuth(e.Login, e.Password)
		out[netrc.Prefix(e.Machine)] = r.Header
	}
	return out, nil
}

// sourceName says in the trace where a credential came from.
var sourceName = map[string]string{"netrc": "netrc", "git": "git", "command": "GOAUTH command"}

// commandEnv keeps a GOAUTH program or git from asking anyone anything:
// fetch never prompts.
var commandEnv = []string{"GIT_TERMINAL_PROMPT=0", "GCM_INTERACTIVE=never"}

func newCommand(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), commandEnv...)
	return cmd
}
