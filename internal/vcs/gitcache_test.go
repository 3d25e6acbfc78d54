package vcs

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gofetch/fetch/internal/vcscache"
)

// cacheFixture is an upstream repository published on a git server over
// https, and a repository cache.
type cacheFixture struct {
	*gitFixture
	srv   *gitServer
	cache *vcscache.Cache
}

func newCacheFixture(t *testing.T) *cacheFixture {
	t.Helper()
	f := &cacheFixture{gitFixture: newGitFixture(t)}
	f.srv = newGitServer(t, f.env)
	f.srv.publish(t, f.env, f.dir, "a/r.git")
	f.cache = &vcscache.Cache{Dir: filepath.Join(t.TempDir(), "cache")}
	return f
}

// runner returns a Runner using the fixture's cache and trusting its
// server.
func (f *cacheFixture) runner(t *testing.T) (*Runner, *recorder) {
	r, rec := newRunner(t, f.env)
	r.Env = f.srv.caEnv
	r.Cache = f.cache
	return r, rec
}

// clone makes a checkout of url through the cache and returns its path.
func (f *cacheFixture) clone(t *testing.T, url, ref string) (string, *recorder) {
	t.Helper()
	r, rec := f.runner(t)
	dir := filepath.Join(t.TempDir(), "co")
	if err := vcsGit.Create(context.Background(), r, url, dir, CreateOptions{Ref: ref}); err != nil {
		t.Fatalf("Create %s: %v\ncommands: %q", url, err, rec.commands())
	}
	return dir, rec
}

