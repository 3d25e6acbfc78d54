package modproxy

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

// versionTime is the time every test version reports.
var versionTime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// modFiles is the content of every test module version.
func modFiles(path string) map[string]string {
	return map[string]string{
		"go.mod":     "module " + path + "\n\ngo 1.22\n",
		"a.go":       "package a\n",
		"sub/b.go":   "package sub\n",
		"LICENSE":    "license text\n",
		"README.txt": "readme\n",
	}
}

// moduleZip builds the zip of path@version with zip.CreateFromDir, and
// returns it with the h1 hash of the directory it was made from.
func moduleZip(t *testing.T, path, version string) (zipBytes []byte, h1 string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range modFiles(path) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := modzip.CreateFromDir(&buf, module.Version{Path: path, Version: version}, dir); err != nil {
		t.Fatalf("CreateFromDir: %v", err)
	}
	h1, err := dirhash.HashDir(dir, path+"@"+version, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), h1
}

// rawZip builds a zip with exactly the given names and contents.
func rawZip(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func infoJSON(t *testing.T, version string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"Version": version, "Time": versionTime})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reply is one response of the test proxy.
type reply struct {
	status int // 0 means 200
	body   []byte
}

// proxy is a module proxy on loopback serving fixed replies by URL path.
type proxy struct {
	*httptest.Server
	mu      sync.Mutex
	replies map[string]reply
	hits    []string
}

func newProxy(t *testing.T, replies map[string]reply) *proxy {
	t.Helper()
	p := &proxy{replies: replies}
	p.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.hits = append(p.hits, r.URL.Path)
		rep, ok := p.replies[r.URL.Path]
		p.mu.Unlock()
		if !ok {
			http.Error(w, "not found: "+r.URL.Path, http.StatusNotFound)
			return
		}
		if rep.status != 0 {
			w.WriteHeader(rep.status)
		}
		w.Write(rep.body)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *proxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.hits...)
}

// readTree maps every file under dir to its content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return out
}
