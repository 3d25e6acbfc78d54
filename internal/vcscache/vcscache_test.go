package vcscache

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestKey(t *testing.T) {
	t.Parallel()
	same := [][]string{
		{"https://example.org/a/r", "https://EXAMPLE.org/a/r.git", "https://example.org/a/r/", "HTTPS://example.org/a/r"},
		{"ssh://git@example.org/a/r", "ssh://git@Example.org/a/r.git"},
		{"https://user@example.org/a/r", "https://user:secret@example.org/a/r.git/"},
		{"git@example.org:a/r", "git@EXAMPLE.org:a/r.git"},
	}
	for _, group := range same {
		want, err := Key("git", group[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range group[1:] {
			if got, err := Key("git", u); err != nil || got != want {
				t.Errorf("Key(%q) = %q, %v; want %q (as %q)", u, got, err, want, group[0])
			}
		}
	}
	apart := []string{
		"https://example.org/a/r", "https://example.org/b/r", "http://example.org/a/r",
		"https://example.org:8443/a/r", "https://other.example/a/r", "https://example.org/A/r",
		"ssh://git@example.org/a/r", "ssh://other@example.org/a/r", "git@example.org:a/r",
		"https://example.org/a/r?x=1", "https://example.org/a%20r",
	}
	seen := map[string]string{}
	for _, u := range apart {
		k, err := Key("git", u)
		if err != nil {
			t.Fatalf("Key(%q): %v", u, err)
		}
		if prev, ok := seen[k]; ok {
			t.Errorf("%q and %q share key %q", u, prev, k)
		}
		seen[k] = u
	}
	if k1, _ := Key("git", "https://example.org/a/r"); k1 == func() string { k, _ := Key("hg", "https://example.org/a/r"); return k }() {
		t.Error("git and hg share a key")
	}
	for _, u := range []string{"/srv/repo", "file:///srv/repo", "https://example.org/a/../b", "https://example.org/a/..%2Fb",
		"https://example.org/a%2Fb", `https://example.org/a\b`, "https://example.org/a/%2e%2e/b", "ext::sh -c x", "-oProxyCommand=x:r", "host:", "a b:c"} {
		if k, err := Key("git", u); !errors.Is(err, ErrNotCacheable) {
			t.Errorf("Key(%q) = %q, %v; want ErrNotCacheable", u, k, err)
		}
	}
}

func TestKeyNeverHoldsAPassword(t *testing.T) {
	t.Parallel()
	k, err := Key("git", "https://user:hunter2@example.org/r")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cache{Dir: t.TempDir()}
	e, err := c.Open(context.Background(), "git", "https://user:hunter2@example.org/r")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Done(); err != nil {
		t.Fatal(err)
	}
	e.Close()
	b, _ := os.ReadFile(filepath.Join(e.Meta.Dir, metaFile))
	for _, s := range []string{k, string(b)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("password stored: %s", s)
		}
	}
}

// fill makes a complete entry for url of size bytes, last used at used.
func fill(t *testing.T, c *Cache, url string, size int, used time.Time) Meta {
	t.Helper()
	e, err := c.Open(context.Background(), "git", url)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := os.MkdirAll(e.Repo(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.Repo(), "pack"), make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
	c.Now = func() time.Time { return used }
	if err := e.Done(); err != nil {
		t.Fatal(err)
	}
	return e.Meta
}

func urls(ms []Meta) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.URL)
	}
	return out
}

func TestListCleanAndEvict(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &Cache{Dir: t.TempDir()}
	fill(t, c, "https://example.org/team/a", 100, t0)
	fill(t, c, "https://example.org/team/b", 100, t0.Add(time.Hour))
	fill(t, c, "git@other.example:c.git", 100, t0.Add(2*time.Hour))
	newest := fill(t, c, "https://example.org/d", 100, t0.Add(3*time.Hour))

	ms, err := c.List()
	if err != nil {
		t.Fatal(err)
	}
	if got := urls(ms); len(got) != 4 || got[0] != "https://example.org/d" || got[3] != "https://example.org/team/a" {
		t.Errorf("List = %q, want most recently used first", got)
	}
	if Size(ms) != 400 {
		t.Errorf("Size = %d, want 400", Size(ms))
	}
	if !ms[1].Matches("other.example") || ms[1].HostPath() != "other.example/c" {
		t.Errorf("scp entry: HostPath %q", ms[1].HostPath())
	}

	// Clean by pattern and age.
	c.Now = func() time.Time { return t0.Add(3*time.Hour + 30*time.Minute) }
	gone, err := c.Clean(context.Background(), 3*time.Hour, "example.org/team")
	if err != nil {
		t.Fatal(err)
	}
	if got := urls(gone); len(got) != 1 || got[0] != "https://example.org/team/a" {
		t.Errorf("Clean(3h, example.org/team) removed %q, want team/a only", got)
	}

	// Evict down to 150 bytes, keeping the newest even though it alone
	// is within the limit only with nothing else.
	c.Max = 150
	gone, err = c.Evict(context.Background(), newest.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := urls(gone); len(got) != 2 {
		t.Errorf("Evict removed %q, want the two least recently used", got)
	}
	ms, _ = c.List()
	if got := urls(ms); len(got) != 1 || got[0] != newest.URL {
		t.Errorf("after Evict: %q, want only %s", got, newest.URL)
	}
}

func TestIncompleteEntryReadsIncomplete(t *testing.T) {
	t.Parallel()
	c := &Cache{Dir: t.TempDir()}
	m := fill(t, c, "https://example.org/r", 10, time.Now())
	e, err := c.Open(context.Background(), "git", "https://example.org/r")
	if err != nil {
		t.Fatal(err)
	}
	if !e.Complete() {
		t.Fatal("a Done entry opens incomplete")
	}
	if err := e.Begin(); err != nil {
		t.Fatal(err)
	}
	e.Close() // killed mid-update
	e, err = c.Open(context.Background(), "git", "https://example.org/r")
	if err != nil {
		t.Fatal(err)
	}
	if e.Complete() {
		t.Error("an entry whose update began and never finished opens complete")
	}
	e.Close()
	// Metadata naming another key (planted, or a hash collision) is
	// not trusted either.
	os.WriteFile(filepath.Join(m.Dir, metaFile), []byte(`{"key":"git https://evil.example/r","complete":true}`), 0o600)
	e, err = c.Open(context.Background(), "git", "https://example.org/r")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.Complete() {
		t.Error("an entry with another key's metadata opens complete")
	}
}

func TestDefaultDir(t *testing.T) {
	t.Parallel()
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "FETCH_CACHE" {
				return v
			}
			return ""
		}
	}
	if got := DefaultDir(env("off")); got != "" {
		t.Errorf("FETCH_CACHE=off: %q", got)
	}
	if got := DefaultDir(env("/c")); got != filepath.Join("/c", "vcs") {
		t.Errorf("FETCH_CACHE=/c: %q", got)
	}
}
