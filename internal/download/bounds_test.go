package download

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// declareXZDict rewrites the LZMA2 dictionary size byte of every block
// header of an xz file produced by ulikunitz/xz (one stream, blocks of
// one filter, no optional sizes) to d, and fixes the headers' CRC32.
func declareXZDict(t testing.TB, data []byte, d byte) []byte {
	t.Helper()
	out := bytes.Clone(data)
	pos := 12
	hlen := int(out[pos]+1) * 4
	h := out[pos : pos+hlen]
	if h[1] != 0 || h[2] != 0x21 || h[3] != 1 {
		t.Fatalf("unexpected xz block header % x", h)
	}
	h[4] = d
	binary.LittleEndian.PutUint32(h[hlen-4:], crc32.ChecksumIEEE(h[:hlen-4]))
	return out
}

// allocated runs f and returns the bytes the Go heap allocated meanwhile.
// Tests that call it are not parallel, so nothing else allocates much.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHostileXZDictionaryIsRefusedBeforeItIsAllocated: an xz block may
// declare a dictionary of up to 4 GiB, which the xz reader allocates
// before reading a byte of data. Both the tar.xz and the single-stream xz
// paths refuse it, and the refusal costs no memory to speak of.
func TestHostileXZDictionaryIsRefusedBeforeItIsAllocated(t *testing.T) {
	tarball := compress(t, "xz", makeTar(t, project))
	single := compress(t, "xz", []byte("hello\n"))
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return "file://" + p
	}
	hostile := []struct{ name, url string }{
		{"tar.xz declaring 4 GiB", write("a.tar.xz", declareXZDict(t, tarball, 40))},
		{"txz declaring 1 GiB", write("b.txz", declareXZDict(t, tarball, 36))},
		{"xz declaring 4 GiB", write("c.xz", declareXZDict(t, single, 40))},
		{"xz declaring 96 MiB", write("d.xz", declareXZDict(t, single, 29))},
	}
	for _, h := range hostile {
		dst := emptyDst(t)
		var err error
		n := allocated(func() {
			_, err = Get(context.Background(), Request{URL: h.url, Dst: dst})
		})
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "dictionary") {
			t.Errorf("%s: Get: %v, want ErrLimit about the dictionary", h.name, err)
		}
		if n > 64<<20 {
			t.Errorf("%s: Get allocated %d MiB, want under 64 MiB", h.name, n>>20)
		}
		checkEmpty(t, dst)
	}
	// 64 MiB, the dictionary of xz -9, is fine.
	dst := emptyDst(t)
	if _, err := Get(context.Background(), Request{URL: write("ok.tar.xz", declareXZDict(t, tarball, 28)), Dst: dst}); err != nil {
		t.Fatalf("Get with a 64 MiB dictionary: %v", err)
	}
	if d := diffTree(readTree(t, dst), projectTree); d != "" {
		t.Errorf("destination: %s", d)
	}
}

// TestCheckXZFollowsRealFiles: the structure walk accepts what the xz
// command writes (several blocks, several streams, stream padding, every
// check type) and what the xz reader reads, and refuses what is cut short.
func TestCheckXZFollowsRealFiles(t *testing.T) {
	data := bytes.Repeat([]byte("fetch places go-getter sources under ROOT/src. "), 40_000)
	var files [][]byte
	if bin, err := exec.LookPath("xz"); err == nil {
		for _, args := range [][]string{
			{"-c", "-0", "--check=none"},
			{"-c", "-6", "--check=crc32"},
			{"-c", "--check=crc64", "--block-size=100000"},
			{"-c", "--check=sha256", "--block-size=65536", "-e"},
		} {
			cmd := exec.Command(bin, args...)
			cmd.Stdin = bytes.NewReader(data)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("xz %v: %v", args, err)
			}
			files = append(files, out)
		}
	} else {
		t.Log("xz not installed: checking only files written by ulikunitz/xz")
	}
	one := compress(t, "xz", data)
	files = append(files, one, append(append(bytes.Clone(one), 0, 0, 0, 0), one...))
	for i, f := range files {
		if err := checkXZ(bytes.NewReader(f), xzMaxDict); err != nil {
			t.Errorf("file %d: checkXZ: %v", i, err)
		}
		r, err := xz.NewReader(bytes.NewReader(f))
		if err != nil {
			t.Fatalf("file %d: %v", i, err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			t.Fatalf("file %d does not decompress: %v", i, err)
		}
		if err := checkXZ(bytes.NewReader(f[:len(f)-3]), xzMaxDict); !errors.Is(err, errXZFormat) {
			t.Errorf("file %d cut short: checkXZ: %v, want errXZFormat", i, err)
		}
	}
}

