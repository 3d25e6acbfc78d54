package download

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	getter "github.com/hashicorp/go-getter/v2"
)

// writeFiles creates files (paths ending in / are directories) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGetLocalSources(t *testing.T) {
	src := t.TempDir()
	tree := map[string]string{"a.txt": "a", "sub/": "", "sub/b.txt": "b", "empty/": ""}
	writeFiles(t, filepath.Join(src, "tree"), tree)
	writeFiles(t, src, map[string]string{"one.txt": "one"})
	if err := os.WriteFile(filepath.Join(src, "proj.zip"), archiveOf(t, "zip", project), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(src, "tree/sub/b.txt"), 0o755); err != nil {
		t.Fatal(err)
	}
	oneSum := sha256Of([]byte("one"))
	tests := []struct {
		name   string
		source string
		pwd    string
		want   map[string]string
		res    Result
	}{
		{"a local file is copied", "file://" + src + "/one.txt", "", map[string]string{"one.txt": "one"},
			Result{Getter: "file", Checksum: oneSum, File: "one.txt", Bytes: 3}},
		{"a local file's checksum is verified", "file://" + src + "/one.txt?checksum=" + oneSum, "", map[string]string{"one.txt": "one"},
			Result{Getter: "file", Checksum: oneSum, Verified: oneSum, File: "one.txt", Bytes: 3}},
		{"a local directory is copied", "file://" + src + "/tree", "", tree, Result{Getter: "file"}},
		{"a local directory's subdir glob picks one entry", "file://" + src + "/tree//s*", "", map[string]string{"b.txt": "b"},
			Result{Getter: "file", Subdir: "sub"}},
		{"a local zip is extracted", "file://" + src + "/proj.zip", "", projectTree,
			Result{Getter: "file", Checksum: sha256Of(archiveOf(t, "zip", project)), Archive: "zip", Bytes: int64(len(archiveOf(t, "zip", project)))}},
		{"a relative path is read against Pwd", "./tree/sub", src, map[string]string{"b.txt": "b"}, Result{Getter: "file"}},
		{"a forced file:: getter reads a relative path", "file::./one.txt", src, map[string]string{"one.txt": "one"},
			Result{Getter: "file", Checksum: oneSum, File: "one.txt", Bytes: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dst := emptyDst(t)
			res, err := Get(context.Background(), Request{URL: tt.source, Pwd: tt.pwd, Dst: dst})
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if d := diffTree(readTree(t, dst), tt.want); d != "" {
				t.Errorf("destination: %s", d)
			}
			if *res != tt.res {
				t.Errorf("Result = %+v, want %+v", *res, tt.res)
			}
		})
	}
	t.Run("a copied file keeps its permission bits", func(t *testing.T) {
		dst := emptyDst(t)
		if _, err := Get(context.Background(), Request{URL: "file://" + src + "/tree", Dst: dst}); err != nil {
			t.Fatalf("Get: %v", err)
		}
		fi, err := os.Stat(filepath.Join(dst, "sub/b.txt"))
		if err != nil || fi.Mode().Perm() != 0o755 {
			t.Errorf("sub/b.txt mode = %v (%v), want 0755", fi.Mode(), err)
		}
	})
}

func TestGetLocalSourcesRefused(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, filepath.Join(src, "linked"), map[string]string{"a.txt": "a"})
	if err := os.Symlink("/etc/passwd", filepath.Join(src, "linked", "pw")); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, filepath.Join(src, "piped"), map[string]string{"a.txt": "a"})
	if err := mkfifo(filepath.Join(src, "piped", "fifo")); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, filepath.Join(src, "self"), map[string]string{"a.txt": "a", "dst/": ""})
	writeFiles(t, filepath.Join(src, "plain"), map[string]string{"a.txt": "a"})
	tests := []struct {
		name    string
		source  string
		dst     string // "" means a fresh empty directory
		wantErr string
		is      error
	}{
		{"a symlink inside a local directory is refused", "file://" + src + "/linked", "", "pw is a symlink", getter.ErrSymlinkCopy},
		{"a fifo inside a local directory is refused", "file://" + src + "/piped", "", "fifo is a named pipe, not a regular file or directory", nil},
		{"a missing local path is an error", "file://" + src + "/missing", "", "no such file or directory", nil},
		{"a checksum on a local directory is refused", "file://" + src + "/plain?checksum=md5:d41d8cd98f00b204e9800998ecf8427e", "", "a checksum can only be checked on a file", nil},
		{"an archive type on a local directory is refused", "file://" + src + "/plain?archive=zip", "", "archive=zip needs a file", nil},
		{"a filename on a local directory is refused", "file://" + src + "/plain?filename=x", "", "filename=x names a file", nil},
		{"copying a directory into itself is refused", "file://" + src + "/self", filepath.Join(src, "self", "dst"), "which is inside it", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := tt.dst
			if dst == "" {
				dst = emptyDst(t)
			}
			_, err := Get(context.Background(), Request{URL: tt.source, Dst: dst})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Get: error = %v, want one saying %q", err, tt.wantErr)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Get: error %v does not match %v", err, tt.is)
			}
			checkEmpty(t, dst)
		})
	}
}
