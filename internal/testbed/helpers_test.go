package testbed_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
)

// toolEnv is the whole environment of a git or hg command run by a test:
// nothing from the developer's own configuration takes part.
func toolEnv(t *testing.T, b *testbed.Bed) []string {
	return append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"GIT_TERMINAL_PROMPT=0",
		"LC_ALL=C",
	}, b.Env()...)
}

// runTool runs a command in dir with env and returns its combined output.
func runTool(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return strings.TrimSpace(out.String()), err
}

// response is what a test checks of an HTTP response.
type response struct {
	status int
	header http.Header
	body   string
}

// fetchURL sends one request through client without following redirects.
func fetchURL(t *testing.T, client *http.Client, method, url, user, pass string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return response{resp.StatusCode, resp.Header, string(body)}
}
