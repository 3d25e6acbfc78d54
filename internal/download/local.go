package download

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	getter "github.com/hashicorp/go-getter/v2"
)

// localGetter is go-getter's FileGetter made to copy. go-getter symlinks
// a local directory into the destination (and refuses a destination that
// already exists), which would leave the tree pointing at the user's own
// files; and its copy of a directory through a subdir refuses the symlink
// it made itself when symlinks are disabled. Its files are copied
// (Request.Copy, which wired sets).
type localGetter struct {
	getter.FileGetter
	lim   Limits
	umask fs.FileMode
}

// localPath is the path go-getter's FileGetter reads for u.
func localPath(u *url.URL) string {
	if u.RawPath != "" {
		return u.RawPath
	}
	return u.Path
}

// GetFile copies one file, after checking its size against MaxBytes: a
// local copy reports no progress, so the tracker cannot stop it.
func (g *localGetter) GetFile(ctx context.Context, req *getter.Request) error {
	p := localPath(req.URL())
	fi, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("source path error: %w", err)
	}
	if max := g.lim.MaxBytes; max > 0 && fi.Size() > max {
		return limitError(LimitDownload, max, "%s is %d bytes, more than the %d bytes allowed", p, fi.Size(), max)
	}
	return g.FileGetter.GetFile(ctx, req)
}

// Get copies a directory tree into dst. Only directories and regular
// files are copied: a symlink inside the tree is refused with
// getter.ErrSymlinkCopy, as go-getter does with symlinks disabled, and so
// is any other special file. The tree counts against MaxFiles and
// MaxExtractedBytes like an archive.
func (g *localGetter) Get(ctx context.Context, req *getter.Request) error {
	dst := req.Dst
	root, err := filepath.EvalSymlinks(localPath(req.URL()))
	if err != nil {
		return fmt.Errorf("source path error: %w", err)
	}
	if err := checkNotInside(dst, root); err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755&^g.umask); err != nil {
		return err
	}
	c := &treeCopy{ctx: ctx, dst: dst, root: root, lim: g.lim, umask: g.umask}
	return filepath.WalkDir(root, c.visit)
}

// checkNotInside refuses to copy a directory into itself.
func checkNotInside(dst, root string) error {
	abs, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	parent := filepath.Dir(abs)
	if p, err := filepath.EvalSymlinks(parent); err == nil {
		abs = filepath.Join(p, filepath.Base(abs))
	}
	rel, err := filepath.Rel(root, abs)
	if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("cannot copy %s into %s, which is inside it", root, dst)
	}
	return nil
}

// treeCopy is the state of one directory copy.
type treeCopy struct {
	ctx       context.Context
	dst, root string
	lim       Limits
	umask     fs.FileMode
	files     int
	bytes     int64
}

func (c *treeCopy) visit(p string, d fs.DirEntry, err error) error {
	if err != nil {
		return err
	}
	if err := c.ctx.Err(); err != nil {
		return err
	}
	if p == c.root {
		return nil
	}
	rel, err := filepath.Rel(c.root, p)
	if err != nil {
		return err
	}
	c.files++
	if max := c.lim.MaxFiles; max > 0 && c.files > max {
		return limitError(LimitFiles, int64(max), "%s has more than %d entries", c.root, max)
	}
	if m, ok := vcsMarker(d.Name()); ok {
		return &metadataError{what: "local directory entry", name: filepath.ToSlash(rel), marker: m,
			whole: "the copy (fetch a checkout through its version control system, not as files)"}
	}
	target := filepath.Join(c.dst, rel)
	switch t := d.Type(); {
	case t&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symlink: %w", p, getter.ErrSymlinkCopy)
	case d.IsDir():
		return os.Mkdir(target, 0o755&^c.umask)
	case !t.IsRegular():
		return fmt.Errorf("%s is a %s, not a regular file or directory", p, typeName(t))
	}
	return c.copyFile(target, p)
}

func (c *treeCopy) copyFile(target, p string) error {
	in, err := os.Open(p)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	c.bytes += fi.Size()
	if max := c.lim.MaxExtractedBytes; max > 0 && c.bytes > max {
		return limitError(LimitExtracted, max, "%s holds more than %d bytes", c.root, max)
	}
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm()&^c.umask)
	if err != nil {
		return err
	}
	if _, err := getter.Copy(c.ctx, out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s: %w", p, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	// OpenFile's mode passes through the process umask; ours is the rule.
	return os.Chmod(target, fi.Mode().Perm()&^c.umask)
}

// typeName names a special file's type.
func typeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file (" + m.Type().String() + ")"
}
