package download

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// untarFile extracts a tar archive of format f into the directory dst in
// one pass: each header goes through the scan before its entry is
// written, so the archive is decompressed once, where a scan followed by
// go-getter's extraction decompressed it twice. It writes what go-getter
// 1.8.10 would: links become empty regular files, modes are masked to
// 0o777 (directories keep setgid, which the scan allows), times come from
// the headers. dst is the session's private work directory, so an entry
// refused midway leaves only that directory to remove.
func untarFile(src, dst string, f format, s *scan, umask fs.FileMode, what string) error {
	fh, size, err := openChecked(src, f)
	if err != nil {
		return err
	}
	defer fh.Close()
	in := &countingReader{r: fh}
	var r io.Reader = in
	if f.decompress != nil {
		dr, err := f.decompress(in)
		if err != nil {
			return fmt.Errorf("decompressing: %w", err)
		}
		defer dr.Close()
		r = dr
	}
	if err := os.MkdirAll(dst, 0o755&^umask); err != nil {
		return err
	}
	// The scan counts entry sizes against MaxExtractedBytes as headers
	// arrive; the expansion checks the ratio as bytes are written.
	e := &expansion{in: in, size: size, what: what, ratio: int64(s.lim.MaxExpansionRatio)}
	return untar(tar.NewReader(ctxReader{ctx: s.ctx, r: r}), src, dst, s, e, umask)
}

// openChecked opens an archive and runs its format's check over it, then
// rewinds it. It returns the archive's size too.
func openChecked(src string, f format) (*os.File, int64, error) {
	fh, err := os.Open(src)
	if err != nil {
		return nil, 0, err
	}
	fi, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, 0, err
	}
	if f.check != nil {
		if err := f.check(fh); err != nil {
			fh.Close()
			return nil, 0, err
		}
		if _, err := fh.Seek(0, io.SeekStart); err != nil {
			fh.Close()
			return nil, 0, err
		}
	}
	return fh, fi.Size(), nil
}

// untar writes the entries of tr under dst. Directory modes and times are
// set at the end, since a read-only directory would refuse the entries
// that follow it and writing into one changes its mtime.
func untar(tr *tar.Reader, src, dst string, s *scan, ex *expansion, umask fs.FileMode) error {
	now := time.Now()
	var dirs []*tar.Header
	files := 0
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading tar: %w", err)
		}
		e := tarEntry(hdr)
		if err := s.add(e); err != nil {
			return err
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		p := filepath.Join(dst, filepath.FromSlash(hdr.Name))
		if e.kind == dirEntry {
			if err := os.MkdirAll(p, 0o755&^umask); err != nil {
				return err
			}
			dirs = append(dirs, hdr)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755&^umask); err != nil {
			return err
		}
		// Links and regular files alike: a link entry has no content,
		// so it becomes an empty file, as go-getter writes it.
		if err := writeEntry(p, tr, ex, hdr.FileInfo().Mode()&0o777&^umask); err != nil {
			return err
		}
		if err := os.Chtimes(p, headerTime(hdr.AccessTime, now), headerTime(hdr.ModTime, now)); err != nil {
			return err
		}
		files++
	}
	if files == 0 {
		// go-getter refuses an archive without files, and so do we.
		return fmt.Errorf("empty archive: %s holds no files", filepath.Base(src))
	}
	for _, hdr := range dirs {
		p := filepath.Join(dst, filepath.FromSlash(hdr.Name))
		if err := os.Chmod(p, hdr.FileInfo().Mode()&^umask); err != nil {
			return err
		}
		if err := os.Chtimes(p, headerTime(hdr.AccessTime, now), headerTime(hdr.ModTime, now)); err != nil {
			return err
		}
	}
	return nil
}

// writeEntry writes r to a new file p with mode perm, through e's limits. The explicit chmod
// is because the process umask, which may differ from ours, applies to
// the open.
func writeEntry(p string, r io.Reader, e *expansion, perm fs.FileMode) error {
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(guardWriter{w: out, e: e}, r)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Chmod(p, perm)
}

// headerTime is t when the archive gave one, else now.
func headerTime(t, now time.Time) time.Time {
	if t.Unix() > 0 {
		return t
	}
	return now
}
