package goauth

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// fromGit asks git's credential helpers for target's login by running
// "git credential fill" in dir (never in a directory a server chose), and
// gives it as basic authentication for the prefix git answered for, which
// must be a prefix of target. Unlike the Go command, fetch does not then
// tell the helpers whether the login worked (git credential
// approve/reject).
func fromGit(ctx context.Context, dir, target string) (map[string]http.Header, error) {
	cmd := newCommand(ctx, "git", "credential", "fill")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("url=" + target + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git credential fill: %w", err)
	}
	prefix, user, pass := parseGitCredential(out)
	if prefix == "" {
		return nil, fmt.Errorf("git credential fill gave no URL")
	}
	if !strings.HasPrefix(target, prefix) {
		return nil, fmt.Errorf("git credential fill answered for another URL than %s", target)
	}
	r := http.Request{Header: http.Header{}}
	r.SetBasicAuth(user, pass)
	return map[string]http.Header{prefix: r.Header}, nil
}

// parseGitCredential reads git's key=value answer into the URL it is for
// (protocol, host and path, or url) and the login.
func parseGitCredential(out []byte) (prefix, user, pass string) {
	u := &url.URL{}
	for line := range strings.SplitSeq(string(out), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		switch k {
		case "protocol":
			u.Scheme = v
		case "host":
			u.Host = v
		case "path":
			u.Path = v
		case "username":
			user = v
		case "password":
			pass = v
		case "url":
			if parsed, err := url.ParseRequestURI(v); err == nil {
				u = parsed
			}
		}
	}
	return u.String(), user, pass
}
