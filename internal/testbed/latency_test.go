package testbed

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestDelayedAnswersLikeTheVanityServer checks that the delayed listener
// serves what the vanity server serves, pages and git alike.
func TestDelayedAnswersLikeTheVanityServer(t *testing.T) {
	RequireGit(t)
	b := New(t)
	if err := b.WriteWWW("slow.example/pkg.html", "<meta name=go-import content=x>"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddGitRepo("slow/repo", map[string]string{"a.go": "package a\n"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		delay    time.Duration
		url      string
		wantCode int
		wantBody string
	}{
		{"a page is served as the vanity server serves it", time.Millisecond, "https://slow.example/pkg?go-get=1", 200, "<meta name=go-import content=x>"},
		{"a zero delay answers at once", 0, "https://slow.example/pkg", 200, "<meta name=go-import content=x>"},
		{"a missing page is the vanity server's 404", time.Millisecond, "https://slow.example/none", 404, "no page for slow.example/none"},
		{"a git request reaches git for a served repository", time.Millisecond, "https://slow.example/slow/repo.git/info/refs?service=git-upload-pack", 200, "# service=git-upload-pack"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, err := b.StartDelayed(tt.delay)
			if err != nil {
				t.Fatal(err)
			}
			c := b.Client(Route{HostPort: "slow.example:443", Addr: addr})
			resp, err := c.Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantCode || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("GET %s = %d %q, want %d containing %q", tt.url, resp.StatusCode, body, tt.wantCode, tt.wantBody)
			}
		})
	}
}

// TestDelayedGitClone clones through the delayed listener by address, as
// benchmark pages name it.
func TestDelayedGitClone(t *testing.T) {
	RequireGit(t)
	b := New(t)
	if _, err := b.AddGitRepo("r", map[string]string{"r.go": "package r\n"}); err != nil {
		t.Fatal(err)
	}
	addr, err := b.StartDelayed(time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command("git", "clone", "-q", "--", "https://"+addr+"/r.git", dir+"/r")
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "GIT_TERMINAL_PROMPT=0"}, b.Env()...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git clone through the delayed listener: %v\n%s", err, out)
	}
	if got, err := os.ReadFile(dir + "/r/r.go"); err != nil || string(got) != "package r\n" {
		t.Errorf("cloned r.go = %q, %v; want the committed file", got, err)
	}
}

// TestDelayedWaitsBeforeAnswering holds the wait open and checks that no
// answer comes before it ends, and none at all when the client gives up.
func TestDelayedWaitsBeforeAnswering(t *testing.T) {
	b := New(t)
	if err := b.WriteWWW("wait.example/p.html", "page"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		giveUp  bool
		wantErr bool
	}{
		{"the answer comes only once the wait ends", false, false},
		{"a client that gives up during the wait gets no answer", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entered, release := make(chan struct{}), make(chan struct{})
			addr, err := b.startDelayed(func(ctx context.Context) error {
				close(entered)
				select {
				case <-release:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, "GET", "https://wait.example/p", nil)
			if err != nil {
				t.Fatal(err)
			}
			type answer struct {
				body string
				err  error
			}
			done := make(chan answer, 1)
			go func() {
				resp, err := b.Client(Route{HostPort: "wait.example:443", Addr: addr}).Do(req)
				if err != nil {
					done <- answer{err: err}
					return
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				done <- answer{string(body), err}
			}()
			<-entered
			select {
			case a := <-done:
				t.Fatalf("answer %q, %v arrived while the wait was still open", a.body, a.err)
			default:
			}
			if tt.giveUp {
				cancel()
			} else {
				close(release)
			}
			a := <-done
			if tt.wantErr {
				if !errors.Is(a.err, context.Canceled) {
					t.Errorf("request error = %v, want context.Canceled", a.err)
				}
				return
			}
			if a.err != nil || a.body != "page" {
				t.Errorf("answer = %q, %v; want the page", a.body, a.err)
			}
		})
	}
}
