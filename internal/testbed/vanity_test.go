package testbed_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
)

func TestPages(t *testing.T) {
	b := testbed.New(t)
	client := b.Client()
	const meta = `<meta name="go-import" content="HOST/pkg git https://code.example/pkg">`
	tests := []struct {
		name  string
		files map[string]string // under www/HOST/
		url   string            // with HOST for the row's own host name
		user  string            // basic auth user (password "secret")

		status int
		header map[string]string
		body   string // substring
	}{
		{
			name:   "a page is served at its path as text/html over https",
			files:  map[string]string{"pkg/foo.html": meta},
			url:    "https://HOST/pkg/foo?go-get=1",
			status: 200, header: map[string]string{"Content-Type": "text/html; charset=utf-8"}, body: meta,
		},
		{
			name:   "a page and its subpage coexist as pkg.html and pkg/foo.html",
			files:  map[string]string{"pkg.html": "parent", "pkg/foo.html": "child"},
			url:    "https://HOST/pkg?go-get=1",
			status: 200, body: "parent",
		},
		{
			name:   "plain http serves the same tree",
			files:  map[string]string{"pkg/foo.html": meta},
			url:    "http://HOST/pkg/foo?go-get=1",
			status: 200, body: meta,
		},
		{
			name:   "the root path serves index.html",
			files:  map[string]string{"index.html": "root page"},
			url:    "https://HOST/?go-get=1",
			status: 200, body: "root page",
		},
		{
			name:   "a path with a trailing slash serves that directory's index.html",
			files:  map[string]string{"pkg/index.html": "dir index", "pkg.html": "not this"},
			url:    "https://HOST/pkg/",
			status: 200, body: "dir index",
		},
		{
			name:   "a missing page is a 404 naming the file looked for",
			url:    "https://HOST/nothing/here?go-get=1",
			status: 404, body: "no www/HOST/nothing/here.html",
		},
		{
			name:   "a status file sets the status and the page is still served",
			files:  map[string]string{"pkg.html": meta, "pkg.status": "404\n"},
			url:    "https://HOST/pkg?go-get=1",
			status: 404, body: meta,
		},
		{
			name:   "a status file alone makes a page with an empty body",
			files:  map[string]string{"broken.status": "503"},
			url:    "https://HOST/broken",
			status: 503,
		},
		{
			name:   "a location file redirects with 302 by default",
			files:  map[string]string{"old.location": "https://elsewhere.example/new?go-get=1\n"},
			url:    "https://HOST/old?go-get=1",
			status: 302, header: map[string]string{"Location": "https://elsewhere.example/new?go-get=1"},
		},
		{
			name:   "a location file with a status file redirects with that status",
			files:  map[string]string{"old.location": "/login", "old.status": "301"},
			url:    "https://HOST/old",
			status: 301, header: map[string]string{"Location": "/login"},
		},
		{
			name:   "a headers file adds headers and replaces the default Content-Type",
			files:  map[string]string{"pkg.html": "x", "pkg.headers": "# caching\nCache-Control: max-age=86400\nContent-Type: text/html; charset=ISO-8859-1\n"},
			url:    "https://HOST/pkg",
			status: 200, header: map[string]string{"Cache-Control": "max-age=86400", "Content-Type": "text/html; charset=ISO-8859-1"},
		},
		{
			name:   "placeholders in a page name the bed's git server",
			files:  map[string]string{"pkg.html": `content="HOST/pkg git ${TESTBED_GIT}/pkg.git"`},
			url:    "https://HOST/pkg",
			status: 200, body: `content="HOST/pkg git ` + b.GitBase() + `/pkg.git"`,
		},
		{
			name:   "a page with an auth file refuses a request without a login",
			files:  map[string]string{"private.html": "secret page", "private.auth": "alice:secret\n"},
			url:    "https://HOST/private",
			status: 401, header: map[string]string{"WWW-Authenticate": `Basic realm="testbed"`},
		},
		{
			name:  "a page with an auth file refuses an unlisted login",
			files: map[string]string{"private.html": "secret page", "private.auth": "alice:secret\n"},
			url:   "https://HOST/private", user: "mallory",
			status: 401,
		},
		{
			name:  "a page with an auth file serves a listed login",
			files: map[string]string{"private.html": "secret page", "private.auth": "alice:secret\n"},
			url:   "https://HOST/private", user: "alice",
			status: 200, body: "secret page",
		},
		{
			name:   "a file without .html is served as is, typed by its extension",
			files:  map[string]string{"dl/notes.txt": "plain notes"},
			url:    "https://HOST/dl/notes.txt",
			status: 200, header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, body: "plain notes",
		},
		{
			name:   "a malformed status file is a 500 naming the file",
			files:  map[string]string{"pkg.html": "x", "pkg.status": "ok"},
			url:    "https://HOST/pkg",
			status: 500, body: `pkg.status: "ok" is not a final HTTP status code`,
		},
		{
			name:   "a malformed headers line is a 500 naming the file and line",
			files:  map[string]string{"pkg.html": "x", "pkg.headers": "X-Fine: yes\nno colon here\n"},
			url:    "https://HOST/pkg",
			status: 500, body: `pkg.headers:2: "no colon here"`,
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := fmt.Sprintf("row%d.example", i)
			for name, content := range tt.files {
				if err := b.WriteWWW(host+"/"+name, strings.ReplaceAll(content, "HOST", host)); err != nil {
					t.Fatal(err)
				}
			}
			pass := ""
			if tt.user != "" {
				pass = "secret"
			}
			got := fetchURL(t, client, "GET", strings.ReplaceAll(tt.url, "HOST", host), tt.user, pass)
			if got.status != tt.status {
				t.Errorf("status = %d, want %d (body %q)", got.status, tt.status, got.body)
			}
			for k, v := range tt.header {
				if got.header.Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, got.header.Get(k), v)
				}
			}
			if want := strings.ReplaceAll(tt.body, "HOST", host); !strings.Contains(got.body, want) {
				t.Errorf("body = %q, want it to contain %q", got.body, want)
			}
		})
	}
}