// bomb writes a compressed archive of type key holding n zero bytes,
// without holding them in memory.
func bomb(t testing.TB, key string, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	codec := map[string]string{"tar": "", "tar.gz": "gz", "tar.bz2": "bz2", "tar.xz": "xz", "tar.zst": "zst", "zip": "zip",
		"gz": "gz", "bz2": "bz2", "xz": "xz", "zst": "zst"}[key]
	var cmd *exec.Cmd
	switch codec {
	case "gz":
		w, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression)
	case "xz":
		xw, err := xz.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w = xw
	case "zst":
		zw, err := zstd.NewWriter(&buf, zstd.WithEncoderLevel(zstd.SpeedBestCompression))
		if err != nil {
			t.Fatal(err)
		}
		w = zw
	case "bz2":
		bin, err := exec.LookPath("bzip2")
		if err != nil {
			t.Skip("bzip2 not installed (Debian package bzip2)")
		}
		cmd = exec.Command(bin, "-c")
		cmd.Stdout = &buf
		pw, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		w = pw
	case "zip":
		zw := zip.NewWriter(&buf)
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: "zeros", Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		writeZeros(t, fw, n)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	default:
		w = nopWriteCloser{&buf}
	}
	if strings.HasPrefix(key, "tar") {
		tw := tar.NewWriter(w)
		if err := tw.WriteHeader(&tar.Header{Name: "zeros", Mode: 0o644, Size: n, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		writeZeros(t, tw, n)
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
	} else {
		writeZeros(t, w, n)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if cmd != nil {
		if err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

func writeZeros(t testing.TB, w io.Writer, n int64) {
	t.Helper()
	if _, err := io.CopyN(w, zeroReader{}, n); err != nil {
		t.Fatal(err)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestDecompressionBombsAreRefusedByRatio: 64 MiB of zeros, well under the
// 4 GiB default of MaxExtractedBytes, compress to a few kilobytes in every
// format; each is refused by MaxExpansionRatio once the first RatioGrace
// bytes are out (a zip before anything is written), and nothing is left.
func TestDecompressionBombsAreRefusedByRatio(t *testing.T) {
	const n = 64 << 20
	dir := t.TempDir()
	for _, key := range []string{"tar.gz", "tar.bz2", "tar.xz", "tar.zst", "zip", "gz", "bz2", "xz", "zst"} {
		t.Run(key, func(t *testing.T) {
			p := filepath.Join(dir, "bomb."+key)
			data := bomb(t, key, n)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Parallel()
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: "file://" + p, Dst: dst})
			if !errors.Is(err, ErrExpansionRatio) || !errors.Is(err, ErrLimit) {
				t.Fatalf("Get of %d bytes expanding to %d: %v, want ErrExpansionRatio", len(data), n, err)
			}
			var le *LimitError
			if !errors.As(err, &le) || le.Limit != LimitRatio || le.Max != 200 {
				t.Errorf("Get: %v, want a *LimitError for LimitRatio at 200", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "more than 200 times") || !strings.Contains(msg, "the expansion ratio limit") || strings.Contains(msg, "Limits.") {
				t.Errorf("error does not say the ratio and name its limit in words: %v", err)
			}
			checkEmpty(t, dst)
		})
	}
}

// TestExpansionRatioCanBeRaised: the same bomb passes when the caller
// allows it, and an archive under RatioGrace is never judged by ratio.
func TestExpansionRatioCanBeRaised(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.tar.gz")
	if err := os.WriteFile(big, bomb(t, "tar.gz", 16<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small.gz")
	if err := os.WriteFile(small, bomb(t, "gz", RatioGrace), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		url string
		lim Limits
	}{
		{"file://" + big, Limits{MaxExpansionRatio: 5000}},
		{"file://" + big, Limits{MaxExpansionRatio: -1}},
		{"file://" + small, Limits{}},
	} {
		dst := emptyDst(t)
		if _, err := Get(context.Background(), Request{URL: tt.url, Dst: dst, Limits: tt.lim}); err != nil {
			t.Errorf("Get %s with %+v: %v", filepath.Base(tt.url), tt.lim, err)
		}
	}
}

// TestZipWithManyEntriesIsRefusedBeforeItsDirectoryIsRead: archive/zip
// keeps every directory record in memory, so a zip of many empty entries
// is refused by counting before the directory is read.
func TestZipWithManyEntriesIsRefusedBeforeItsDirectoryIsRead(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range 100_000 {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("%d", i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "many.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	buf = bytes.Buffer{}
	dst := emptyDst(t)
	var err error
	n := allocated(func() {
		_, err = Get(context.Background(), Request{URL: "file://" + p, Dst: dst, Limits: Limits{MaxFiles: 100}})
	})
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "more than 100 entries") {
		t.Fatalf("Get: %v, want ErrLimit for more than 100 entries", err)
	}
	if n > 8<<20 {
		t.Errorf("Get allocated %d MiB refusing the zip, want under 8 MiB", n>>20)
	}
	checkEmpty(t, dst)
}
