package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sha256Of is the Result.Checksum of body.
func sha256Of(body []byte) string {
	s := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(s[:])
}

// checkEmpty fails when dir holds anything.
func checkEmpty(t *testing.T, dir string) {
	t.Helper()
	if got := readTree(t, dir); len(got) != 0 {
		t.Errorf("destination is not empty after the failure: %v", got)
	}
}

func TestGetExtractsEveryArchiveType(t *testing.T) {
	for _, key := range []string{"tar", "tar.gz", "tgz", "tar.bz2", "tbz2", "tar.xz", "txz", "tar.zst", "tzst", "zip"} {
		t.Run("a ."+key+" archive is extracted into the destination", func(t *testing.T) {
			t.Parallel()
			body := archiveOf(t, key, project)
			srv := newServer(t, map[string]served{"/dl/proj." + key: {body: body}})
			dst := emptyDst(t)
			res, err := Get(context.Background(), Request{URL: srv.URL + "/dl/proj." + key, Dst: dst, HTTPClient: srv.Client()})
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if d := diffTree(readTree(t, dst), projectTree); d != "" {
				t.Errorf("destination: %s", d)
			}
			want := Result{Getter: "https", Checksum: sha256Of(body), Archive: key, Bytes: int64(len(body))}
			if *res != want {
				t.Errorf("Result = %+v, want %+v", *res, want)
			}
			fi, err := os.Stat(filepath.Join(dst, "proj-1.0/run.sh"))
			if err != nil || fi.Mode().Perm() != 0o755 {
				t.Errorf("run.sh mode = %v (%v), want 0755 from the archive", fi.Mode(), err)
			}
		})
	}
}

func TestGetDecompressesSingleStreamFiles(t *testing.T) {
	const content = "notes, compressed\n"
	for _, key := range []string{"gz", "bz2", "xz", "zst"} {
		t.Run("a ."+key+" file is decompressed under its name without the extension", func(t *testing.T) {
			t.Parallel()
			body := compress(t, key, []byte(content))
			srv := newServer(t, map[string]served{"/dl/notes.txt." + key: {body: body}})
			dst := emptyDst(t)
			res, err := Get(context.Background(), Request{URL: srv.URL + "/dl/notes.txt." + key, Dst: dst, HTTPClient: srv.Client()})
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if d := diffTree(readTree(t, dst), map[string]string{"notes.txt": content}); d != "" {
				t.Errorf("destination: %s", d)
			}
			want := Result{Getter: "https", Checksum: sha256Of(body), Archive: key, File: "notes.txt", Bytes: int64(len(body))}
			if *res != want {
				t.Errorf("Result = %+v, want %+v", *res, want)
			}
		})
	}
}