func TestPagesAreReadAtRequestTime(t *testing.T) {
	b := testbed.New(t)
	client := b.Client()
	steps := []struct {
		name   string
		write  map[string]string // files to write under www/ before the request
		remove []string          // files to remove before the request
		status int
		body   string
	}{
		{name: "a page that does not exist yet is a 404", status: 404},
		{name: "a page written later is served", write: map[string]string{"late.example/p.html": "v1"}, status: 200, body: "v1"},
		{name: "a rewritten page is served as rewritten", write: map[string]string{"late.example/p.html": "v2"}, status: 200, body: "v2"},
		{name: "a status file added later takes effect", write: map[string]string{"late.example/p.status": "410"}, status: 410, body: "v2"},
		{name: "removing the files removes the page", remove: []string{"late.example/p.html", "late.example/p.status"}, status: 404},
	}
	for _, s := range steps {
		for name, content := range s.write {
			if err := b.WriteWWW(name, content); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range s.remove {
			if err := os.Remove(b.WWW + "/" + name); err != nil {
				t.Fatal(err)
			}
		}
		got := fetchURL(t, client, "GET", "https://late.example/p", "", "")
		if got.status != s.status || (s.body != "" && got.body != s.body) {
			t.Errorf("%s: got %d %q, want %d %q", s.name, got.status, got.body, s.status, s.body)
		}
	}
}

func TestWriteWWWRefusesPathsOutsideTheTree(t *testing.T) {
	b := testbed.New(t)
	for _, name := range []string{"../escape.html", "/abs/page.html", ""} {
		err := b.WriteWWW(name, "x")
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", name)) {
			t.Errorf("WriteWWW(%q) = %v, want an error naming the path", name, err)
		}
	}
}

func TestRequestLog(t *testing.T) {
	b := testbed.New(t)
	client := b.Client()
	if err := b.WriteWWW("log.example/pkg.html", "x"); err != nil {
		t.Fatal(err)
	}
	fetchURL(t, client, "GET", "https://log.example/pkg?go-get=1", "", "")
	fetchURL(t, client, "HEAD", "http://log.example/missing", "", "")
	fetchURL(t, client, "GET", "https://log.example/pkg", "alice", "secret")
	want := []string{
		"GET https://log.example/pkg?go-get=1",
		"HEAD http://log.example/missing",
		"GET https://alice@log.example/pkg",
	}
	if got := b.Requests(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Requests() = %q, want %q", got, want)
	}
	data, err := os.ReadFile(b.RequestLog)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != strings.Join(want, "\n")+"\n" {
		t.Errorf("request log file = %q, want %q", data, want)
	}
	if strings.Contains(string(data), "secret") {
		t.Errorf("request log file holds a password: %q", data)
	}
	if err := b.ResetRequests(); err != nil {
		t.Fatal(err)
	}
	fetchURL(t, client, "GET", "https://log.example/after", "", "")
	data, err = os.ReadFile(b.RequestLog)
	if err != nil {
		t.Fatal(err)
	}
	after := "GET https://log.example/after"
	if got := b.Requests(); len(got) != 1 || got[0] != after || string(data) != after+"\n" {
		t.Errorf("after ResetRequests: Requests() = %q, file = %q, want only %q", got, data, after)
	}
}

func TestRequestsFromManyClientsAreAllLogged(t *testing.T) {
	b := testbed.New(t)
	client := b.Client()
	const n = 20
	done := make(chan struct{})
	for i := range n {
		go func() {
			defer func() { done <- struct{}{} }()
			resp, err := client.Get(fmt.Sprintf("https://many.example/p%d", i))
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			resp.Body.Close()
		}()
	}
	for range n {
		<-done
	}
	data, err := os.ReadFile(b.RequestLog)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(data), "\n"); lines != n || len(b.Requests()) != n {
		t.Errorf("logged %d lines in the file and %d in memory, want %d each:\n%s", lines, len(b.Requests()), n, data)
	}
}
