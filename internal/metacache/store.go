// Package metacache keeps ?go-get=1 discovery answers on disk between runs
// for as long as the vanity server's Cache-Control or Expires allows, so
// repeated runs do not ask again. It is a private, per-user cache: files
// are readable by their owner only, because pages may have been fetched
// with the user's netrc login.
package metacache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// formatVersion changes whenever Entry's encoding does; entries of
// another version are ignored.
const formatVersion = 1

// MaxBody bounds the page bytes an entry holds. A page whose go-import
// tags lie further in is asked for every time.
const MaxBody = 1 << 20

// keptHeaders are the response headers an entry keeps: what discovery
// and the trace read, not cookies or anything else the server sent.
var keptHeaders = []string{"Content-Type", "Cache-Control", "Expires", "Date", "Age", "Last-Modified"}

// Entry is one stored answer.
type Entry struct {
	Version int    `json:"version"`
	Key     string `json:"key"`
	// Stored and Expires are when the answer arrived and when it stops
	// being fresh.
	Stored  time.Time `json:"stored"`
	Expires time.Time `json:"expires"`
	// URL is the URL that answered, with its scheme; Status and
	// StatusCode its final status.
	URL        string      `json:"url"`
	Status     string      `json:"status"`
	StatusCode int         `json:"status_code"`
	Header     http.Header `json:"header,omitempty"`
	Redirects  []Hop       `json:"redirects,omitempty"`
	// Body holds the bytes of the page that were read; Truncated says
	// the server sent more than the page size limit.
	Body      []byte `json:"body"`
	Truncated bool   `json:"truncated,omitempty"`
	// Detail is the quoted start of a plain-text error page.
	Detail string `json:"detail,omitempty"`
}

// Hop is one redirect that led to the answer.
type Hop struct {
	URL        string `json:"url"`
	StatusCode int    `json:"status_code"`
	Status     string `json:"status"`
	Location   string `json:"location"`
}

// Cache is a directory of entries. The zero value is not usable; call New.
type Cache struct {
	dir string
	// Now is the clock; tests set it. Nil means time.Now.
	Now func() time.Time
}

// New returns the cache in dir, which is created when the first entry is
// stored.
func New(dir string) *Cache { return &Cache{dir: dir} }

// Dir returns the cache's directory.
func (c *Cache) Dir() string { return c.dir }

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Trust is what a discovery answer's authenticity rested on, beyond the
// system's root certificates and the real DNS.
type Trust struct {
	// Insecure: plain http, and https without certificate checks, were
	// allowed (--insecure, GOINSECURE).
	Insecure bool
	// Extra identifies the rest (web.Client.TrustKey): the --connect-to
	// rules, which send a name to another server (staging, a test bed),
	// and the extra CA certificates (--cacert, SSL_CERT_FILE) by the hash
	// of their contents, so that editing the file changes it too. Empty
	// when there are none.
	Extra string
}

// Key is the cache key of a discovery URL fetched under t. An answer is
// only ever served to a run with exactly the same trust: one got with
// plain http allowed never serves a run that requires https, one got
// from the server a --connect-to rule named never serves a run that asks
// the real one, and one trusted only through an extra CA never serves a
// run that does not trust that CA (nor one whose CA file changed). Such
// answers are stored rather than refused, under their own keys: the
// staging runs that use them are repeated like any others.
func Key(url string, t Trust) string {
	k := "secure "
	if t.Insecure {
		k = "insecure "
	}
	if t.Extra != "" {
		k += "trust=" + t.Extra + " "
	}
	return k + url
}

func (c *Cache) file(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:])+".json")
}

// Load returns the fresh entry for key and how much longer it stays
// fresh. A missing, expired, unreadable or corrupt entry is a miss: the
// cache only ever saves a request, so its faults must not fail one.
//
// A stale or damaged entry is removed, so the directory holds little more
// than the answers still fresh and those of paths not asked for since.
func (c *Cache) Load(key string) (*Entry, time.Duration, bool) {
	name := c.file(key)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, 0, false
	}
	var e Entry
	if err := json.Unmarshal(data, &e); err != nil || e.Version != formatVersion || e.Key != key {
		os.Remove(name)
		return nil, 0, false
	}
	now := c.now()
	// A clock set back since the answer was stored would stretch its
	// lifetime: such an entry is stale.
	if now.Before(e.Stored) || !now.Before(e.Expires) {
		os.Remove(name)
		return nil, 0, false
	}
	return &e, e.Expires.Sub(now), true
}

// Store keeps e under key when its headers allow it and returns how long
// it stays fresh. It returns 0 and the reason, with a nil error, when the
// answer may not be kept, and an error when writing fails. The write is
// atomic: a reader sees the old entry or the new one, never a mix.
func (c *Cache) Store(key string, e Entry) (time.Duration, string, error) {
	if len(e.Body) > MaxBody {
		return 0, fmt.Sprintf("the page read was %d bytes, more than the %d a cache entry holds", len(e.Body), MaxBody), nil
	}
	if why := uncacheable(&e); why != "" {
		return 0, why, nil
	}
	now := c.now()
	fresh, why := Freshness(e.Header, now)
	if fresh <= 0 {
		return 0, why, nil
	}
	e.Version, e.Key, e.Stored, e.Expires = formatVersion, key, now, now.Add(fresh)
	h := http.Header{}
	for _, k := range keptHeaders {
		if vs := e.Header.Values(k); len(vs) > 0 {
			h[k] = vs
		}
	}
	e.Header = h
	data, err := json.Marshal(&e)
	if err != nil {
		return 0, "", fmt.Errorf("encoding the cache entry for %s: %w", e.URL, err)
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return 0, "", fmt.Errorf("creating the discovery cache: %w", err)
	}
	tmp, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return 0, "", fmt.Errorf("writing the cache entry for %s: %w", e.URL, err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), c.file(key))
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return 0, "", fmt.Errorf("writing the cache entry for %s: %w", e.URL, werr)
	}
	return fresh, "", nil
}

// uncacheable says why an answer is never kept whatever its headers: a
// status that is not an answer about the path (a login wall or a server
// error is passing), or a redirect the server did not call permanent,
// whose own lifetime fetch does not know.
func uncacheable(e *Entry) string {
	switch e.StatusCode {
	case http.StatusOK, http.StatusNotFound, http.StatusGone:
	default:
		return "status " + e.Status + " is not kept (only 200, 404 and 410 are)"
	}
	for _, h := range e.Redirects {
		if h.StatusCode != http.StatusMovedPermanently && h.StatusCode != http.StatusPermanentRedirect {
			return fmt.Sprintf("%s redirected with %s, which is not permanent", h.URL, h.Status)
		}
	}
	return ""
}
