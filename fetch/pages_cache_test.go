package fetch_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/trace"
)

// TestDiskCacheReplaysThePage checks that an answer taken from the disk
// cache resolves exactly as the page it was stored from: same result,
// same tags traced with the same verdicts, and no request.
func TestDiskCacheReplaysThePage(t *testing.T) {
	tests := []struct {
		name   string
		source string
		pages  map[string]string
	}{
		{"a plain page gives the same repository", "example.org/foo", map[string]string{
			"example.org/foo.html":    goImport("example.org/foo git ${TESTBED_GIT}/foo.git"),
			"example.org/foo.headers": "Cache-Control: max-age=600\n",
		}},
		{"a tag in <body> is still explained, and still unused", "example.org/body", map[string]string{
			"example.org/body.html":    `<html><head><meta name="go-import" content="example.org/body git ${TESTBED_GIT}/body.git"></head><body><meta name="go-import" content="example.org/body git ${TESTBED_GIT}/other.git"></body></html>`,
			"example.org/body.headers": "Cache-Control: max-age=600\n",
		}},
		{"a 404 page with a tag still resolves", "example.org/nf", map[string]string{
			"example.org/nf.html":    goImport("example.org/nf git ${TESTBED_GIT}/nf.git"),
			"example.org/nf.status":  "404",
			"example.org/nf.headers": "Cache-Control: max-age=600\n",
		}},
		{"a page whose tag does not match fails the same way", "example.org/mismatch", map[string]string{
			"example.org/mismatch.html":    goImport("example.org/elsewhere git ${TESTBED_GIT}/x.git"),
			"example.org/mismatch.headers": "Cache-Control: max-age=600\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := testbed.New(t)
			writePages(t, b, tt.pages)
			cacheDir := filepath.Join(t.TempDir(), "meta")
			root, pwd := t.TempDir(), t.TempDir()
			run := func() (fetch.Result, []trace.Event) {
				var rec events
				c, err := fetch.New(fetch.Options{
					Root: root, Pwd: pwd, Transport: b.Transport(), Trace: rec.Emit,
					Getenv: func(string) string { return "" }, CacheDir: cacheDir,
				})
				if err != nil {
					t.Fatal(err)
				}
				return c.Resolve(t.Context(), []string{tt.source}, fetch.SourceOptions{})[0], rec.All()
			}
			first, firstEvents := run()
			second, secondEvents := run()
			if first.Requests == 0 || second.Requests != 0 {
				t.Errorf("requests: first run %d, second %d; want some, then none", first.Requests, second.Requests)
			}
			first.Requests = 0
			if !reflect.DeepEqual(first, second) {
				t.Errorf("the cached answer resolved differently:\nfirst  %+v\nsecond %+v", first, second)
			}
			if got, want := tags(secondEvents), tags(firstEvents); !reflect.DeepEqual(got, want) || len(want) == 0 {
				t.Errorf("tags traced from the cache = %q, want those of the page %q", got, want)
			}
			if !hasNote(secondEvents, "cached answer for https://"+tt.source+"?go-get=1 (fresh for ") {
				t.Errorf("the second run did not say it used the cache: %+v", secondEvents)
			}
		})
	}
}

func tags(evs []trace.Event) []string {
	var out []string
	for _, e := range evs {
		if e.Kind == trace.Tag {
			out = append(out, e.Tag+" matched="+map[bool]string{true: "yes", false: "no"}[e.Matched]+" "+e.Reason)
		}
	}
	return out
}

func hasNote(evs []trace.Event, prefix string) bool {
	for _, e := range evs {
		if e.Kind == trace.Note && strings.HasPrefix(e.Message, prefix) {
			return true
		}
	}
	return false
}
