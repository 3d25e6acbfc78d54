package download

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// TestOldRegularFileType: an old archive marks a regular file with type
// '\x00' (tar.TypeRegA) rather than '0'. archive/tar's Reader reports it
// as tar.TypeReg, or as tar.TypeDir for a name ending in "/", so tarEntry
// needs no case of its own for it: such an entry is a file, or a directory,
// like its modern spelling.
func TestOldRegularFileType(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	members := []struct {
		name, body string
		want       entryKind
	}{
		{"old/file.txt", "hello\n", fileEntry},
		{"old/dir/", "", dirEntry},
	}
	for _, m := range members {
		// tar.Writer refuses a trailing slash on a regular file: the
		// name is written with "_" there and patched below.
		name := strings.TrimSuffix(m.name, "/")
		if name != m.name {
			name += "_"
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(m.body)), Typeflag: tar.TypeReg, Format: tar.FormatUSTAR}); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, m.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	// Each member is one 512-byte header, then its body padded to 512.
	for off, i := 0, 0; i < len(members); i++ {
		raw[off+len(members[i].name)-1] = members[i].name[len(members[i].name)-1]
		setOldType(raw[off : off+512])
		off += 512 + (len(members[i].body)+511)/512*512
	}

	tr := tar.NewReader(bytes.NewReader(raw))
	for _, m := range members {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("reading %s: %v", m.name, err)
		}
		if h.Typeflag == 0 {
			t.Errorf("%s: archive/tar reported type '\\x00'; tarEntry must count it as a file again", m.name)
		}
		if e := tarEntry(h); e.kind != m.want {
			t.Errorf("%s with type '\\x00': kind %v, want %v", m.name, e.kind, m.want)
		}
	}
}

// setOldType sets a USTAR header's type flag to '\x00' and fixes its
// checksum.
func setOldType(h []byte) {
	h[156] = 0
	copy(h[148:156], "        ")
	sum := 0
	for _, b := range h {
		sum += int(b)
	}
	copy(h[148:156], fmt.Sprintf("%06o\x00 ", sum))
}
