package main

import (
	"errors"
	"fmt"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/policy"
)

// errorHints say what to do about a failed source, in the command line's
// words (its flags and commands), after the library's error: the first
// hint that applies is shown, on the same line. Each looks at the error's
// type, never at its text.
var errorHints = []func(err error) string{
	loginHint,
	fetch.CertificateHint,
	plainHTTPHint,
	govcsHint,
	noTagHint,
	limitHint,
	timeoutHint,
}

// hint returns what to do about err, or "".
func hint(err error) string {
	if err == nil {
		return ""
	}
	for _, h := range errorHints {
		if s := h(err); s != "" {
			return s
		}
	}
	return ""
}

// loginHint: a meta page answered 401 or 403.
func loginHint(err error) string {
	var le *fetch.LoginError
	if !errors.As(err, &le) || le.Host == "" {
		return ""
	}
	file := le.Netrc
	if file == "" {
		file = "the netrc file ($NETRC, else ~/.netrc)"
	}
	if le.SentLogin {
		return fmt.Sprintf("%s refused the login that %s has for it: check that machine line", le.Host, file)
	}
	return fmt.Sprintf("%s wants a login: add one for it to %s (machine %s login USER password TOKEN)", le.Host, file, le.Host)
}

// noTagHint: a page answered 200 OK without a go-import tag for the path.
func noTagHint(err error) string {
	var ne *fetch.NoTagError
	if !errors.As(err, &ne) {
		return ""
	}
	return "to see why, run fetch doctor " + ne.ImportPath
}

// limitFlags are the flags that set each of fetch.Limits.
var limitFlags = map[fetch.Limit]string{
	fetch.LimitDownload:  "raise it with --max-download SIZE",
	fetch.LimitFiles:     "raise it with --max-files N",
	fetch.LimitExtracted: "raise it with --max-extract SIZE",
	fetch.LimitRatio:     "if it is genuine, raise it with --max-ratio N",
}

// limitHint: a download went over one of the limits.
func limitHint(err error) string {
	var le *fetch.LimitError
	if !errors.As(err, &le) {
		return ""
	}
	return limitFlags[le.Limit]
}

// timeoutHint: the source ran out of --timeout.
func timeoutHint(err error) string {
	if !errors.Is(err, fetch.ErrSourceTimeout) {
		return ""
	}
	return "allow more with --timeout DURATION (0 for no limit)"
}

// plainHTTPHint: https got no answer, or a redirect to plain http, where
// plain http was not allowed.
func plainHTTPHint(err error) string {
	var pe *fetch.PlainHTTPError
	if !errors.As(err, &pe) {
		return ""
	}
	if pe.Redirect {
		return "the server redirects to plain http; if you trust the network, allow it with --insecure or GOINSECURE=" + pe.Path
	}
	return "nothing answered over https; if the server speaks only plain http, allow it with --insecure or GOINSECURE=" + pe.Path
}

// govcsHint: GOVCS does not allow the repository's version control system.
func govcsHint(err error) string {
	var de *policy.DisallowedError
	if !errors.As(err, &de) {
		return ""
	}
	return fmt.Sprintf("allow it with GOVCS=%s:%s (before any rules GOVCS holds already)", de.Root, de.VCS)
}
