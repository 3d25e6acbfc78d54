package download

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
)

func TestVCSMarker(t *testing.T) {
	tests := []struct {
		elem, want string
	}{
		{".git", ".git"},
		{".GIT", ".git"},
		{".Git", ".git"},
		{".g\u200cit", ".git"},              // HFS+ ignores zero-width non-joiner
		{"\ufeff.git", ".git"},              // and the byte-order mark
		{".git.", ".git"},                   // Windows drops trailing dots
		{".git . ", ".git"},                 // and spaces
		{".git::$INDEX_ALLOCATION", ".git"}, // an NTFS stream of .git
		{"GIT~1", ".git"},                   // 8.3 short name
		{"git~2", ".git"},
		{".hg", ".hg"},
		{"HG~1", ".hg"},
		{".svn", ".svn"},
		{".\u017fvn", ".svn"}, // long s folds to s
		{".bzr", ".bzr"},
		{"_FOSSIL_", "_FOSSIL_"},
		{"_fossil_", "_FOSSIL_"},
		{".fslckout", ".fslckout"},
		{"FSLCKO~1", ".fslckout"},
		{".gitignore", ""},
		{".github", ""},
		{"git", ""},
		{".gi", ""},
		{"git~", ""},
		{"git~0", ""},
		{"git~1x", ""},
		{".hgignore", ""},
		{"svn", ""},
		{"_FOSSIL", ""},
	}
	for _, tt := range tests {
		got, _ := vcsMarker(tt.elem)
		if got != tt.want {
			t.Errorf("vcsMarker(%q) = %q, want %q", tt.elem, got, tt.want)
		}
	}
}

// TestMarkersComeFromTheTable: the names a download may not create are
// exactly the markers of vcsinfo's table, the one list internal/tree also
// reads to decide that a directory is a checkout; each is refused as an
// archive entry name.
func TestMarkersComeFromTheTable(t *testing.T) {
	var want []string
	for _, m := range vcsinfo.Markers() {
		want = append(want, m.Name)
	}
	if !slices.Equal(vcsMarkers, want) {
		t.Errorf("vcsMarkers = %q, want vcsinfo's markers %q", vcsMarkers, want)
	}
	for _, name := range want {
		if err := checkEntryName("a/" + name); !errors.Is(err, ErrVCSMetadata) {
			t.Errorf("checkEntryName(a/%s) = %v, want ErrVCSMetadata", name, err)
		}
	}
}

// TestGetRefusesVCSMetadata: no archive format, single file or local copy
// writes a version control metadata directory or file anywhere, in any
// spelling a file system may fold into one; the whole download is refused
// and nothing is left.
func TestGetRefusesVCSMetadata(t *testing.T) {
	variants := []member{
		file("a/b/.git/config", "[core]\n\tfsmonitor = touch /tmp/pwned\n"),
		file("a/.GIT/config", "x"),
		file("a/.g\u200cit/config", "x"),
		file("a/.git./config", "x"),
		file("a/GIT~1/config", "x"),
		file("a/.git::$INDEX_ALLOCATION/config", "x"),
		file(`a\.git\config`, "x"),
		file("a/.hg/hgrc", "[hooks]\n"),
		file("a/.svn/wc.db", "x"),
		file("a/.bzr/branch/branch.conf", "x"),
		file("a/_FOSSIL_", "x"),
		file("a/.fslckout", "x"),
		file(".git", "gitdir: /tmp/elsewhere\n"),
		dir("a/.Hg/"),
		symlink("a/.git", "b"),
	}
	keys := archiveTypes()
	type tc struct {
		name, key string
		members   []member
	}
	var cases []tc
	for _, key := range keys {
		if formats[key].layout == streamLayout {
			continue
		}
		for _, v := range variants {
			members := []member{dir("a/"), file("a/README", "hi"), v}
			cases = append(cases, tc{key + " " + strconv.Quote(v.name), key, members})
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			body := archiveOf(t, c.key, c.members)
			srv := newServer(t, map[string]served{"/evil." + c.key: {body: body}})
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: srv.URL + "/evil." + c.key, Dst: dst, HTTPClient: srv.Client()})
			if !errors.Is(err, ErrVCSMetadata) || !errors.Is(err, ErrUnsafeArchive) {
				t.Fatalf("Get: error = %v, want ErrVCSMetadata and ErrUnsafeArchive", err)
			}
			checkEmpty(t, dst)
			if ents, _ := os.ReadDir(filepath.Dir(dst)); len(ents) != 1 {
				t.Errorf("something was written beside the destination: %v", ents)
			}
		})
	}
}