func TestGetOptions(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	zipped := archiveOf(t, "zip", project)
	notes := compress(t, "gz", []byte("notes\n"))
	srv := newServer(t, map[string]served{
		"/dl/proj.tar.gz":  {body: tgz},
		"/dl/PROJ.TAR.GZ":  {body: tgz},
		"/dl/download":     {body: zipped},
		"/dl/misnamed.zip": {body: tgz},
		"/dl/blob":         {body: []byte("plain bytes")},
		"/dl/notes.gz":     {body: notes},
	})
	tests := []struct {
		name    string
		path    string
		want    map[string]string
		archive string
		file    string
		subdir  string
	}{
		{"archive=false keeps an archive as downloaded", "/dl/proj.tar.gz?archive=false", map[string]string{"proj.tar.gz": string(tgz)}, "", "proj.tar.gz", ""},
		{"archive=0 is a false value too", "/dl/proj.tar.gz?archive=0", map[string]string{"proj.tar.gz": string(tgz)}, "", "proj.tar.gz", ""},
		{"an upper-case extension is no archive type, as in go-getter", "/dl/PROJ.TAR.GZ", map[string]string{"PROJ.TAR.GZ": string(tgz)}, "", "PROJ.TAR.GZ", ""},
		{"archive=zip extracts a file without an extension", "/dl/download?archive=zip", projectTree, "zip", "", ""},
		{"archive=tgz overrides a misleading extension", "/dl/misnamed.zip?archive=tgz", projectTree, "tgz", "", ""},
		{"filename= names a plain download", "/dl/blob?filename=data.bin", map[string]string{"data.bin": "plain bytes"}, "", "data.bin", ""},
		{"filename= names a decompressed single-stream file", "/dl/notes.gz?filename=n.txt", map[string]string{"n.txt": "notes\n"}, "gz", "n.txt", ""},
		{"a subdir names a directory inside the archive", "/dl/proj.tar.gz//proj-1.0/pkg", map[string]string{"a.go": "package a\n"}, "tar.gz", "", "proj-1.0/pkg"},
		{"a subdir glob that matches one entry picks it", "/dl/proj.tar.gz//proj-*", under("proj-1.0/", projectTree), "tar.gz", "", "proj-1.0"},
		{"a subdir may name a single file", "/dl/proj.tar.gz//proj-1.0/README", map[string]string{"README": "hello\n"}, "tar.gz", "README", "proj-1.0/README"},
		{"a query after the subdir still belongs to the URL", "/dl/download//proj-1.0/pkg?archive=zip", map[string]string{"a.go": "package a\n"}, "zip", "", "proj-1.0/pkg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dst := emptyDst(t)
			res, err := Get(context.Background(), Request{URL: srv.URL + tt.path, Dst: dst, HTTPClient: srv.Client()})
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if d := diffTree(readTree(t, dst), tt.want); d != "" {
				t.Errorf("destination: %s", d)
			}
			if res.Archive != tt.archive || res.File != tt.file || res.Subdir != tt.subdir {
				t.Errorf("Result archive, file, subdir = %q, %q, %q; want %q, %q, %q",
					res.Archive, res.File, res.Subdir, tt.archive, tt.file, tt.subdir)
			}
		})
	}
}

func TestGetSendsOnlyTheURLsOwnQuery(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	srv := newServer(t, map[string]served{"/dl/proj.tar.gz": {body: tgz}})
	url := srv.URL + "/dl/proj.tar.gz?token=keep&archive=tar.gz&filename=x&checksum=" + sha256Of(tgz)
	if _, err := Get(context.Background(), Request{URL: url, Dst: emptyDst(t), HTTPClient: srv.Client()}); err != nil {
		t.Fatalf("Get: %v", err)
	}
	for _, h := range srv.requests() {
		if !strings.HasSuffix(h, " /dl/proj.tar.gz?token=keep") {
			t.Errorf("server saw %q, want only the token parameter", h)
		}
	}
}

func TestGetRefuses(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	files := map[string]served{
		"/dl/proj.tar.gz": {body: tgz},
		"/dl/blob":        {body: []byte("plain bytes")},
	}
	tests := []struct {
		name    string
		source  string // a path on the server when it starts with /
		wantErr string
		noHit   bool // the server must not have been asked
	}{
		{"a subdir glob that matches nothing is an error", "/dl/proj.tar.gz//nope-*", `subdir "nope-*" not found`, false},
		{"a subdir glob that matches several entries is an error", "/dl/proj.tar.gz//proj-1.0/*", `subdir "proj-1.0/*" matches multiple paths`, false},
		{"a subdir of a plain file is an error", "/dl/blob//x", "needs a directory or an archive", false},
		{"a subdir that climbs out with .. is refused before any request", "/dl/proj.tar.gz//../x", "'..' component", true},
		{"a malformed subdir glob is refused before any request", "/dl/proj.tar.gz//proj-[", "not a valid glob", true},
		{"git:: sources belong to the VCS layer", "git::https://example.invalid/r.git", "VCS layer", true},
		{"hg:: sources belong to the VCS layer", "hg::https://example.invalid/r", "VCS layer", true},
		{"a GitHub shorthand is a git source and belongs to the VCS layer", "github.com/o/r", "VCS layer", true},
		{"an unknown forced getter is refused", "ftp::https://example.invalid/x", `getter "ftp" is not one of`, true},
		{"a forced getter name is case-sensitive", "HTTPS::https://example.invalid/x", `getter "HTTPS" is not one of`, true},
		{"an ssh URL has no getter here", "ssh://git@example.invalid/r", `getter "ssh" is not one of`, true},
		{"an unknown archive type is refused", "/dl/proj.tar.gz?archive=rar", `archive="rar" is not an archive type`, true},
		{"archive=true is refused rather than ignored", "/dl/proj.tar.gz?archive=true", `archive="true" is not an archive type`, true},
		{"a filename with a separator is refused", "/dl/blob?filename=a/b", "must be a plain file name", true},
		{"a filename of .. is refused", "/dl/blob?filename=..", "must be a plain file name", true},
		{"a source that looks like an option is refused", "-oProxyCommand=x", "starts with '-'", true},
		{"an empty source is refused", "", "source is empty", true},
		{"a relative path needs a Pwd", "./proj.zip", "pwd", true},
		{"a checksum of an unsupported type is refused before downloading", "/dl/proj.tar.gz?checksum=crc32:cbf43926", `unsupported checksum type "crc32"`, true},
		{"a 404 is an error that names the status", "/dl/missing.tar.gz", "bad response code: 404", false},
		{"a directory URL is refused while X-Terraform-Get is off", "/dl/", "X-Terraform-Get", true},
		{"a checksum on a directory URL is refused", "/dl/?checksum=md5:d41d8cd98f00b204e9800998ecf8427e", "a checksum can only be checked on a file", true},
		{"an archive type on a directory URL is refused", "/dl/?archive=zip", "archive=zip needs a file", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, files)
			source := tt.source
			if strings.HasPrefix(source, "/") {
				source = srv.URL + source
			}
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: source, Dst: dst, HTTPClient: srv.Client()})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Get(%q) error = %v, want one containing %q", source, err, tt.wantErr)
			}
			checkEmpty(t, dst)
			if hits := srv.requests(); tt.noHit && len(hits) > 0 {
				t.Errorf("the server was asked for %v; the source should have been refused first", hits)
			}
		})
	}
}

