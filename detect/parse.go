package detect

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofetch/fetch/internal/getterinfo"
	"github.com/gofetch/fetch/internal/lazyre"
)

// ParseOptions is what Parse needs from its caller's environment; detect
// reads nothing from the process itself.
type ParseOptions struct {
	// Pwd is the absolute working directory that relative local paths
	// (./x, ../x) are joined to. When it is itself a symbolic link it is
	// resolved first, as go-getter does. Empty makes relative paths an error.
	Pwd string
	// Home is the absolute directory that "~" stands for in ~/x. Empty makes
	// ~ paths an error.
	Home string
}

// Error is a source that cannot be parsed. Source is the input with its
// credentials already redacted, so the error can be shown as it is.
type Error struct {
	// Source is the source as given, with credentials redacted.
	Source string
	// Err is the reason, without the source.
	Err error
}

// Error returns the message, naming the source.
func (e *Error) Error() string { return fmt.Sprintf("source %q: %v", e.Source, e.Err) }

// Unwrap returns the reason.
func (e *Error) Unwrap() error { return e.Err }

// Parse is ParseWith with only a working directory: ~ paths are refused.
func Parse(src, pwd string) (*Source, error) {
	return ParseWith(src, ParseOptions{Pwd: pwd})
}

// ParseWith reads src with the contract's grammar, deciding its style in
// this order: forced getter NAME::rest; URL with a scheme; local path (./x,
// ../x, /x, ~/x); scp-style user@host:path (git over ssh); and otherwise a
// Go import path, whose first element must contain a dot, except that
// S3 and GCS hosts keep go-getter's meaning. The package documentation lists
// where this differs from go-getter. Errors are *Error values.
func ParseWith(src string, opts ParseOptions) (*Source, error) {
	s, err := parse(src, opts)
	if err != nil {
		return nil, &Error{Source: Redact(src), Err: err}
	}
	return s, nil
}

// getterNames are the getters a forced getter may name: go-getter v1's,
// from getterinfo's table.
var getterNames = getterinfo.Names()

// bareForce is a forced getter with nothing after it, which go-getter's
// pattern does not recognize and would read as an opaque URL.
var bareForce = lazyre.New(`^[A-Za-z0-9]+::$`)

func parse(src string, opts ParseOptions) (*Source, error) {
	if err := checkText(src); err != nil {
		return nil, err
	}
	force, rest := ForcedGetter(src)
	if force == "" && bareForce.MatchString(src) {
		return nil, errors.New("nothing follows the forced getter")
	}
	if force != "" && !slices.Contains(getterNames, force) {
		return nil, fmt.Errorf("unknown getter %q (getters: %s)", force, strings.Join(getterNames, ", "))
	}
	base, sub := SourceDirSubdir(rest)
	path, query, _ := strings.Cut(base, "?")
	u, err := parseURL(base)
	switch {
	case err == nil && u.Scheme != "" && force != "":
		return getterSource(src, src)
	case err == nil && u.Scheme != "":
		return parseSchemeURL(src, u, sub)
	case err != nil && strings.Contains(path, "://"):
		// net/url has no typed error for this, the commonest mistake
		// (ssh://git@host:org/repo), so its text is what identifies it.
		if strings.Contains(err.Error(), "invalid port") {
			return nil, fmt.Errorf("%w (a colon after the host starts a port; for scp-style write USER@HOST:PATH with no scheme)", err)
		}
		return nil, err
	}
	if path == "" {
		return nil, errors.New("nothing before the //subdir or ?query")
	}
	if isLocalPath(path) {
		return parseLocal(src, force, path, sub, query, opts)
	}
	if force != "" {
		return detected(src, force, path, sub, query, parseDetectors,
			"not a URL, a local path written as one (./x, /x, ~/x), user@host:path or a github.com, gitlab.com, bitbucket.org, S3 or GCS shorthand")
	}
	if isSCP(path) {
		return detected(src, "", path, sub, query, scpDetectors, "not user@host:path")
	}
	host, _, _ := strings.Cut(path, "/")
	if !strings.Contains(host, ".") {
		return nil, errors.New("not a URL, a local path (./x, ../x, /x, ~/x), user@host:path, or an import path (whose first element has a dot)")
	}
	if strings.HasSuffix(host, s3HostSuffix) || strings.HasSuffix(host, gcsHostSuffix) {
		return detected(src, "", path, sub, query, cloudDetectors,
			"an S3 or GCS host needs a bucket and key (bucket.s3.amazonaws.com/key, www.googleapis.com/storage/v1/bucket/object)")
	}
	return parseImport(src, path, sub, query)
}

