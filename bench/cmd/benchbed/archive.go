package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// archiveFile is the size of each file in the generated archive.
const archiveFile = 1 << 20

// writeArchive writes a .tar.gz of at least size compressed bytes to name
// and returns its sha256 in hex. The content is pseudo-random over 16
// symbols, so it compresses to about half, like a source tarball does, and
// is the same on every run.
func writeArchive(name string, size int64) (string, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return "", err
	}
	f, err := os.Create(name + ".tmp")
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	out := &counter{w: io.MultiWriter(f, h)}
	zw, err := gzip.NewWriterLevel(out, gzip.BestSpeed)
	if err != nil {
		return "", err
	}
	tw := tar.NewWriter(zw)
	rng := rand.New(rand.NewChaCha8(seed(1 << 32)))
	buf := make([]byte, archiveFile)
	mtime := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; out.n < size; i++ {
		for j := range buf {
			buf[j] = 'a' + byte(rng.Uint32()&0x0f)
		}
		hdr := &tar.Header{
			Name:    fmt.Sprintf("big/d%02d/f%04d.txt", i/100, i),
			Mode:    0o644,
			Size:    int64(len(buf)),
			ModTime: mtime,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return "", fmt.Errorf("writing %s: %w", name, err)
		}
		if _, err := tw.Write(buf); err != nil {
			return "", fmt.Errorf("writing %s: %w", name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return "", fmt.Errorf("writing %s: %w", name, err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("writing %s: %w", name, err)
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// counter counts the bytes written through it.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
