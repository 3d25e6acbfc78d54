//go:build unix

package testbed

import (
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestApacheServesPagesAndGit checks the seed setup against real clients:
// a vanity page as a static file, a public repository, and a private one
// behind basic auth, all from Apache.
func TestApacheServesPagesAndGit(t *testing.T) {
	RequireGit(t)
	b := New(t)
	pub, err := b.AddGitRepo("pub", map[string]string{"a.go": "package pub\n"})
	if err != nil {
		t.Fatal(err)
	}
	priv, err := b.AddGitRepo("team/priv", map[string]string{"a.go": "package priv\n"}, WithUser("alice", "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	a := NewApache(t, b, "example.org")
	pages := map[string]string{
		"pub":     `<meta name="go-import" content="example.org/pub git ` + a.Base() + `/git/pub.git">`,
		"pub/sub": `<meta name="go-import" content="example.org/pub git ` + a.Base() + `/git/pub.git"><!-- sub -->`,
	}
	for p, content := range pages {
		if err := a.WritePage(p, content); err != nil {
			t.Fatal(err)
		}
	}
	c := b.Client(Route{HostPort: "example.org:443", Addr: a.Addr})
	pageTests := []struct {
		name, path, want string
	}{
		{"a page is served for its path without .html", "/pub/sub?go-get=1", pages["pub/sub"]},
		{"a page is served even when a directory of subpackage pages has its name", "/pub?go-get=1", pages["pub"]},
	}
	for _, tt := range pageTests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Get("https://example.org" + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || string(body) != tt.want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("GET %s = %s %q (%s), want 200 with the page as text/html", tt.path, resp.Status, body, resp.Header.Get("Content-Type"))
			}
		})
	}

	pubHead, _ := pub.Rev("HEAD")
	privHead, _ := priv.Rev("HEAD")
	tests := []struct {
		name    string
		url     string
		want    string // in stdout; "" means git must fail
		wantErr string
	}{
		{"a public repository is read by anyone", a.Base() + "/git/pub.git", pubHead, ""},
		{"a private repository is read with its login", strings.Replace(a.Base(), "://", "://alice:s3cret@", 1) + "/git/team/priv.git", privHead, ""},
		{"a private repository refuses a client without a login", a.Base() + "/git/team/priv.git", "", "could not read Username"},
		{"a private repository refuses a wrong password", strings.Replace(a.Base(), "://", "://alice:guess@", 1) + "/git/team/priv.git", "", "Authentication failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command("git", "ls-remote", tt.url)
			cmd.Env = append(os.Environ(), "GIT_SSL_CAINFO="+b.CACertFile, "GIT_TERMINAL_PROMPT=0",
				"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_ASKPASS=")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if tt.want == "" {
				if err == nil || !strings.Contains(stderr.String(), tt.wantErr) {
					t.Fatalf("git ls-remote: %v, stderr %q; want a failure with %q", err, stderr.String(), tt.wantErr)
				}
				return
			}
			if err != nil || !strings.Contains(string(out), tt.want+"\tHEAD") {
				t.Fatalf("git ls-remote = %q, %v (stderr %q); want HEAD at %s", out, err, stderr.String(), tt.want)
			}
		})
	}
}
