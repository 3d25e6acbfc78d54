package download

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// ErrUnsafeArchive is wrapped by the error for an archive entry that could
// write outside the destination or create something other than plain
// files and directories.
var ErrUnsafeArchive = errors.New("unsafe archive entry")

// maxZipLinkTarget bounds how much of a zip symlink entry (whose content is
// its target) the scan reads.
const maxZipLinkTarget = 4096

// entryKind classifies an archive entry.
type entryKind int

const (
	fileEntry entryKind = iota
	dirEntry
	symlinkEntry
	hardlinkEntry
	specialEntry
)

// entry is what the scan needs to know about one archive member.
type entry struct {
	name string
	kind entryKind
	link string      // link target (symlinkEntry, hardlinkEntry)
	mode fs.FileMode // permission and setuid/setgid/sticky bits
	size int64       // uncompressed size of a file
	what string      // the entry's type as the archive names it, for errors
}

// scan counts entries and bytes against the limits and refuses unsafe
// entries. go-getter 1.8.10 already refuses ".." names and masks modes,
// but writes absolute names under the destination, turns links and
// devices into regular files, and counts tar entries one too many.
type scan struct {
	ctx   context.Context // checked per entry: a scan can read a lot
	lim   Limits
	files int
	bytes int64
	links map[string]string // cleaned link entry name -> its target
}

func newScan(ctx context.Context, lim Limits) *scan {
	return &scan{ctx: ctx, lim: lim, links: map[string]string{}}
}

// add checks one entry.
func (s *scan) add(e entry) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	s.files++
	if s.lim.MaxFiles > 0 && s.files > s.lim.MaxFiles {
		return limitError(LimitFiles, int64(s.lim.MaxFiles), "archive has more than %d entries", s.lim.MaxFiles)
	}
	reportUnpacked(s.ctx, s.files)
	if err := checkEntryName(e.name); err != nil {
		return err
	}
	if err := s.check(e); err != nil {
		return fmt.Errorf("archive entry %q: %w: %w", e.name, err, ErrUnsafeArchive)
	}
	if e.kind == fileEntry {
		s.bytes += e.size
		if e.size < 0 || (s.lim.MaxExtractedBytes > 0 && s.bytes > s.lim.MaxExtractedBytes) {
			return limitError(LimitExtracted, s.lim.MaxExtractedBytes, "archive expands to more than %d bytes", s.lim.MaxExtractedBytes)
		}
	}
	return nil
}