func TestVCSMetadataErrorMessage(t *testing.T) {
	body := archiveOf(t, "tar.gz", []member{file("a/b/.git/config", "x")})
	srv := newServer(t, map[string]served{"/evil.tar.gz": {body: body}})
	dst := emptyDst(t)
	_, err := Get(context.Background(), Request{URL: srv.URL + "/evil.tar.gz", Dst: dst, HTTPClient: srv.Client()})
	const want = "archive entry a/b/.git/config would create version control metadata (.git), which could make fetch or git run its configuration later; refusing the archive"
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("Get: error = %v, want one ending %q", err, want)
	}
	if strings.Contains(err.Error(), dst) {
		t.Errorf("the error names the temporary destination: %v", err)
	}
}

func TestGetRefusesVCSMetadataFileNames(t *testing.T) {
	local := t.TempDir()
	writeFiles(t, filepath.Join(local, "checkout"), map[string]string{"a.txt": "a", "sub/": "", "sub/.hg/": "", "sub/.hg/hgrc": "[hooks]\n"})
	writeFiles(t, filepath.Join(local, "gitfile"), map[string]string{"a.txt": "a", ".Git": "gitdir: /elsewhere\n"})
	writeFiles(t, local, map[string]string{"plain.txt": "x"})
	srv := newServer(t, map[string]served{
		"/.git":      {body: []byte("gitdir: /elsewhere\n")},
		"/.git.gz":   {body: compress(t, "gz", []byte("gitdir: /elsewhere\n"))},
		"/_fossil_":  {body: []byte("x")},
		"/plain":     {body: []byte("x")},
		"/plain.xz":  {body: compress(t, "xz", []byte("x"))},
		"/plain.zst": {body: compress(t, "zst", []byte("x"))},
	})
	tests := []struct{ name, url string }{
		{"a download named .git by its URL", srv.URL + "/.git"},
		{"a single-stream file that decompresses to .git", srv.URL + "/.git.gz"},
		{"a download named _FOSSIL_ in lower case", srv.URL + "/_fossil_"},
		{"filename=.git", srv.URL + "/plain?filename=.git"},
		{"filename=.HG", srv.URL + "/plain?filename=.HG"},
		{"filename=GIT~1 for a decompressed xz file", srv.URL + "/plain.xz?filename=GIT~1"},
		{"filename=.svn for a decompressed zst file", srv.URL + "/plain.zst?filename=.svn"},
		{"a local directory holding an hg checkout", "file://" + local + "/checkout"},
		{"a local directory holding a .Git file", "file://" + local + "/gitfile"},
		{"a local file copied as .bzr", "file://" + local + "/plain.txt?filename=.bzr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: tt.url, Dst: dst, HTTPClient: srv.Client()})
			if !errors.Is(err, ErrVCSMetadata) {
				t.Fatalf("Get: error = %v, want ErrVCSMetadata", err)
			}
			checkEmpty(t, dst)
		})
	}
}

// TestCheckTreeRefusesMetadataWhateverWroteIt covers the last check before
// placement, which sees what any getter wrote.
func TestCheckTreeRefusesMetadataWhateverWroteIt(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"a/": "", "a/b/": "", "a/b/.SVN/": "", "a/b/.SVN/entries": "x"})
	err := checkTree(root)
	if !errors.Is(err, ErrVCSMetadata) || !strings.Contains(err.Error(), "a/b/.SVN") {
		t.Fatalf("checkTree: %v, want ErrVCSMetadata naming a/b/.SVN", err)
	}
	clean := t.TempDir()
	writeFiles(t, clean, map[string]string{"a/": "", "a/.gitignore": "x", "a/.github/": ""})
	if err := checkTree(clean); err != nil {
		t.Fatalf("checkTree of a clean tree: %v", err)
	}
}
