package download

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/gofetch/fetch/internal/testutil"
)

// member is one entry of a test archive. typ is a tar type flag; zip
// archives map it to a file mode.
type member struct {
	name string
	body string
	typ  byte
	link string
	mode int64
}

func file(name, body string) member { return member{name: name, body: body, typ: tar.TypeReg} }
func dir(name string) member        { return member{name: name, typ: tar.TypeDir} }
func symlink(name, target string) member {
	return member{name: name, typ: tar.TypeSymlink, link: target}
}

// project is the tree most tests archive and expect back.
var project = []member{
	dir("proj-1.0/"),
	file("proj-1.0/README", "hello\n"),
	dir("proj-1.0/pkg/"),
	file("proj-1.0/pkg/a.go", "package a\n"),
	{name: "proj-1.0/run.sh", body: "#!/bin/sh\n", typ: tar.TypeReg, mode: 0o755},
}

// projectTree is what extracting project gives, in readTree's form.
var projectTree = map[string]string{
	"proj-1.0/":         "",
	"proj-1.0/README":   "hello\n",
	"proj-1.0/pkg/":     "",
	"proj-1.0/pkg/a.go": "package a\n",
	"proj-1.0/run.sh":   "#!/bin/sh\n",
}

func makeTar(t testing.TB, members []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		h := &tar.Header{Name: m.name, Typeflag: m.typ, Linkname: m.link, Mode: m.mode, Size: int64(len(m.body))}
		if h.Mode == 0 {
			h.Mode = 0o644
			if m.typ == tar.TypeDir {
				h.Mode = 0o755
			}
		}
		if m.typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatalf("tar header %s: %v", m.name, err)
		}
		if _, err := tw.Write([]byte(m.body)); m.typ == tar.TypeReg && err != nil {
			t.Fatalf("tar body %s: %v", m.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func makeZip(t testing.TB, members []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		h := &zip.FileHeader{Name: m.name, Method: zip.Deflate}
		perm := fs.FileMode(m.mode & 0o777)
		if perm == 0 {
			perm = 0o644
		}
		if m.mode&0o4000 != 0 {
			perm |= fs.ModeSetuid
		}
		if m.mode&0o2000 != 0 {
			perm |= fs.ModeSetgid
		}
		body := m.body
		switch m.typ {
		case tar.TypeDir:
			h.SetMode(fs.ModeDir | 0o755)
		case tar.TypeSymlink:
			h.SetMode(fs.ModeSymlink | 0o777)
			body = m.link
		case tar.TypeFifo:
			h.SetMode(fs.ModeNamedPipe | 0o644)
		default:
			h.SetMode(perm)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatalf("zip header %s: %v", m.name, err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// compress compresses data with the codec of a single-stream archive type.
func compress(t testing.TB, codec string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	switch codec {
	case "gz":
		w := gzip.NewWriter(&buf)
		w.Write(data)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	case "xz":
		w, err := xz.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	case "zst":
		w, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	case "bz2":
		// Go has no bzip2 writer.
		bin := testutil.NeedTool(t, "bzip2", "bzip2")
		cmd := exec.Command(bin, "-c")
		cmd.Stdin = bytes.NewReader(data)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("bzip2: %v", err)
		}
		return out
	default:
		t.Fatalf("no codec %q", codec)
	}
	return buf.Bytes()
}

// archiveOf builds members as an archive of type key.
func archiveOf(t testing.TB, key string, members []member) []byte {
	t.Helper()
	if key == "zip" {
		return makeZip(t, members)
	}
	tarball := makeTar(t, members)
	codec := map[string]string{
		"tar": "", "tar.gz": "gz", "tgz": "gz", "tar.bz2": "bz2", "tbz2": "bz2",
		"tar.xz": "xz", "txz": "xz", "tar.zst": "zst", "tzst": "zst",
	}[key]
	if codec == "" {
		return tarball
	}
	return compress(t, codec, tarball)
}

// served is one file of the test server.
type served struct {
	body    []byte
	header  map[string]string
	chunked bool // send no Content-Length
	status  int
}

// server is a TLS file server on loopback that records the paths asked for.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string]served
	hits  []string
}

func newServer(t testing.TB, files map[string]served) *server {
	t.Helper()
	s := &server{files: files}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits = append(s.hits, r.Method+" "+r.URL.RequestURI())
	f, ok := s.files[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	for k, v := range f.header {
		w.Header().Set(k, v)
	}
	if !f.chunked {
		w.Header().Set("Content-Length", strconv.Itoa(len(f.body)))
	}
	if f.status != 0 {
		w.WriteHeader(f.status)
	}
	if r.Method == http.MethodHead {
		return
	}
	if f.chunked {
		w.(http.Flusher).Flush()
	}
	w.Write(f.body)
}

// add serves f at path from now on.
func (s *server) add(path string, f served) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = f
}

// requests returns the requests served so far, as "METHOD URI".
func (s *server) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.hits...)
}

// requested reports whether any request asked for path.
func (s *server) requested(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.hits {
		if _, uri, _ := strings.Cut(h, " "); strings.HasPrefix(uri, path) {
			return true
		}
	}
	return false
}

// emptyDst makes an empty destination directory.
func emptyDst(t testing.TB) string {
	t.Helper()
	d := filepath.Join(t.TempDir(), "dst")
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// readTree lists dir: files map to their content, directories (with a
// trailing slash) to "", symlinks to "-> target".
func readTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[rel] = "-> " + target
		case d.IsDir():
			out[rel+"/"] = ""
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return out
}

// diffTree describes how got differs from want, or returns "".
func diffTree(got, want map[string]string) string {
	var diffs []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+k)
		case g != w:
			diffs = append(diffs, "content of "+k+": got "+quote(g)+", want "+quote(w))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, "unexpected "+k)
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "; ")
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return "\"" + s + "\""
}

// under returns the part of tree below dir (which ends in "/").
func under(dir string, tree map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range tree {
		if rest, ok := strings.CutPrefix(k, dir); ok && rest != "" {
			out[rest] = v
		}
	}
	return out
}