func TestGetRefusesANonEmptyDestination(t *testing.T) {
	srv := newServer(t, map[string]served{"/dl/blob": {body: []byte("x")}})
	dst := emptyDst(t)
	if err := os.WriteFile(filepath.Join(dst, "keep"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Get(context.Background(), Request{URL: srv.URL + "/dl/blob", Dst: dst, HTTPClient: srv.Client()})
	if err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Fatalf("Get into a non-empty directory: error = %v, want one saying it is not empty", err)
	}
	if d := diffTree(readTree(t, dst), map[string]string{"keep": "mine"}); d != "" {
		t.Errorf("the destination's own content changed: %s", d)
	}
	if srv.requested("/dl/blob") {
		t.Error("the server was asked before the destination was checked")
	}
}

func TestGetConcurrentCallsShareNothing(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	srv := newServer(t, map[string]served{"/dl/proj.tar.gz": {body: tgz}, "/dl/blob": {body: []byte("blob")}})
	const n = 8
	errs := make(chan error, n)
	dsts := make([]string, n)
	for i := range dsts {
		dsts[i] = emptyDst(t)
		path := "/dl/proj.tar.gz"
		if i%2 == 1 {
			path = "/dl/blob"
		}
		go func() {
			_, err := Get(context.Background(), Request{URL: srv.URL + path, Dst: dsts[i], HTTPClient: srv.Client()})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("Get: %v", err)
		}
	}
	for i, dst := range dsts {
		want := projectTree
		if i%2 == 1 {
			want = map[string]string{"blob": "blob"}
		}
		if d := diffTree(readTree(t, dst), want); d != "" {
			t.Errorf("destination %d: %s", i, d)
		}
	}
}

func TestGetHonoursContextCancellation(t *testing.T) {
	srv := newServer(t, map[string]served{"/dl/blob": {body: []byte("x")}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dst := emptyDst(t)
	_, err := Get(ctx, Request{URL: srv.URL + "/dl/blob", Dst: dst, HTTPClient: srv.Client()})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Get with a canceled context: error = %v, want context.Canceled", err)
	}
	checkEmpty(t, dst)
}

func TestGetStopsAtTheTimeout(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	}))
	defer srv.Close()
	dst := emptyDst(t)
	_, err := Get(context.Background(), Request{URL: srv.URL + "/slow", Dst: dst, HTTPClient: srv.Client(), Timeout: 50 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get from a server that never answers: error = %v, want context.DeadlineExceeded", err)
	}
	checkEmpty(t, dst)
}
