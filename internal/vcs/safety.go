package vcs

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gofetch/fetch/internal/lazyre"
	"github.com/gofetch/fetch/internal/redact"
)

// checkOperand refuses a value that a command could read as an option or
// that could not survive as one argument.
func checkOperand(what, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("%s is empty", what)
	case strings.HasPrefix(v, "-"):
		return fmt.Errorf("%s %q starts with \"-\": it would be read as an option", what, v)
	case strings.ContainsAny(v, "\x00\n\r"):
		return fmt.Errorf("%s %q contains a NUL or newline character", what, v)
	}
	return nil
}

// checkRef checks a ref against the rule of c. An empty ref is fine: it
// means the default branch.
func (c *Cmd) checkRef(ref string) error {
	if ref == "" {
		return nil
	}
	if err := checkOperand(c.name+" ref", ref); err != nil {
		return err
	}
	if !c.refRule.MatchString(ref) {
		return fmt.Errorf("%s ref %q is not valid: want %s", c.name, ref, c.refHelp)
	}
	return nil
}

// transportRe matches git's "<transport>::<address>" remote-helper form,
// the way git itself recognizes it (alphanumerics, then "::").
var transportRe = lazyre.New(`^[A-Za-z0-9]+::`)

// scpRe matches scp-style user@host:path; the host may not start with "-"
// (git once passed it to ssh as an option, CVE-2017-1000117).
var scpRe = lazyre.New(`^[A-Za-z0-9_.~+-]+@[A-Za-z0-9_][A-Za-z0-9_.-]*:[^/]`)

// CheckRemote reports whether remote is a repository URL that c may be
// given. It must be a URL with one of c.remoteSchemes (or, for git, an
// scp-style user@host:path), must not start with "-", must not use git's
// "<transport>::" helper form (ext::sh -c ... runs commands), and must not
// have a user or host starting with "-". fromMeta says the URL came from a
// go-import meta tag, whose author does not get to name local files: file
// URLs are refused then.
func (c *Cmd) CheckRemote(remote string, fromMeta bool) error {
	if err := checkOperand(c.name+" remote", remote); err != nil {
		return err
	}
	if transportRe.MatchString(remote) {
		return fmt.Errorf("%s remote %q uses the <transport>::<address> form, which runs a helper program: not allowed", c.name, remote)
	}
	if !strings.Contains(remote, "://") {
		if c.scpRemotes && scpRe.MatchString(remote) {
			return nil
		}
		if c.scpRemotes {
			return fmt.Errorf("%s remote %q must be a URL with a scheme, or user@host:path", c.name, remote)
		}
		return fmt.Errorf("%s remote %q must be a URL with a scheme", c.name, remote)
	}
	u, err := url.Parse(remote)
	if err != nil {
		return fmt.Errorf("%s remote %q is not a valid URL: %w", c.name, remote, err)
	}
	if !slices.Contains(c.remoteSchemes, u.Scheme) {
		return fmt.Errorf("%s remote %q uses scheme %q: want one of %s", c.name, remote, u.Scheme, strings.Join(c.remoteSchemes, ", "))
	}
	if fromMeta && u.Scheme == "file" {
		return fmt.Errorf("%s remote %q comes from a go-import meta tag and names a local file: not allowed", c.name, remote)
	}
	if strings.HasPrefix(u.Hostname(), "-") || strings.HasPrefix(u.User.Username(), "-") {
		return fmt.Errorf("%s remote %q has a user or host starting with \"-\": it would be read as an option", c.name, remote)
	}
	return nil
}

// redactAll redacts every argument of a command line for display.
func redactAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = redact.String(a)
	}
	return out
}