// entries returns the cache's entries.
func (f *cacheFixture) entries(t *testing.T) []vcscache.Meta {
	t.Helper()
	ms, err := f.cache.List()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func hasObject(t *testing.T, env []string, dir, id string) bool {
	t.Helper()
	return gitOK(env, dir, "cat-file", "-e", id+"^{commit}")
}

func gitOK(env []string, dir string, args ...string) bool {
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	return cmd.Run() == nil
}

// fsckClean fails the test unless the checkout at dir is complete on its
// own: no alternates, and git fsck --full --strict passes.
func fsckClean(t *testing.T, env []string, dir string) {
	t.Helper()
	for _, p := range []string{"objects/info/alternates", "objects/info/http-alternates"} {
		if exists(filepath.Join(dir, ".git", p)) {
			t.Errorf("%s has .git/%s: it depends on another repository", dir, p)
		}
	}
	sh(t, env, dir, "git", "fsck", "--full", "--strict", "--no-dangling")
}

func TestCacheSecondCloneComesFromTheCache(t *testing.T) {
	t.Parallel()
	f := newCacheFixture(t)
	url := f.srv.https + "/a/r.git"
	first, _ := f.clone(t, url, "")
	second, rec := f.clone(t, url, "v1")
	if got := sh(t, f.env, first, "git", "rev-parse", "HEAD"); got != f.c3 {
		t.Errorf("first checkout at %s, want main's %s", got, f.c3)
	}
	if got := sh(t, f.env, first, "git", "symbolic-ref", "--short", "HEAD"); got != "main" {
		t.Errorf("first checkout on %s, want main (the remote's HEAD)", got)
	}
	if got := sh(t, f.env, second, "git", "rev-parse", "HEAD"); got != f.c1 {
		t.Errorf("second checkout at %s, want v1's %s", got, f.c1)
	}
	for _, dir := range []string{first, second} {
		if got := sh(t, f.env, dir, "git", "remote", "get-url", "origin"); got != url {
			t.Errorf("origin of %s is %s, want %s", dir, got, url)
		}
		if !hasObject(t, f.env, dir, f.f1) {
			t.Errorf("%s lacks branch feat's commit: not a whole clone", dir)
		}
		if got := sh(t, f.env, dir, "git", "rev-parse", "origin/feat"); got != f.f1 {
			t.Errorf("origin/feat in %s is %s, want %s", dir, got, f.f1)
		}
	}
	cloned := false
	for _, c := range rec.commands() {
		if strings.HasPrefix(c, "git clone") {
			cloned = true
			if !strings.Contains(c, "--no-hardlinks") || strings.Contains(c, url) {
				t.Errorf("second clone %q: want a copy out of the cache", c)
			}
		}
	}
	if !cloned {
		t.Errorf("no clone among %q", rec.commands())
	}
	if ms := f.entries(t); len(ms) != 1 || !ms[0].Complete || ms[0].URL != url {
		t.Errorf("cache entries %+v, want one complete entry for %s", ms, url)
	}
}

// Two URLs serving different histories under one repository name never
// share an entry: neither checkout holds the other's commits, nor does
// either entry. (How URLs are keyed: vcscache's TestKey.)
func TestCacheKeepsURLsApart(t *testing.T) {
	t.Parallel()
	f := newCacheFixture(t)
	other := filepath.Join(t.TempDir(), "other")
	sh(t, f.env, filepath.Dir(other), "git", "init", "-q", "-b", "main", other)
	writeFile(t, other, "a.txt", "someone else's\n")
	sh(t, f.env, other, "git", "add", "a.txt")
	sh(t, f.env, other, "git", "commit", "-q", "-m", "theirs")
	theirs := sh(t, f.env, other, "git", "rev-parse", "HEAD")
	f.srv.publish(t, f.env, other, "b/r.git")

	a, _ := f.clone(t, f.srv.https+"/a/r.git", "")
	b, _ := f.clone(t, f.srv.https+"/b/r.git", "")
	if got := sh(t, f.env, b, "git", "rev-parse", "HEAD"); got != theirs {
		t.Errorf("b/r.git checked out %s, want its own %s", got, theirs)
	}
	if hasObject(t, f.env, a, theirs) || hasObject(t, f.env, b, f.c1) {
		t.Error("one URL's checkout holds the other URL's commits")
	}
	ms := f.entries(t)
	if len(ms) != 2 {
		t.Fatalf("%d cache entries, want 2: %+v", len(ms), ms)
	}
	for _, m := range ms {
		repo := filepath.Join(m.Dir, vcscache.RepoDir)
		mine, foreign := f.c3, theirs
		if strings.Contains(m.URL, "/b/") {
			mine, foreign = theirs, f.c3
		}
		if !hasObject(t, f.env, repo, mine) || hasObject(t, f.env, repo, foreign) {
			t.Errorf("entry of %s: want its own commit %s and not %s", m.URL, mine, foreign)
		}
	}
}

// An entry damaged between runs is rebuilt, never served: a missing
// complete marker, a lost pack, a ref whose object is gone.
func TestCacheRebuildsDamagedEntry(t *testing.T) {
	t.Parallel()
	damages := []struct {
		name   string
		damage func(t *testing.T, entry string)
	}{
		{"no complete marker", func(t *testing.T, entry string) {
			// A killed update: the marker is cleared before it starts.
			b, err := os.ReadFile(filepath.Join(entry, "entry.json"))
			if err != nil {
				t.Fatal(err)
			}
			b = []byte(strings.Replace(string(b), `"complete": true`, `"complete": false`, 1))
			if err := os.WriteFile(filepath.Join(entry, "entry.json"), b, 0o600); err != nil {
				t.Fatal(err)
			}
			// and half a repository behind it
			os.RemoveAll(filepath.Join(entry, vcscache.RepoDir, "refs"))
		}},
		{"packs removed", func(t *testing.T, entry string) {
			packs, _ := filepath.Glob(filepath.Join(entry, vcscache.RepoDir, "objects", "pack", "*"))
			if len(packs) == 0 {
				t.Fatal("no packs in the entry")
			}
			for _, p := range packs {
				os.Remove(p)
			}
		}},
		{"pack truncated", func(t *testing.T, entry string) {
			packs, _ := filepath.Glob(filepath.Join(entry, vcscache.RepoDir, "objects", "pack", "*.pack"))
			if len(packs) == 0 {
				t.Fatal("no packs in the entry")
			}
			for _, p := range packs {
				fi, _ := os.Stat(p)
				os.Chmod(p, 0o600)
				if err := os.Truncate(p, fi.Size()/2); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"metadata garbage", func(t *testing.T, entry string) {
			os.WriteFile(filepath.Join(entry, "entry.json"), []byte("{not json"), 0o600)
		}},
	}
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			f := newCacheFixture(t)
			url := f.srv.https + "/a/r.git"
			f.clone(t, url, "")
			ms := f.entries(t)
			if len(ms) != 1 {
				t.Fatalf("entries %+v", ms)
			}
			d.damage(t, ms[0].Dir)
			dir, _ := f.clone(t, url, "v1")
			if got := sh(t, f.env, dir, "git", "rev-parse", "HEAD"); got != f.c1 {
				t.Errorf("checkout at %s, want %s", got, f.c1)
			}
			fsckClean(t, f.env, dir)
			ms = f.entries(t)
			if len(ms) != 1 || !ms[0].Complete {
				t.Fatalf("after the rebuild: entries %+v, want one complete", ms)
			}
			sh(t, f.env, filepath.Join(ms[0].Dir, vcscache.RepoDir), "git", "fsck", "--full", "--strict", "--no-dangling")
		})
	}
}

