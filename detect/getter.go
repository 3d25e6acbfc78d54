package detect

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/internal/lazyre"
)

// forcedPattern is go-getter's forced-getter rule. The expression is the
// specification (its "." stops at a newline), so it is kept identical.
var forcedPattern = lazyre.New(`^([A-Za-z0-9]+)::(.+)$`)

// ForcedGetter splits a forced getter ("git::https://...") off src, as
// go-getter does: the name is one or more ASCII letters or digits, kept in
// its case, and only one level is removed ("git::git::x" gives "git" and
// "git::x"). Without a forced getter it returns "" and src unchanged.
func ForcedGetter(src string) (getter, rest string) {
	m := forcedPattern.FindStringSubmatch(src)
	if m == nil {
		return "", src
	}
	return m[1], m[2]
}

// SourceDirSubdir splits the //subdir part off src, as go-getter does. The
// first "//" after any "scheme://" and before the first "?" separates the
// subdirectory; everything after it, further "//" included, is the subdir.
// A query that followed the subdir is moved back onto the source:
// "h.com//foo?bar=baz" gives "h.com?bar=baz" and "foo".
func SourceDirSubdir(src string) (dir, subdir string) {
	end := len(src)
	if i := strings.IndexByte(src, '?'); i >= 0 {
		end = i
	}
	from := 0
	if i := strings.Index(src[:end], "://"); i >= 0 {
		from = i + len("://")
	}
	i := strings.Index(src[from:end], "//")
	if i < 0 {
		return src, ""
	}
	i += from
	dir, subdir = src[:i], src[i+len("//"):]
	if q := strings.IndexByte(subdir, '?'); q >= 0 {
		dir += subdir[q:]
		subdir = subdir[:q]
	}
	return dir, subdir
}

// GetterDetect is go-getter's Detect with its default detectors (GitHub,
// GitLab, scp-style git, Bitbucket, S3, GCS, file, in that order), except
// that the Bitbucket detector makes no API call: bitbucket.org/o/r always
// becomes git::https://bitbucket.org/o/r.git. A source that already parses
// as a URL with a scheme is returned unchanged. Relative file paths are
// joined to pwd, after resolving pwd when it is itself a symbolic link.
// Error messages never contain credentials.
func GetterDetect(src, pwd string) (string, error) {
	force, rest := ForcedGetter(src)
	rest, sub := SourceDirSubdir(rest)
	if u, err := url.Parse(rest); err == nil && u.Scheme != "" {
		return src, nil
	}
	for _, d := range getterDetectors {
		out, ok, err := d.detect(rest, pwd)
		if err != nil {
			return "", fmt.Errorf("%s detector: %w", d.name, err)
		}
		if ok {
			return joinDetected(force, out, sub)
		}
	}
	return "", fmt.Errorf("invalid source string: %s", Redact(src))
}

// joinDetected puts the user's subdir and forced getter back on a
// detector's answer the way go-getter does, escaping included.
func joinDetected(force, detected, sub string) (string, error) {
	detectedForce, detected := ForcedGetter(detected)
	detected, detectedSub := SourceDirSubdir(detected)
	switch {
	case detectedSub != "" && sub != "":
		sub = filepath.Join(detectedSub, sub)
	case detectedSub != "":
		sub = detectedSub
	}
	if sub != "" {
		u, err := parseURL(detected)
		if err != nil {
			return "", fmt.Errorf("error parsing URL: %w", err)
		}
		u.Path += "//" + sub
		// go-getter sets RawPath so that globs stay unescaped; it only
		// works when the path needs no escaping at all.
		u.RawPath = u.Path
		detected = u.String()
	}
	if force == "" {
		force = detectedForce
	}
	if force != "" {
		detected = force + "::" + detected
	}
	return detected, nil
}

// parseURL is url.Parse with credentials removed from the URL that its
// error quotes, so that the error can be shown.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, &url.Error{Op: ue.Op, URL: Redact(ue.URL), Err: ue.Err}
		}
		return nil, err
	}
	return u, nil
}
