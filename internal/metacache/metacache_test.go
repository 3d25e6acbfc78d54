package metacache

import (
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestFreshness(t *testing.T) {
	date := t0.Format(http.TimeFormat)
	tests := []struct {
		name   string
		h      http.Header
		fresh  time.Duration
		reason string // a substring of the reason, when not fresh
	}{
		{"max-age gives the lifetime", header("Cache-Control", "max-age=300"), 300 * time.Second, ""},
		{"private does not stop a per-user cache", header("Cache-Control", "private, max-age=60"), time.Minute, ""},
		{"s-maxage is for shared caches and is ignored", header("Cache-Control", "s-maxage=600, max-age=60"), time.Minute, ""},
		{"directive names are case-insensitive", header("Cache-Control", "Max-Age=60"), time.Minute, ""},
		{"a quoted max-age is read", header("Cache-Control", `max-age="60"`), time.Minute, ""},
		{"directives in several header lines all count", header("Cache-Control", "public", "Cache-Control", "no-store"), 0, "no-store"},
		{"no-store is never kept", header("Cache-Control", "no-store, max-age=600"), 0, "no-store"},
		{"no-cache is never kept because fetch does not revalidate", header("Cache-Control", "max-age=600, no-cache"), 0, "no-cache"},
		{"max-age=0 is stale at once", header("Cache-Control", "max-age=0"), 0, "stale"},
		{"a negative max-age is stale", header("Cache-Control", "max-age=-5"), 0, "not a number"},
		{"a max-age that is not a number is stale", header("Cache-Control", "max-age=soon"), 0, "not a number"},
		{"max-age given twice is stale", header("Cache-Control", "max-age=60, max-age=600"), 0, "more than once"},
		{"Age uses up part of max-age", header("Cache-Control", "max-age=300", "Age", "100"), 200 * time.Second, ""},
		{"an Age beyond max-age leaves nothing", header("Cache-Control", "max-age=300", "Age", "400"), 0, "stale"},
		{"time since Date uses up max-age", header("Cache-Control", "max-age=300", "Date", t0.Add(-time.Minute).Format(http.TimeFormat)), 240 * time.Second, ""},
		{"max-age wins over Expires", header("Cache-Control", "max-age=60", "Expires", t0.Add(time.Hour).Format(http.TimeFormat)), time.Minute, ""},
		{"Expires counts from Date", header("Date", date, "Expires", t0.Add(10*time.Minute).Format(http.TimeFormat)), 10 * time.Minute, ""},
		{"Expires in the past is stale", header("Date", date, "Expires", t0.Add(-time.Minute).Format(http.TimeFormat)), 0, "stale"},
		{"an invalid Expires is stale", header("Expires", "0"), 0, "not a single HTTP date"},
		{"Pragma no-cache without Cache-Control is never kept", header("Pragma", "no-cache", "Expires", t0.Add(time.Hour).Format(http.TimeFormat)), 0, "Pragma"},
		{"no caching headers means nothing is kept", header("Content-Type", "text/html"), 0, "no Cache-Control max-age and no Expires"},
		{"a year of max-age is cut to MaxLifetime", header("Cache-Control", "max-age=31536000"), MaxLifetime, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh, why := Freshness(tt.h, t0)
			if fresh != tt.fresh {
				t.Errorf("Freshness(%v) = %v (%s), want %v", tt.h, fresh, why, tt.fresh)
			}
			if fresh == 0 && (tt.reason == "" || !strings.Contains(why, tt.reason)) {
				t.Errorf("Freshness(%v) reason = %q, want it to contain %q", tt.h, why, tt.reason)
			}
			if fresh > 0 && why != "" {
				t.Errorf("Freshness(%v) gave a reason %q with a lifetime", tt.h, why)
			}
		})
	}
}

func entry(status int, h http.Header, hops ...Hop) Entry {
	return Entry{
		URL: "https://example.org/foo?go-get=1", Status: http.StatusText(status), StatusCode: status,
		Header: h, Redirects: hops, Body: []byte(`<meta name="go-import" content="example.org/foo git https://example.org/foo.git">`),
	}
}