// Deleting the cache leaves every checkout complete: no alternates, fsck
// clean, history and tags there; -u of a checkout then fetches directly
// again into a fresh entry.
func TestCacheDeletedCheckoutsStayWhole(t *testing.T) {
	t.Parallel()
	f := newCacheFixture(t)
	url := f.srv.https + "/a/r.git"
	a, _ := f.clone(t, url, "")
	b, _ := f.clone(t, url, "feat")
	if err := os.RemoveAll(f.cache.Dir); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{a, b} {
		fsckClean(t, f.env, dir)
		if !hasObject(t, f.env, dir, f.c1) || !gitOK(f.env, dir, "rev-parse", "--verify", "v1") {
			t.Errorf("%s lost history or tags with the cache", dir)
		}
	}
	c4 := f.commit(t, "main", "a.txt", "4\n")
	sh(t, f.env, f.srv.root, "git", "--git-dir=a/r.git", "fetch", "-q", f.dir, "+main:main")
	r, _ := f.runner(t)
	if err := vcsGit.Update(context.Background(), r, a, ""); err != nil {
		t.Fatal(err)
	}
	if got := sh(t, f.env, a, "git", "rev-parse", "HEAD"); got != c4 {
		t.Errorf("after -u: %s, want %s", got, c4)
	}
	fsckClean(t, f.env, a)
}

// -u of many checkouts of one repository fetches the new objects into the
// entry once; each checkout fetches from the entry.
func TestCacheUpdateFetchesOnce(t *testing.T) {
	t.Parallel()
	f := newCacheFixture(t)
	url := f.srv.https + "/a/r.git"
	var dirs []string
	for range 3 {
		d, _ := f.clone(t, url, "")
		dirs = append(dirs, d)
	}
	c4 := f.commit(t, "main", "a.txt", "4\n")
	sh(t, f.env, f.srv.root, "git", "--git-dir=a/r.git", "fetch", "-q", f.dir, "+main:main")
	f.srv.fetches.Store(0)
	for _, d := range dirs {
		r, rec := f.runner(t)
		if err := vcsGit.Update(context.Background(), r, d, ""); err != nil {
			t.Fatal(err)
		}
		if got := sh(t, f.env, d, "git", "rev-parse", "HEAD"); got != c4 {
			t.Errorf("%s at %s, want %s", d, got, c4)
		}
		for _, c := range rec.commands() {
			if strings.HasPrefix(c, "git fetch") && strings.HasSuffix(c, " origin") {
				t.Errorf("%q: a checkout fetched from origin, not from the cache", c)
			}
		}
	}
	if n := f.srv.fetches.Load(); n != 1 {
		t.Errorf("the server was asked for objects %d times, want once for %d updates", n, len(dirs))
	}
}

