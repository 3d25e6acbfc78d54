package tree

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExist is matched (with errors.Is) by the error Stage returns when
// something is already at the destination. It is fs.ErrExist.
var ErrExist = fs.ErrExist

// Stage creates dest by calling fill on an empty temporary directory beside
// it and renaming that directory to dest once fill succeeds, so dest is
// either missing or complete, even if the process is killed. Missing parent
// directories are created (mode 0755).
//
// Stage never replaces anything: if dest exists, before or after waiting
// for its lock, Stage returns an error matching ErrExist and does not call
// fill. If fill fails, panics, or ctx ends, the temporary directory is
// removed, even when fill left read-only files and directories in it.
//
// fill must return when ctx ends. It may remove its directory and create a
// new one at the same path (for tools that insist on creating their
// destination), but the path must be a real directory when fill returns,
// or a regular file: a single download written at the destination itself
// replaces its directory with the file, which is renamed into place the
// same way.
//
// Stage holds dest's lock (see Lock) throughout, and first removes the
// stale temporaries CleanStale would remove from dest's parent; it ignores
// failures to remove them, which the next Stage retries.
//
// Stage treats dest as a place the caller chose, like Where.Out; fetch
// stages a destination in the tree with Placement.Stage.
func Stage(ctx context.Context, dest string, fill func(tmpDir string) error) error {
	if err := checkStageDest(dest); err != nil {
		return err
	}
	p, err := Place(Where{Out: dest}, Create)
	if err != nil {
		return fmt.Errorf("staging %s: %w", dest, err)
	}
	defer p.Close()
	return p.Stage(ctx, fill)
}

// checkStageDest refuses a destination Stage cannot create.
func checkStageDest(dest string) error {
	dest = filepath.Clean(dest)
	parent, base := filepath.Split(dest)
	switch {
	case base == "" || filepath.Clean(parent) == dest:
		return fmt.Errorf("staging %s: destination has no parent directory", dest)
	case strings.HasPrefix(base, ".fetch-"):
		return fmt.Errorf("staging %s: names starting with .fetch- are fetch's own bookkeeping", dest)
	}
	return nil
}

// Stage does what the package-level Stage does for p.Dest, with the lock,
// the temporary directory and the final rename all made relative to the
// parent directory Place opened and verified, never through a path that
// could have been redirected since.
func (p *Placement) Stage(ctx context.Context, fill func(tmpDir string) error) (err error) {
	dest := p.Dest
	if err := checkStageDest(dest); err != nil {
		return err
	}
	if p.parent == nil {
		return fmt.Errorf("staging %s: its parent directory is missing or was not opened", dest)
	}
	base := filepath.Base(dest)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("staging %s: %w", dest, err)
	}
	if err := refuseExisting(p.parent, base); err != nil {
		return err
	}
	unlock, err := p.Lock(ctx)
	if err != nil {
		return err // it names dest
	}
	defer unlock()
	if err := refuseExisting(p.parent, base); err != nil {
		return err // staged by whoever held the lock before us
	}

	me := self()
	cleanStale(p.parent, base, me)
	work, err := makeTemp(p.parent, base, me)
	if err != nil {
		return fmt.Errorf("staging %s: %w", dest, err)
	}
	// The deferred removal also runs if fill panics. After a successful
	// rename only the owner file is left in work.
	defer func() {
		if rerr := removeTree(p.parent.join(work)); rerr != nil && err != nil {
			err = errors.Join(err, fmt.Errorf("removing temporary %s: %w", p.parent.join(work), rerr))
		}
	}()

	tmpRel := filepath.Join(work, base)
	tmp := p.parent.join(tmpRel)
	if err := fill(tmp); err != nil {
		// The fill's own error is the cause, and the caller names the
		// source and its destination: a "staging DEST:" prefix would only
		// push the cause off the end of the line.
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("staging %s: %w", dest, err)
	}
	if t, err := p.parent.lstat(tmpRel); err != nil || (t != fs.ModeDir && t != 0) {
		return fmt.Errorf("staging %s: fill left no directory or regular file at %s", dest, tmp)
	}
	if err := renameNoReplaceAt(p.parent, tmpRel, base); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("staging %s: destination appeared while filling it: %w", dest, ErrExist)
		}
		return fmt.Errorf("staging %s: %w", dest, err)
	}
	return nil
}

// refuseExisting fails if anything, even a dangling symlink, is at d/base.
func refuseExisting(d *dirHandle, base string) error {
	dest := d.join(base)
	_, err := d.lstat(base)
	switch {
	case err == nil:
		return fmt.Errorf("staging %s: destination already exists (Stage never replaces it): %w", dest, ErrExist)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return fmt.Errorf("staging %s: %w", dest, err)
	}
}

// makeTemp creates d/.fetch-tmp-<base>-<random> holding the owner file
// and an empty directory named base for fill, and returns its name in d.
func makeTemp(d *dirHandle, base string, me owner) (string, error) {
	for range 10 {
		var b [suffixLen / 2]byte
		rand.Read(b[:])
		work := tmpPrefix + base + "-" + hex.EncodeToString(b[:])
		err := d.mkdir(work, 0o700)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		err = writeOwner(d, filepath.Join(work, ownerFile), me)
		if err == nil {
			err = d.mkdir(filepath.Join(work, base), 0o755)
		}
		if err != nil {
			return "", errors.Join(err, removeTree(d.join(work)))
		}
		return work, nil
	}
	return "", fmt.Errorf("no unused temporary name for %s in %s", base, d.path)
}

// writeOwner writes me to the new file d/name.
func writeOwner(d *dirHandle, name string, me owner) error {
	f, err := d.openFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(me.String())
	return errors.Join(err, f.Close())
}

// removeTree removes path and everything below it. A directory without
// write permission (git and the module cache make some) cannot be emptied,
// so when the first attempt fails it gives every directory owner rwx and
// tries again.
func removeTree(path string) error {
	if err := os.RemoveAll(path); err == nil {
		return nil
	}
	makeWritable(path)
	return os.RemoveAll(path)
}

// makeWritable adds owner rwx to every directory under root, without
// following symlinks. A directory is fixed before it is read, which is
// what lets the walk enter one that had no read permission.
func makeWritable(root string) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if d != nil && d.IsDir() {
			if info, ierr := d.Info(); ierr == nil && info.Mode().Perm()&0o700 != 0o700 {
				os.Chmod(p, info.Mode().Perm()|0o700)
			}
		}
		return nil
	})
}