func TestStoreLoad(t *testing.T) {
	maxAge := header("Cache-Control", "max-age=60", "Set-Cookie", "session=secret")
	tests := []struct {
		name     string
		e        Entry
		insecure bool
		after    time.Duration // between Store and Load
		hit      bool
		reason   string // why Store refused, when it did
	}{
		{"a 200 page with max-age is served while fresh", entry(200, maxAge), false, 59 * time.Second, true, ""},
		{"a 404 page with max-age is kept too", entry(404, maxAge), false, 0, true, ""},
		{"a page read with plain http allowed is kept under its own key", entry(200, maxAge), true, 0, true, ""},
		{"an entry is a miss once max-age has passed", entry(200, maxAge), false, 60 * time.Second, false, ""},
		{"an entry stored in the future (the clock went back) is a miss", entry(200, maxAge), false, -time.Second, false, ""},
		{"a no-store page is never written", entry(200, header("Cache-Control", "no-store")), false, 0, false, "no-store"},
		{"a login wall is never written", entry(401, maxAge), false, 0, false, "status"},
		{"an answer behind a permanent redirect is kept", entry(200, maxAge, Hop{URL: "https://a/", StatusCode: 301, Status: "301 Moved Permanently"}), false, 0, true, ""},
		{"an answer behind a temporary redirect is not", entry(200, maxAge, Hop{URL: "https://a/", StatusCode: 302, Status: "302 Found"}), false, 0, false, "not permanent"},
		{"a page too big for an entry is not kept", Entry{StatusCode: 200, Header: maxAge, Body: make([]byte, MaxBody+1)}, false, 0, false, "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(filepath.Join(t.TempDir(), "meta"))
			now := t0
			c.Now = func() time.Time { return now }
			key := Key(tt.e.URL, Trust{Insecure: tt.insecure})
			fresh, why, err := c.Store(key, tt.e)
			if err != nil {
				t.Fatal(err)
			}
			if (fresh > 0) != (tt.reason == "") || !strings.Contains(why, tt.reason) {
				t.Fatalf("Store = %v, %q; want reason %q", fresh, why, tt.reason)
			}
			now = t0.Add(tt.after)
			got, left, ok := c.Load(key)
			if ok != tt.hit {
				t.Fatalf("Load hit = %v, want %v", ok, tt.hit)
			}
			if _, err := os.Stat(c.file(key)); ok != (err == nil) {
				t.Errorf("after Load (hit %v) the entry file: %v; want it kept only while fresh", ok, err)
			}
			if _, _, other := c.Load(Key(tt.e.URL, Trust{Insecure: !tt.insecure})); other {
				t.Errorf("the entry also answered for the other security mode")
			}
			if !ok {
				return
			}
			if left != fresh-tt.after {
				t.Errorf("Load says fresh for %v, want %v", left, fresh-tt.after)
			}
			if got.URL != tt.e.URL || got.StatusCode != tt.e.StatusCode || string(got.Body) != string(tt.e.Body) || !reflect.DeepEqual(got.Redirects, tt.e.Redirects) {
				t.Errorf("Load = %+v, want what was stored: %+v", got, tt.e)
			}
			if got.Header.Get("Cache-Control") != "max-age=60" || got.Header.Get("Set-Cookie") != "" {
				t.Errorf("stored headers = %v, want Cache-Control kept and Set-Cookie dropped", got.Header)
			}
		})
	}
}

func TestLoadIgnoresDamage(t *testing.T) {
	key := Key("https://example.org/foo?go-get=1", Trust{})
	tests := []struct {
		name   string
		damage func(c *Cache) error
	}{
		{"a file that is not JSON is a miss", func(c *Cache) error { return os.WriteFile(c.file(key), []byte("{not json"), 0o600) }},
		{"a truncated file is a miss", func(c *Cache) error {
			data, err := os.ReadFile(c.file(key))
			if err != nil {
				return err
			}
			return os.WriteFile(c.file(key), data[:len(data)/2], 0o600)
		}},
		{"an entry of another format version is a miss", func(c *Cache) error {
			data, err := os.ReadFile(c.file(key))
			if err != nil {
				return err
			}
			return os.WriteFile(c.file(key), []byte(strings.Replace(string(data), `"version":1`, `"version":99`, 1)), 0o600)
		}},
		{"an entry written for another key is a miss", func(c *Cache) error {
			data, err := os.ReadFile(c.file(key))
			if err != nil {
				return err
			}
			return os.WriteFile(c.file(key), []byte(strings.Replace(string(data), `"key":"secure `, `"key":"insecure `, 1)), 0o600)
		}},
		{"a missing directory is a miss", func(c *Cache) error { return os.RemoveAll(c.dir) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(filepath.Join(t.TempDir(), "meta"))
			c.Now = func() time.Time { return t0 }
			if _, _, err := c.Store(key, entry(200, header("Cache-Control", "max-age=60"))); err != nil {
				t.Fatal(err)
			}
			if _, _, ok := c.Load(key); !ok {
				t.Fatal("the undamaged entry was a miss")
			}
			if err := tt.damage(c); err != nil {
				t.Fatal(err)
			}
			if e, _, ok := c.Load(key); ok {
				t.Errorf("Load = %+v after damage, want a miss", e)
			}
			if _, err := os.Stat(c.file(key)); !os.IsNotExist(err) {
				t.Errorf("the damaged entry is still there (%v), want it removed", err)
			}
		})
	}
}

func TestStoreIsPrivate(t *testing.T) {
	c := New(filepath.Join(t.TempDir(), "meta"))
	key := Key("https://example.org/foo?go-get=1", Trust{})
	if _, _, err := c.Store(key, entry(200, header("Cache-Control", "max-age=60"))); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{c.dir, c.file(key)} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group or others", name, st.Mode().Perm())
		}
	}
	left, err := filepath.Glob(filepath.Join(c.dir, ".tmp-*"))
	if err != nil || len(left) > 0 {
		t.Errorf("temporary files left behind: %v %v", left, err)
	}
}