func (s *scan) check(e entry) error {
	name := strings.ReplaceAll(e.name, `\`, "/")
	switch {
	case name == "":
		return errors.New("empty name")
	case isAbs(e.name):
		return errors.New("absolute path")
	case containsDotDot(e.name):
		return errors.New("path has a '..' component")
	case e.kind == specialEntry:
		return fmt.Errorf("%s entries are not allowed, only files, directories and links", e.what)
	case e.mode&fs.ModeSetuid != 0:
		return errors.New("setuid bit set")
	case e.mode&fs.ModeSetgid != 0 && e.kind != dirEntry:
		return errors.New("setgid bit set on a non-directory")
	}
	clean := path.Clean(name)
	for dir := path.Dir(clean); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if target, ok := s.links[dir]; ok {
			return fmt.Errorf("path goes through the link entry %q -> %q", dir, target)
		}
	}
	switch e.kind {
	case symlinkEntry:
		if escapes(path.Join(path.Dir(clean), e.link), e.link) {
			return fmt.Errorf("symlink to %q points outside the archive", e.link)
		}
	case hardlinkEntry:
		if escapes(path.Clean(e.link), e.link) {
			return fmt.Errorf("hard link to %q points outside the archive", e.link)
		}
	default:
		return nil
	}
	s.links[clean] = e.link
	return nil
}

// isAbs reports whether an entry name is absolute on any platform.
func isAbs(name string) bool {
	if strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) {
		return true
	}
	return len(name) >= 2 && name[1] == ':' && ('a' <= name[0]|0x20 && name[0]|0x20 <= 'z')
}

// escapes reports whether a link target, resolved lexically against the
// archive root (joined), leaves the root.
func escapes(joined, target string) bool {
	if target == "" || isAbs(target) {
		return true
	}
	joined = path.Clean(strings.ReplaceAll(joined, `\`, "/"))
	return joined == ".." || strings.HasPrefix(joined, "../")
}

func tarEntry(h *tar.Header) entry {
	e := entry{name: h.Name, link: h.Linkname, mode: h.FileInfo().Mode() &^ fs.ModeType, size: h.Size}
	switch h.Typeflag {
	// archive/tar reports an old archive's type '\x00' as TypeReg (or TypeDir
	// for a name ending in /), so it needs no case here.
	case tar.TypeReg, tar.TypeCont, tar.TypeGNUSparse:
		e.kind = fileEntry
	case tar.TypeDir:
		e.kind = dirEntry
	case tar.TypeSymlink:
		e.kind = symlinkEntry
	case tar.TypeLink:
		e.kind = hardlinkEntry
	case tar.TypeXGlobalHeader:
		// Metadata for the entries that follow: go-getter skips it.
		e.kind, e.name = dirEntry, "."
	default:
		e.kind, e.what = specialEntry, tarTypeName(h.Typeflag)
	}
	return e
}

func tarTypeName(t byte) string {
	switch t {
	case tar.TypeChar:
		return "character device"
	case tar.TypeBlock:
		return "block device"
	case tar.TypeFifo:
		return "fifo"
	}
	return fmt.Sprintf("tar type %q", t)
}

// scanZip checks every member of a zip file.
func scanZip(file string, s *scan) error {
	if err := s.countZipRecords(file); err != nil {
		return err
	}
	zr, err := zip.OpenReader(file)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fmt.Errorf("reading zip: %w", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		// go-getter v2's zip decompressor panics on an entry it cannot
		// open (it closes the nil reader; v1.6.1 fixed that, GHSA-x24g,
		// and v2 never did): an unknown compression method or a bad local
		// header is refused here, before it runs.
		if err := openZipEntry(f); err != nil {
			return err
		}
		e, err := zipEntry(f)
		if err != nil {
			return err
		}
		if err := s.add(e); err != nil {
			return err
		}
	}
	return nil
}

// openZipEntry checks that f can be opened, which reads only its local
// header.
func openZipEntry(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("zip entry %q cannot be read (compression method %d): %w", f.Name, f.Method, err)
	}
	return rc.Close()
}

func zipEntry(f *zip.File) (entry, error) {
	m := f.Mode()
	e := entry{name: f.Name, mode: m &^ fs.ModeType, size: int64(f.UncompressedSize64)}
	if f.UncompressedSize64 > 1<<62 {
		e.size = -1 // add refuses it
	}
	switch {
	case m.IsDir() || strings.HasSuffix(f.Name, "/"):
		e.kind = dirEntry
	case m&fs.ModeSymlink != 0:
		e.kind = symlinkEntry
		target, err := readZipLink(f)
		if err != nil {
			return entry{}, err
		}
		e.link = target
	case m.IsRegular():
		e.kind = fileEntry
	default:
		e.kind, e.what = specialEntry, typeName(m)
	}
	return e, nil
}

// readZipLink reads a zip symlink's target, which is its content.
func readZipLink(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", fmt.Errorf("reading zip symlink %q: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxZipLinkTarget+1))
	if err != nil {
		return "", fmt.Errorf("reading zip symlink %q: %w", f.Name, err)
	}
	if len(b) > maxZipLinkTarget {
		return "", fmt.Errorf("archive entry %q: symlink target longer than %d bytes: %w", f.Name, maxZipLinkTarget, ErrUnsafeArchive)
	}
	return string(b), nil
}

// zipRecordSig starts every central directory record of a zip.
var zipRecordSig = []byte("PK\x01\x02")

// countZipRecords refuses a zip that could hold more than MaxFiles
// entries before archive/zip reads its directory: archive/zip keeps every
// record it finds in memory (a 1 GiB zip of empty entries holds about 20
// million), reading records until one is malformed, whatever count the
// zip declares. Every record it can read starts with zipRecordSig, so the
// number of times the signature appears anywhere in the file bounds the
// entries; compressed data matches it by chance about once in 4 GiB.
func (s *scan) countZipRecords(file string) error {
	max := s.lim.MaxFiles
	if max <= 0 {
		return nil
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	keep, n := 0, 0 // bytes carried over from the previous block; matches
	for {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		k, rerr := io.ReadFull(f, buf[keep:])
		b := buf[:keep+k]
		n += bytes.Count(b, zipRecordSig)
		if n > max {
			return limitError(LimitFiles, int64(max), "archive has more than %d entries", max)
		}
		if rerr != nil {
			if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
				return nil
			}
			return rerr
		}
		// Carry the last three bytes over, so a signature across two
		// blocks is found, but never one already counted.
		keep = copy(buf, b[len(b)-len(zipRecordSig)+1:])
	}
}

// checkZipRatio refuses a zip whose entries declare more than
// MaxExpansionRatio times its size. archive/zip refuses to read past a
// declared size, so the declared sizes bound what extraction writes, and
// the zip is refused before anything is written.
func (s *scan) checkZipRatio(file, what string) error {
	r := int64(s.lim.MaxExpansionRatio)
	if r <= 0 || s.bytes <= RatioGrace {
		return nil
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	if s.bytes > r*fi.Size() {
		return limitError(LimitRatio, r, "%s declares %d bytes of entries in %d bytes, more than %d times its size, which is how a decompression bomb looks",
			what, s.bytes, fi.Size(), r)
	}
	return nil
}
