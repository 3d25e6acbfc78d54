package download

import (
	"archive/tar"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/trace"
)

func TestGetRefusesHostileArchives(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		members []member
		wantErr string
	}{
		{"a tar entry that climbs out with .. is refused", "tar", []member{file("../evil", "x")}, "'..' component"},
		{"a tar entry with an absolute path is refused", "tar.gz", []member{file("/tmp/fetch-evil", "x")}, "absolute path"},
		{"a tar entry with a Windows drive path is refused", "tar", []member{file("C:/evil", "x")}, "absolute path"},
		{"a tar entry rooted with a backslash is refused", "tar", []member{file(`\evil`, "x")}, "absolute path"},
		{"a tar symlink to /etc and a file written through it are refused", "tar.gz", []member{symlink("x", "/etc"), file("x/passwd", "root::0:0")}, `symlink to "/etc" points outside`},
		{"a tar symlink that climbs out relatively is refused", "tar", []member{dir("a/"), symlink("a/b", "../../outside")}, `symlink to "../../outside" points outside`},
		{"a tar hard link to /etc/passwd is refused", "tar.xz", []member{{name: "pw", typ: tar.TypeLink, link: "/etc/passwd"}}, `hard link to "/etc/passwd" points outside`},
		{"a tar hard link that climbs out is refused", "tar", []member{{name: "a/pw", typ: tar.TypeLink, link: "../../pw"}}, "hard link"},
		{"a tar entry written through an inner symlink is refused", "tar", []member{dir("sub/"), symlink("l", "sub"), file("l/f", "x")}, `goes through the link entry "l"`},
		{"a tar fifo is refused", "tar", []member{{name: "pipe", typ: tar.TypeFifo}}, "fifo entries are not allowed"},
		{"a tar character device is refused", "tar.zst", []member{{name: "null", typ: tar.TypeChar}}, "character device entries are not allowed"},
		{"a tar block device is refused", "tar", []member{{name: "sda", typ: tar.TypeBlock}}, "block device entries are not allowed"},
		{"a setuid file is refused", "tar.gz", []member{{name: "su", body: "x", typ: tar.TypeReg, mode: 0o4755}}, "setuid bit set"},
		{"a setgid file is refused", "tar", []member{{name: "sg", body: "x", typ: tar.TypeReg, mode: 0o2755}}, "setgid bit set on a non-directory"},
		{"a zip entry that climbs out with .. is refused", "zip", []member{file("../evil", "x")}, "'..' component"},
		{"a zip entry with an absolute path is refused", "zip", []member{file("/evil", "x")}, "absolute path"},
		{"a zip symlink to /etc/passwd is refused", "zip", []member{symlink("pw", "/etc/passwd")}, `symlink to "/etc/passwd" points outside`},
		{"a zip fifo is refused", "zip", []member{{name: "pipe", typ: tar.TypeFifo}}, "entries are not allowed"},
		{"a zip setuid file is refused", "zip", []member{{name: "su", body: "x", typ: tar.TypeReg, mode: 0o4755}}, "setuid bit set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, map[string]served{"/evil." + tt.key: {body: archiveOf(t, tt.key, tt.members)}})
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: srv.URL + "/evil." + tt.key, Dst: dst, HTTPClient: srv.Client()})
			if !errors.Is(err, ErrUnsafeArchive) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Get: error = %v, want ErrUnsafeArchive saying %q", err, tt.wantErr)
			}
			checkEmpty(t, dst)
			if ents, _ := os.ReadDir(filepath.Dir(dst)); len(ents) != 1 {
				t.Errorf("something was written beside the destination: %v", ents)
			}
		})
	}
}

func TestGetAcceptsHarmlessArchiveOddities(t *testing.T) {
	tests := []struct {
		name     string
		key      string
		members  []member
		want     map[string]string
		wantNote string
	}{
		{"a ./ root entry is extracted in place", "tar", []member{dir("./"), file("./a", "x")}, map[string]string{"a": "x"}, ""},
		{"a setgid directory is allowed", "tar", []member{{name: "shared/", typ: tar.TypeDir, mode: 0o2775}, file("shared/f", "x")},
			map[string]string{"shared/": "", "shared/f": "x"}, ""},
		{"an inner tar symlink becomes an empty file, and a note says so", "tar.gz", []member{dir("sub/"), file("sub/f", "x"), symlink("l", "sub/f")},
			map[string]string{"sub/": "", "sub/f": "x", "l": ""}, "1 link entries (first: l -> sub/f) are written as regular files"},
		{"an inner tar hard link becomes an empty file", "tar", []member{file("f", "x"), {name: "h", typ: tar.TypeLink, link: "f"}},
			map[string]string{"f": "x", "h": ""}, "first: h -> f"},
		{"an inner zip symlink becomes a file holding its target", "zip", []member{dir("sub/"), file("sub/f", "x"), symlink("l", "sub/f")},
			map[string]string{"sub/": "", "sub/f": "x", "l": "sub/f"}, "first: l -> sub/f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, map[string]served{"/a." + tt.key: {body: archiveOf(t, tt.key, tt.members)}})
			dst := emptyDst(t)
			var notes []string
			tr := func(e trace.Event) {
				if e.Kind == trace.Note {
					notes = append(notes, e.Message)
				}
			}
			if _, err := Get(context.Background(), Request{URL: srv.URL + "/a." + tt.key, Dst: dst, HTTPClient: srv.Client(), Trace: tr}); err != nil {
				t.Fatalf("Get: %v", err)
			}
			if d := diffTree(readTree(t, dst), tt.want); d != "" {
				t.Errorf("destination: %s", d)
			}
			if tt.wantNote != "" && !strings.Contains(strings.Join(notes, "\n"), tt.wantNote) {
				t.Errorf("trace notes %q do not say %q", notes, tt.wantNote)
			}
		})
	}
}