// A cache entry whose configuration, hooks or alternates were tampered
// with between runs is rewritten by fetch, never read: a planted
// insteadOf (another history), a hook or fsmonitor, an alternates file
// have no effect, each on its own.
func TestCacheTamperedEntryIsRewritten(t *testing.T) {
	t.Parallel()
	plants := []struct {
		name  string
		plant func(t *testing.T, entry, url, evil, mark string)
	}{
		{"insteadOf", func(t *testing.T, entry, url, evil, mark string) {
			cfg, _ := os.ReadFile(filepath.Join(entry, "config"))
			writeFile(t, entry, "config", string(cfg)+"[url \"file://"+evil+"/\"]\n\tinsteadOf = "+url+"\n")
		}},
		{"hooks and fsmonitor", func(t *testing.T, entry, url, evil, mark string) {
			cfg, _ := os.ReadFile(filepath.Join(entry, "config"))
			writeFile(t, entry, "config", string(cfg)+"[core]\n\tfsmonitor = touch "+mark+"\n\thooksPath = hooks\n")
			for _, h := range []string{"reference-transaction", "post-checkout", "pre-auto-gc"} {
				writeFile(t, entry, "hooks/"+h, "#!/bin/sh\ntouch "+mark+"\n")
				os.Chmod(filepath.Join(entry, "hooks", h), 0o755)
			}
		}},
		{"alternates", func(t *testing.T, entry, url, evil, mark string) {
			writeFile(t, entry, "objects/info/alternates", filepath.Join(evil, ".git", "objects")+"\n")
		}},
	}
	for _, p := range plants {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			f := newCacheFixture(t)
			url := f.srv.https + "/a/r.git"
			f.clone(t, url, "")
			entry := filepath.Join(f.entries(t)[0].Dir, vcscache.RepoDir)

			evil := filepath.Join(t.TempDir(), "evil")
			sh(t, f.env, filepath.Dir(evil), "git", "init", "-q", "-b", "main", evil)
			writeFile(t, evil, "a.txt", "evil\n")
			sh(t, f.env, evil, "git", "add", "a.txt")
			sh(t, f.env, evil, "git", "commit", "-q", "-m", "evil")
			evilCommit := sh(t, f.env, evil, "git", "rev-parse", "HEAD")
			mark := filepath.Join(t.TempDir(), "hook-ran")
			p.plant(t, entry, url, evil, mark)

			dir, rec := f.clone(t, url, "")
			if got := sh(t, f.env, dir, "git", "rev-parse", "HEAD"); got != f.c3 {
				t.Errorf("checkout at %s, want %s: the planted %s was followed", got, f.c3, p.name)
			}
			if hasObject(t, f.env, dir, evilCommit) || hasObject(t, f.env, entry, evilCommit) {
				t.Error("the evil history reached the cache or the checkout")
			}
			if exists(mark) {
				t.Error("a planted hook or fsmonitor ran")
			}
			if got, _ := os.ReadFile(filepath.Join(entry, "config")); string(got) != gitMirrorConfig {
				t.Errorf("entry config after use:\n%s\nwant fetch's own", got)
			}
			if exists(filepath.Join(entry, "objects/info/alternates")) || exists(filepath.Join(entry, "hooks")) {
				t.Error("planted alternates or hooks left in the entry")
			}
			if n := rec.notes(); len(n) > 0 {
				t.Errorf("notes %q: the entry should have been rewritten, not rebuilt", n)
			}
			fsckClean(t, f.env, dir)
		})
	}
}

// Several clones of one repository at once, each with its own Cache value
// (as separate processes have), share the entry: one complete entry, every
// checkout whole. cache_concurrent.txtar does the same with processes.
func TestCacheConcurrentClones(t *testing.T) {
	t.Parallel()
	f := newCacheFixture(t)
	url := f.srv.https + "/a/r.git"
	const n = 4
	dirs := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		dirs[i] = filepath.Join(t.TempDir(), "co")
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, _ := f.runner(t)
			r.Cache = &vcscache.Cache{Dir: f.cache.Dir}
			errs[i] = vcsGit.Create(context.Background(), r, url, dirs[i], CreateOptions{})
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("clone %d: %v", i, errs[i])
		}
		fsckClean(t, f.env, dirs[i])
	}
	if ms := f.entries(t); len(ms) != 1 || !ms[0].Complete {
		t.Errorf("entries %+v, want one complete", ms)
	}
}

// A shallow clone and a local repository do not use the cache.
func TestCacheBypassedForDepthAndLocal(t *testing.T) {
	t.Parallel()
	f := newCacheFixture(t)
	r, _ := f.runner(t)
	dir := filepath.Join(t.TempDir(), "shallow")
	if err := vcsGit.Create(context.Background(), r, f.srv.https+"/a/r.git", dir, CreateOptions{Depth: 1}); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(t.TempDir(), "local")
	if err := vcsGit.Create(context.Background(), r, f.url, dir, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if ms := f.entries(t); len(ms) != 0 {
		t.Errorf("entries %+v, want none", ms)
	}
}
