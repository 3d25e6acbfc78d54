// Package vcscache is fetch's per-user cache of repositories: a second
// fetch of a repository, into any root, costs a ref check and the new
// objects instead of a whole clone.
//
// # Layout
//
// The cache lives in $FETCH_CACHE/vcs, else fetch/vcs in the user's cache
// directory (os.UserCacheDir, such as ~/.cache/fetch/vcs); FETCH_CACHE=off
// turns it off (DefaultDir). Each entry is a directory named by the hash of
// its key (Key), holding the repository (repo) and fetch's own metadata
// file (entry.json: the URL, when it was made and last used, its size and
// whether it is complete). A lock per entry (tree.Lock, the same lock the
// tree's destinations use) lets processes share the cache.
//
// # What the cache trusts
//
//   - One entry per repository URL: the key is the URL with its scheme and
//     host lowercased, a password dropped and a trailing slash or ".git"
//     removed (as fetch compares remotes for -u), nothing decoded. What one
//     URL served never answers for another: two URLs serving different
//     histories under one repository name have two entries, and a hostile
//     source can only add objects to its own entry.
//   - The entry's configuration is fetch's: it is written by fetch, from
//     constants, every time the entry is used (a tampered one is replaced,
//     never read), and git runs in the entry with fetch's hardened
//     environment (no hooks, no fsmonitor, no alternates, gc off).
//   - An entry is served only when its metadata says it is complete (the
//     marker is written last, after the update; it is cleared before an
//     update starts) and a cheap check passes (every ref's object is
//     there). Anything else is removed and rebuilt, never served: a kill or
//     a full disk in the middle of an update costs one full fetch.
//   - A checkout never depends on the cache: its objects are copied out
//     of the entry (git clone --local --no-hardlinks), with no alternates.
//     Hard links were measured (bench/cache.sh) and rejected anyway: a
//     tree is attacker-controlled, and a link shared by a tree and the
//     cache lets a write in the tree change the cache.
//
// # Which systems
//
// git and hg are cached (a bare git mirror; an hg repository without a
// working copy). Shallow git clones (--depth) bypass the cache, which
// would have to hold the whole history to serve them. svn, bzr and fossil
// are not cached: an svn checkout holds one revision and no history to
// share, brz branches are rarely fetched twice, and fossil keeps its
// whole repository in one file, which a later change could copy out of a
// cache entry (the natural next step).
//
// # Size
//
// After each use, entries are evicted least recently used first until the
// cache is under its limit (FETCH_CACHE_MAX, default DefaultMax); the entry
// just used is kept. fetch cache clean trims it by age or by pattern.
package vcscache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/gofetch/fetch/internal/tree"
	"golang.org/x/mod/module"
)

// DefaultMax is the size limit of the cache when FETCH_CACHE_MAX is unset.
const DefaultMax = 10 << 30

// Cache is a cache directory. Its zero value is not usable; a nil *Cache
// is no cache.
type Cache struct {
	// Dir is the cache's directory; it is created (mode 0700) when the
	// first entry is made.
	Dir string
	// Max is the size limit in bytes; 0 or less means no limit.
	Max int64
	// Now returns the time; nil means time.Now. Tests set it.
	Now func() time.Time
}

// DefaultDir returns the repository cache directory from the environment:
// $FETCH_CACHE/vcs, else fetch/vcs in the user's cache directory. It
// returns "" when FETCH_CACHE is "off" or no cache directory is known.
func DefaultDir(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	switch dir := getenv("FETCH_CACHE"); dir {
	case "off":
		return ""
	case "":
	default:
		return filepath.Join(dir, "vcs")
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "fetch", "vcs")
}

// ErrNotCacheable says a URL has no cache entry: a local path or file URL
// (already local), or a URL whose path holds a dot segment or an encoded
// slash, which is compared only as typed.
var ErrNotCacheable = errors.New("not cached")

