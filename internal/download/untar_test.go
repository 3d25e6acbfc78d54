package download

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	getter "github.com/hashicorp/go-getter/v2"
)

// stamped is a tar entry with the header fields go-getter carries over to
// disk: mode and times.
type stamped struct {
	name  string
	typ   byte
	mode  int64
	mtime time.Time
	body  string
	link  string
}

// TestUntarWritesWhatGoGetterWrites extracts the same archives with the
// one-pass extraction and with go-getter's own decompressor (which the
// scan used to run in front of) and compares names, contents, modes and
// modification times.
func TestUntarWritesWhatGoGetterWrites(t *testing.T) {
	day := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		name    string
		key     string
		members []stamped
	}{
		{"a plain tree keeps its modes and times", "tar", []stamped{
			{name: "p/", typ: tar.TypeDir, mode: 0o750, mtime: day},
			{name: "p/a", typ: tar.TypeReg, mode: 0o640, mtime: day.Add(time.Hour), body: "a"},
			{name: "p/run", typ: tar.TypeReg, mode: 0o755, mtime: day, body: "#!/bin/sh\n"},
		}},
		{"a file listed before its directory gets the directory's mode afterwards", "tar.gz", []stamped{
			{name: "d/f", typ: tar.TypeReg, mode: 0o644, mtime: day, body: "f"},
			{name: "d/", typ: tar.TypeDir, mode: 0o700, mtime: day.Add(-time.Hour)},
		}},
		{"a read-only directory still receives the files listed after it", "tar.zst", []stamped{
			{name: "ro/", typ: tar.TypeDir, mode: 0o555, mtime: day},
			{name: "ro/f", typ: tar.TypeReg, mode: 0o444, mtime: day, body: "f"},
		}},
		{"a world-writable file and a setgid directory are masked by the umask", "tar.xz", []stamped{
			{name: "g/", typ: tar.TypeDir, mode: 0o2777, mtime: day},
			{name: "g/w", typ: tar.TypeReg, mode: 0o666, mtime: day, body: "w"},
		}},
		{"inner links become empty files with the link's mode", "tar", []stamped{
			{name: "f", typ: tar.TypeReg, mode: 0o644, mtime: day, body: "x"},
			{name: "s", typ: tar.TypeSymlink, mode: 0o777, mtime: day, link: "f"},
			{name: "h", typ: tar.TypeLink, mode: 0o644, mtime: day, link: "f"},
		}},
		{"an entry without a time gets the time of extraction", "tar", []stamped{
			{name: "now", typ: tar.TypeReg, mode: 0o644, body: "n"},
		}},
		{"a later entry of the same name replaces the earlier one", "tgz", []stamped{
			{name: "twice", typ: tar.TypeReg, mode: 0o644, mtime: day, body: "first, longer"},
			{name: "twice", typ: tar.TypeReg, mode: 0o600, mtime: day, body: "second"},
		}},
		{"an archive of directories only is refused by both", "tar", []stamped{
			{name: "d/", typ: tar.TypeDir, mode: 0o755, mtime: day},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := filepath.Join(t.TempDir(), "a."+tt.key)
			if err := os.WriteFile(src, stampedArchive(t, tt.key, tt.members), 0o644); err != nil {
				t.Fatal(err)
			}
			theirs, ours := filepath.Join(t.TempDir(), "theirs"), filepath.Join(t.TempDir(), "ours")
			t.Cleanup(func() { removeAll(theirs); removeAll(ours) })
			start := time.Now().Add(-time.Second)
			errTheirs := getter.LimitedDecompressors(0, 0)[tt.key].Decompress(theirs, src, true, umask)
			errOurs := safeDecompressors(context.Background(), Limits{}, nil)[tt.key].Decompress(ours, src, true, umask)
			if (errTheirs == nil) != (errOurs == nil) {
				t.Fatalf("go-getter: %v, one pass: %v: want both to fail or both to succeed", errTheirs, errOurs)
			}
			if errOurs != nil {
				return
			}
			want, got := describeTree(t, theirs, start), describeTree(t, ours, start)
			if d := diffTree(got, want); d != "" {
				t.Errorf("one pass differs from go-getter: %s", d)
			}
		})
	}
}

func stampedArchive(t *testing.T, key string, members []stamped) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		h := &tar.Header{Name: m.name, Typeflag: m.typ, Mode: m.mode, ModTime: m.mtime, Linkname: m.link, Size: int64(len(m.body))}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(m.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	codec := map[string]string{"tar": "", "tar.gz": "gz", "tgz": "gz", "tar.xz": "xz", "tar.zst": "zst"}[key]
	if codec == "" {
		return buf.Bytes()
	}
	return compress(t, codec, buf.Bytes())
}

// describeTree is readTree with each entry's mode and modification time
// added; a time at or after start reads "now", since the two extractions
// run at slightly different moments.
func describeTree(t *testing.T, dir string, start time.Time) map[string]string {
	t.Helper()
	out := map[string]string{}
	for rel, body := range readTree(t, dir) {
		fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		when := fi.ModTime().UTC().Format(time.RFC3339)
		if !fi.ModTime().Before(start) {
			when = "now"
		}
		out[rel] = fmt.Sprintf("%q %v %s", body, fi.Mode()&(fs.ModeType|fs.ModePerm|fs.ModeSetgid|fs.ModeSetuid|fs.ModeSticky), when)
	}
	return out
}

// TestGetLeavesDstEmptyWhenALateEntryIsRefused covers the one pass
// refusing an entry after it has already written others.
func TestGetLeavesDstEmptyWhenALateEntryIsRefused(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		last    member
		lim     Limits
		wantErr error
	}{
		{"a .. entry after twenty written files leaves Dst empty", "tar.gz", file("../evil", "x"), Limits{}, ErrUnsafeArchive},
		{"a fifo after twenty written files leaves Dst empty", "tar", member{name: "pipe", typ: tar.TypeFifo}, Limits{}, ErrUnsafeArchive},
		{"a twenty-first entry over MaxFiles leaves Dst empty", "tar.zst", file("one-more", "x"), Limits{MaxFiles: 20}, ErrLimit},
		{"a last file past MaxExtractedBytes leaves Dst empty", "tar.xz", file("big", string(make([]byte, 4096))), Limits{MaxExtractedBytes: 1024}, ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			members := append(entries(20), tt.last)
			srv := newServer(t, map[string]served{"/a." + tt.key: {body: archiveOf(t, tt.key, members)}})
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: srv.URL + "/a." + tt.key, Dst: dst, HTTPClient: srv.Client(), Limits: tt.lim})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get: error = %v, want %v", err, tt.wantErr)
			}
			checkEmpty(t, dst)
		})
	}
}
