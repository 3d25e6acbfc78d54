package goauth

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gofetch/fetch/internal/netrc"
)

// GitCredential answers git's credential helper request on in (git runs
// the helper with the action "get", "store" or "erase") from what GOAUTH
// gives the https URL git asks about, so that git, which clones the
// repositories fetch resolved, logs in as fetch's own requests do: for
// "get" over https, a Basic Authorization header that GOAUTH gives for
// https://HOST/PATH (the path only when git sends it) is written as
// username and password; anything else (a bearer token git cannot use,
// no credentials, plain http, another user than the one asked for)
// writes nothing, and git asks its next helper. "store" and "erase" are
// read and ignored: GOAUTH's sources are the user's.
func (a *Auth) GitCredential(ctx context.Context, action string, in io.Reader, out io.Writer) error {
	req, err := netrc.ReadGitRequest(in)
	if err != nil || action != "get" {
		return err
	}
	if req["protocol"] != "https" || req["host"] == "" || a.Off() {
		return nil
	}
	u := &url.URL{Scheme: "https", Host: req["host"], Path: "/" + strings.TrimPrefix(req["path"], "/")}
	h, _ := a.Header(ctx, u)
	if len(h) == 0 {
		return nil
	}
	user, pass, ok := (&http.Request{Header: h}).BasicAuth()
	if !ok || (req["username"] != "" && req["username"] != user) {
		return nil
	}
	if strings.ContainsAny(user+pass, "\x00\r\n") {
		return fmt.Errorf("GOAUTH login for %s: a user name or password with a NUL or newline cannot be passed to git", req["host"])
	}
	if _, err := fmt.Fprintf(out, "username=%s\npassword=%s\n", user, pass); err != nil {
		return fmt.Errorf("answering git's credential request for %s: %w", req["host"], err)
	}
	return nil
}