// Key returns the cache key of a repository of the given system: system,
// then the URL with scheme and host lowercased, no password, and no
// trailing slash or ".git". An scp-style git remote (user@host:path) keeps
// its form, since its path is relative to the user's home, unlike
// ssh://user@host/path.
func Key(system, repo string) (string, error) {
	if i := strings.Index(repo, ":"); i > 1 && !strings.Contains(repo[:i], "/") && !strings.HasPrefix(repo[i:], "://") {
		// scp form: [user@]host:path
		userHost, p := repo[:i], repo[i+1:]
		if !scpHostRe.MatchString(userHost) || strings.HasPrefix(p, ":") {
			return "", fmt.Errorf("%w: %s", ErrNotCacheable, repo)
		}
		user, host, ok := strings.Cut(userHost, "@")
		if !ok {
			user, host = "", userHost
		}
		p = trimRepoPath(p)
		if p == "" || hasDotSegment(p) {
			return "", fmt.Errorf("%w: %s", ErrNotCacheable, repo)
		}
		if user != "" {
			user += "@"
		}
		return system + " scp:" + user + strings.ToLower(host) + ":" + p, nil
	}
	u, err := url.Parse(repo)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%w: %s", ErrNotCacheable, repo)
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "http", "git", "ssh", "git+ssh", "ssh+git":
	default:
		return "", fmt.Errorf("%w: %s", ErrNotCacheable, repo)
	}
	p := u.EscapedPath()
	if hasDotSegment(p) || strings.Contains(strings.ToLower(p), "%2f") || strings.Contains(p, `\`) || strings.Contains(strings.ToLower(p), "%5c") {
		return "", fmt.Errorf("%w: %s", ErrNotCacheable, repo)
	}
	user := ""
	if u.User != nil {
		user = u.User.Username() + "@"
	}
	k := strings.ToLower(u.Scheme) + "://" + user + strings.ToLower(u.Host) + trimRepoPath(p)
	if u.RawQuery != "" {
		k += "?" + u.RawQuery
	}
	return system + " " + k, nil
}

// scpHostRe is the [user@]host of an scp-style remote fetch caches.
var scpHostRe = regexp.MustCompile(`^([A-Za-z0-9._-]+@)?[A-Za-z0-9][A-Za-z0-9.-]*$`)

func trimRepoPath(p string) string {
	p = strings.TrimRight(p, "/")
	p = strings.TrimSuffix(p, ".git")
	return strings.TrimRight(p, "/")
}

func hasDotSegment(p string) bool {
	for e := range strings.SplitSeq(p, "/") {
		d, err := url.PathUnescape(e)
		if err != nil || d == "." || d == ".." {
			return true
		}
	}
	return false
}

// Meta is fetch's metadata of an entry, its entry.json.
type Meta struct {
	// Key is the entry's key (see Key); URL is the repository URL it was
	// made from (no password).
	Key string `json:"key"`
	URL string `json:"url"`
	// VCS is the version control system.
	VCS string `json:"vcs"`
	// Created and LastUsed say when the entry was made and last used.
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used"`
	// Size is the entry's size in bytes after its last update.
	Size int64 `json:"size"`
	// Complete is written last: an entry without it is rebuilt.
	Complete bool `json:"complete"`
	// Dir is the entry's directory (not stored).
	Dir string `json:"-"`
}

const metaFile = "entry.json"

// RepoDir is the name of the repository inside an entry's directory.
const RepoDir = "repo"

// Entry is a locked cache entry.
type Entry struct {
	c *Cache
	// Meta is the entry's metadata as read when it was locked; Meta.Dir
	// is the entry's directory.
	Meta   Meta
	unlock func()
}

// Repo returns the path of the entry's repository.
func (e *Entry) Repo() string { return filepath.Join(e.Meta.Dir, RepoDir) }

// Open locks the entry of repo (a URL of the given system), creating its
// directory, and reads its metadata. A missing, unreadable or foreign
// metadata file (another key) reads as an incomplete entry. The caller
// must Close the entry.
func (c *Cache) Open(ctx context.Context, system, repo string) (*Entry, error) {
	key, err := Key(system, repo)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(key))
	top := filepath.Join(c.Dir, system)
	if err := os.MkdirAll(top, 0o700); err != nil {
		return nil, fmt.Errorf("repository cache: %w", err)
	}
	dir := filepath.Join(top, hex.EncodeToString(sum[:16]))
	unlock, err := tree.Lock(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("repository cache: %w", err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		unlock()
		return nil, fmt.Errorf("repository cache: %w", err)
	}
	e := &Entry{c: c, unlock: unlock}
	m, err := readMeta(dir)
	if err != nil || m.Key != key {
		m = Meta{}
	}
	m.Key, m.URL, m.VCS, m.Dir = key, stripPassword(repo), system, dir
	e.Meta = m
	return e, nil
}

// Close releases the entry's lock.
func (e *Entry) Close() { e.unlock() }

// Complete reports whether the entry was complete when it was opened.
func (e *Entry) Complete() bool { return e.Meta.Complete }

// Reset removes the entry's repository and metadata, so that the caller
// builds it again.
func (e *Entry) Reset() error {
	e.Meta.Complete = false
	os.Remove(filepath.Join(e.Meta.Dir, metaFile))
	if err := os.RemoveAll(e.Repo()); err != nil {
		return fmt.Errorf("repository cache: removing a damaged entry: %w", err)
	}
	return nil
}

// Begin clears the complete marker before the entry changes: if the
// change does not finish, the next Open finds the entry incomplete.
func (e *Entry) Begin() error {
	e.Meta.Complete = false
	if e.Meta.Created.IsZero() {
		e.Meta.Created = e.c.now()
	}
	return writeMeta(e.Meta)
}

// Done records the entry as complete, used now, with its size.
func (e *Entry) Done() error {
	e.Meta.Complete = true
	e.Meta.LastUsed = e.c.now()
	e.Meta.Size = dirSize(e.Repo())
	return writeMeta(e.Meta)
}