// checkText refuses input that cannot be shown or could be read as an option.
func checkText(src string) error {
	switch {
	case src == "":
		return errors.New("empty source")
	case !utf8.ValidString(src):
		return errors.New("not valid UTF-8")
	case strings.HasPrefix(src, "-"):
		return errors.New("must not start with \"-\"")
	case strings.TrimSpace(src) != src:
		return errors.New("leading or trailing white space")
	case strings.IndexFunc(src, unicode.IsControl) >= 0:
		return errors.New("contains a control character")
	}
	return nil
}

func isLocalPath(p string) bool {
	switch p {
	case ".", "..", "~":
		return true
	}
	for _, prefix := range []string{"./", "../", "/", "~/"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// parseLocal reads a local path: "~" expanded, then go-getter's file
// detector, which joins a relative path to the working directory.
func parseLocal(src, force, path, sub, query string, opts ParseOptions) (*Source, error) {
	if path == "~" || strings.HasPrefix(path, "~/") {
		if !filepath.IsAbs(opts.Home) {
			return nil, fmt.Errorf("cannot expand \"~\": home directory %q is not an absolute path", opts.Home)
		}
		path = filepath.Join(opts.Home, path[1:])
	}
	if !filepath.IsAbs(path) && !filepath.IsAbs(opts.Pwd) {
		return nil, fmt.Errorf("relative path needs an absolute working directory, have %q", opts.Pwd)
	}
	if strings.Contains(path, "#") {
		return nil, errors.New("local path contains \"#\", which go-getter would read as a URL fragment")
	}
	out, _, err := detectFile(path, opts.Pwd)
	if err != nil {
		return nil, err
	}
	final, err := reattach(force, out, sub, query)
	if err != nil {
		return nil, err
	}
	return getterSource(src, final)
}

// detected runs detectors on a source with its subdir and query split off,
// then re-attaches them; none is an error saying noMatch.
func detected(src, force, path, sub, query string, ds []detector, noMatch string) (*Source, error) {
	for _, d := range ds {
		out, ok, err := d.detect(path, "")
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		final, err := reattach(force, out, sub, query)
		if err != nil {
			return nil, err
		}
		return getterSource(src, final)
	}
	return nil, errors.New(noMatch)
}

// reattach puts the user's subdir, query and forced getter back on a
// detector's answer, keeping the user's text byte for byte: unlike
// go-getter, it neither escapes globs nor re-encodes the query.
func reattach(force, out, sub, query string) (string, error) {
	outForce, out := ForcedGetter(out)
	out, outSub := SourceDirSubdir(out)
	if outSub != "" {
		// A shorthand's extra path elements came back escaped.
		if un, err := url.PathUnescape(outSub); err == nil {
			outSub = un
		}
		for _, s := range []string{outSub, sub} {
			if err := checkSubdir(s); err != nil {
				return "", err
			}
		}
		if sub != "" {
			sub = outSub + "/" + sub
		} else {
			sub = outSub
		}
	}
	if sub != "" {
		out += "//" + sub
	}
	if query != "" {
		out += "?" + query
	}
	if force == "" {
		force = outForce
	}
	if force != "" {
		out = force + "::" + out
	}
	return out, nil
}

// isSCP reports whether p is user@host:path as Parse reads it.
func isSCP(p string) bool {
	u, err := scpURL(p)
	return err == nil && u != nil && anySCPUser(u)
}
