package modproxy

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/gofetch/fetch/internal/download"
)

// TestFetchRefusesVCSMetadataAndBookkeeping: golang.org/x/mod/zip accepts
// any file name starting with a dot, so a module proxy (which a go-import
// "mod" entry names) could unpack .git/config (core.fsmonitor, hooks) or a
// nested .hg/hgrc into the tree, making the module a checkout whose
// configuration git or hg runs as soon as someone, or a shell prompt, uses
// them there; or a .fetch-record-X beside a directory X, which fetch would
// take for its record of a download or module placed at X. Such a zip is
// refused before anything is unpacked, as a download is.
func TestFetchRefusesVCSMetadataAndBookkeeping(t *testing.T) {
	const path = "example.com/m"
	rows := []struct {
		file string
		want error
	}{
		{".git/config", download.ErrVCSMetadata},
		{"sub/.hg/hgrc", download.ErrVCSMetadata},
		{"a/.svn/wc.db", download.ErrVCSMetadata},
		{"GIT~1/config", download.ErrVCSMetadata},
		{".fetch-record-x", download.ErrBookkeeping},
		{"x/.FETCH-LOCK-y", download.ErrBookkeeping},
	}
	for _, row := range rows {
		t.Run(row.file, func(t *testing.T) {
			t.Parallel()
			zip := rawZip(t, path+"@v1.0.0/go.mod", "module "+path+"\n", path+"@v1.0.0/"+row.file, "[core]\n\tfsmonitor = touch pwned\n")
			p := newProxy(t, map[string]reply{
				"/example.com/m/@v/v1.0.0.info": {body: infoJSON(t, "v1.0.0")},
				"/example.com/m/@v/v1.0.0.zip":  {body: zip},
			})
			f, err := newFetcher(p.Client(), nil, p.URL, path)
			if err != nil {
				t.Fatal(err)
			}
			f.maxZip = 1 << 20
			dst := filepath.Join(t.TempDir(), "m")
			_, err = f.fetch(context.Background(), "v1.0.0", dst)
			if !errors.Is(err, row.want) {
				t.Fatalf("fetch: %v, want an error matching %v", err, row.want)
			}
			if _, serr := os.Stat(dst); !errors.Is(serr, fs.ErrNotExist) {
				t.Errorf("the destination exists after the refusal (%v)", serr)
			}
		})
	}
}