// Touch records that a complete entry was used now, without changing it.
func (e *Entry) Touch() error {
	e.Meta.LastUsed = e.c.now()
	return writeMeta(e.Meta)
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func readMeta(dir string) (Meta, error) {
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return Meta{}, err
	}
	var m Meta
	if err := json.Unmarshal(b, &m); err != nil {
		return Meta{}, err
	}
	m.Dir = dir
	return m, nil
}

// writeMeta writes m whole: to a temporary, then renamed over the file.
func writeMeta(m Meta) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(m.Dir, ".entry-*.json")
	if err != nil {
		return fmt.Errorf("repository cache: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(m.Dir, metaFile))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("repository cache: %w", err)
	}
	return nil
}

func stripPassword(repo string) string {
	u, err := url.Parse(repo)
	if err != nil || u.User == nil {
		return repo
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// dirSize is the size of the regular files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// List returns the entries of the cache, most recently used first, with
// their metadata as last written (an incomplete entry is listed with
// Complete false and its size measured now). It takes no lock.
func (c *Cache) List() ([]Meta, error) {
	var out []Meta
	systems, err := os.ReadDir(c.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("repository cache: %w", err)
	}
	for _, s := range systems {
		if !s.IsDir() {
			continue
		}
		ents, err := os.ReadDir(filepath.Join(c.Dir, s.Name()))
		if err != nil {
			return nil, fmt.Errorf("repository cache: %w", err)
		}
		for _, d := range ents {
			if !d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				continue
			}
			dir := filepath.Join(c.Dir, s.Name(), d.Name())
			m, err := readMeta(dir)
			if err != nil {
				m = Meta{VCS: s.Name(), Dir: dir}
			}
			if !m.Complete {
				m.Size = dirSize(filepath.Join(dir, RepoDir))
			}
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LastUsed.After(out[j].LastUsed) })
	return out, nil
}

// Size is the total size of the entries in bytes.
func Size(ms []Meta) int64 {
	var n int64
	for _, m := range ms {
		n += m.Size
	}
	return n
}

// Matches reports whether the entry's repository matches pattern, a
// comma-separated list of glob patterns in the form of GOPRIVATE matched
// against host/path of its URL (example.org matches everything on that
// host, example.org/team/* every repository below team).
func (m Meta) Matches(pattern string) bool {
	hp := m.HostPath()
	return hp != "" && module.MatchPrefixPatterns(pattern, hp)
}

// HostPath returns host/path of the entry's URL, without scheme, user and
// port ("" when the metadata is unreadable).
func (m Meta) HostPath() string {
	s := m.URL
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	} else if h, p, ok := strings.Cut(s, ":"); ok {
		s = h + "/" + strings.TrimPrefix(p, "/")
	}
	if i := strings.LastIndex(strings.SplitN(s, "/", 2)[0], "@"); i >= 0 {
		s = s[i+1:]
	}
	host, p, _ := strings.Cut(s, "/")
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(host, "]") {
		host = h
	}
	return strings.ToLower(host) + "/" + trimRepoPath(p)
}

// Remove removes the entries in ms, each under its lock, and returns
// those it removed.
func (c *Cache) Remove(ctx context.Context, ms []Meta) ([]Meta, error) {
	var done []Meta
	for _, m := range ms {
		if rel, err := filepath.Rel(c.Dir, m.Dir); err != nil || !filepath.IsLocal(rel) {
			return done, fmt.Errorf("repository cache: %s is not an entry of %s", m.Dir, c.Dir)
		}
		unlock, err := tree.Lock(ctx, m.Dir)
		if err != nil {
			return done, fmt.Errorf("repository cache: %w", err)
		}
		err = os.RemoveAll(m.Dir)
		unlock()
		if err != nil {
			return done, fmt.Errorf("repository cache: %w", err)
		}
		done = append(done, m)
	}
	return done, nil
}

// Clean removes the entries last used before olderThan ago (0: any age)
// whose URL matches pattern ("": any), and returns them.
func (c *Cache) Clean(ctx context.Context, olderThan time.Duration, pattern string) ([]Meta, error) {
	ms, err := c.List()
	if err != nil {
		return nil, err
	}
	now := c.now()
	var gone []Meta
	for _, m := range ms {
		if olderThan > 0 && now.Sub(m.LastUsed) < olderThan {
			continue
		}
		if pattern != "" && !m.Matches(pattern) {
			continue
		}
		gone = append(gone, m)
	}
	return c.Remove(ctx, gone)
}

// Evict removes least recently used entries until the cache is within
// c.Max, never the entry at keep (the one just used), and returns them.
func (c *Cache) Evict(ctx context.Context, keep string) ([]Meta, error) {
	if c == nil || c.Max <= 0 {
		return nil, nil
	}
	ms, err := c.List()
	if err != nil {
		return nil, err
	}
	total := Size(ms)
	var gone []Meta
	for i := len(ms) - 1; i >= 0 && total > c.Max; i-- {
		if ms[i].Dir == keep {
			continue
		}
		gone = append(gone, ms[i])
		total -= ms[i].Size
	}
	return c.Remove(ctx, gone)
}
