package cloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Mode says what a download makes of its source.
type Mode int

const (
	// ModeAny asks the server: one object named by the key is a file,
	// objects under KEY/ a directory (go-getter's ClientModeAny).
	ModeAny Mode = iota
	// ModeFile downloads the one object the key names.
	ModeFile
	// ModeDir downloads every object under the key, taken as a prefix
	// that ends at a "/".
	ModeDir
)

// String returns "any", "file" or "dir".
func (m Mode) String() string {
	switch m {
	case ModeFile:
		return "file"
	case ModeDir:
		return "dir"
	}
	return "any"
}

// ParseMode parses "file", "dir" or "any".
func ParseMode(s string) (Mode, bool) {
	switch s {
	case "file":
		return ModeFile, true
	case "dir":
		return ModeDir, true
	case "any":
		return ModeAny, true
	}
	return 0, false
}

// Request is one download for a Getter.
type Request struct {
	// Source is what to download.
	Source *Source
	// Dst is the path to create: the file (GetFile) or the directory
	// (Get). It does not exist yet.
	Dst string
	// meter counts the bytes and enforces the limit.
	meter *meter
	// maxFiles is Options.MaxFiles.
	maxFiles int
}

// Getter downloads from one kind of store. It has the shape of go-getter
// v2's Getter, without detection (the grammar is ParseSource's).
type Getter interface {
	// Get writes every object under the source's prefix below the
	// directory req.Dst, which it creates.
	Get(ctx context.Context, req *Request) error
	// GetFile writes the one object the source names to the file req.Dst.
	GetFile(ctx context.Context, req *Request) error
	// Mode says whether the source names one object (ModeFile) or a
	// prefix with objects under it (ModeDir).
	Mode(ctx context.Context, src *Source) (Mode, error)
}

// Options tune Get.
type Options struct {
	// Progress, when set, is called as bytes arrive with the bytes so far
	// and the total (-1 while unknown). Calls are serialised.
	Progress func(done, total int64)
	// MaxBytes, when positive, bounds the bytes downloaded: past it the
	// download fails with ErrTooLarge.
	MaxBytes int64
	// MaxFiles, when positive, bounds the objects a directory download
	// lists: past it the download fails with ErrTooLarge before any
	// object is downloaded, and a server cannot make the listing (held
	// in memory) grow without end.
	MaxFiles int
	// S3 and GCS replace the getters (tests); nil means the real ones.
	S3, GCS Getter
}

// Get downloads source (a forced s3:: or gcs:: source, see ParseSource)
// to dst, a path that must not exist yet and whose directory must. In
// ModeAny it asks the store which mode fits; the mode used is returned.
// Everything is written under a sibling DST.tmp-* directory, removed
// whatever happens, and renamed to dst only when complete: on failure or
// cancellation dst does not exist. Every error is an *Error whose line
// holds no credential.
func Get(ctx context.Context, mode Mode, source, dst string, opt Options) (Mode, error) {
	src, err := ParseSource(source)
	if err != nil {
		return mode, Redact(err, nil)
	}
	mode, err = get(ctx, mode, src, dst, opt)
	if err != nil {
		return mode, Redact(err, src)
	}
	return mode, nil
}

func get(ctx context.Context, mode Mode, src *Source, dst string, opt Options) (Mode, error) {
	g := opt.S3
	if src.Getter == "gcs" {
		g = opt.GCS
	}
	if g == nil {
		if src.Getter == "gcs" {
			g = &GCSGetter{}
		} else {
			g = &S3Getter{}
		}
	}
	if err := checkDst(dst); err != nil {
		return mode, err
	}
	if mode == ModeFile && (src.Key == "" || strings.HasSuffix(src.Key, "/")) {
		return mode, errorf(ErrBadSource, nil, "%s names a prefix, not an object: download it as a directory, or add the object's name", src.Shown())
	}
	if mode == ModeAny {
		m, err := g.Mode(ctx, src)
		if err != nil {
			return mode, canceled(ctx, err)
		}
		mode = m
	}
	work, err := os.MkdirTemp(filepath.Dir(dst), filepath.Base(dst)+".tmp-")
	if err != nil {
		return mode, errorf(ErrFailed, err, "cannot make a work directory next to the destination: %v: check that its directory is writable", err)
	}
	defer os.RemoveAll(work)
	req := &Request{Source: src, Dst: filepath.Join(work, "out"), meter: &meter{max: opt.MaxBytes, fn: opt.Progress, total: -1}, maxFiles: opt.MaxFiles}
	if mode == ModeFile {
		err = g.GetFile(ctx, req)
	} else {
		err = g.Get(ctx, req)
	}
	if err != nil {
		return mode, canceled(ctx, err)
	}
	if err := ctx.Err(); err != nil {
		return mode, canceled(ctx, err)
	}
	// dst did not exist a moment ago and lives in the caller's staging
	// area; rename does not replace a directory that is not empty.
	if _, err := os.Lstat(dst); err == nil {
		return mode, errorf(ErrBadDestination, nil, "%s appeared while downloading: remove it and run again", dst)
	}
	if err := os.Rename(req.Dst, dst); err != nil {
		return mode, errorf(ErrFailed, err, "cannot move the download into place: %v", err)
	}
	return mode, nil
}

// canceled turns any error after ctx ended into ErrCanceled.
func canceled(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		return err
	}
	return errorf(ErrCanceled, err, "interrupted before the download finished: nothing was written; run again to download")
}

// checkDst refuses a destination that exists or whose directory does not.
func checkDst(dst string) error {
	if dst == "" {
		return errorf(ErrBadDestination, nil, "the destination is empty: give a path that does not exist yet")
	}
	if _, err := os.Lstat(dst); err == nil {
		return errorf(ErrBadDestination, nil, "destination %s already exists: give a path that does not exist yet", dst)
	}
	fi, err := os.Stat(filepath.Dir(dst))
	if err != nil || !fi.IsDir() {
		return errorf(ErrBadDestination, err, "the directory of destination %s does not exist: create it first", dst)
	}
	return nil
}

// meter counts downloaded bytes for the progress callback and the limit.
type meter struct {
	mu    sync.Mutex
	done  int64
	total int64 // -1 while unknown
	max   int64
	fn    func(done, total int64)
}

// setTotal records the expected total.
func (m *meter) setTotal(total int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.total = total
	if m.max > 0 && total > m.max {
		return // add reports it with the object's name at hand
	}
	if m.fn != nil {
		m.fn(m.done, m.total)
	}
}

// add counts n more bytes; past the limit it fails.
func (m *meter) add(n int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.done += n
	if m.max > 0 && m.done > m.max {
		return errorf(ErrTooLarge, nil, "the download is larger than the %d bytes allowed: raise the limit if the objects are expected to be this large", m.max)
	}
	if m.fn != nil {
		m.fn(m.done, m.total)
	}
	return nil
}

// copy writes r to the new file path (which must not exist), counting
// the bytes; a partial file is removed by the caller's work directory.
func (m *meter) copy(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	buf := make([]byte, 64<<10)
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				f.Close()
				return errorf(ErrFailed, err, "writing %s: %v: check the free space", filepath.Base(path), err)
			}
			if err := m.add(int64(n)); err != nil {
				f.Close()
				return err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			f.Close()
			return rerr
		}
	}
	return f.Close()
}

// tree writes the objects of a directory download below root.
type tree struct {
	root   string
	src    *Source
	prefix string            // the listing prefix: Key, ending in "/" unless empty
	made   map[string]string // path made (slash form) -> the key that made it
}

// newTree makes the directory root for the objects under src's prefix.
func newTree(root string, src *Source) (*tree, error) {
	if err := os.Mkdir(root, 0o755); err != nil {
		return nil, err
	}
	return &tree{root: root, src: src, prefix: dirPrefix(src.Key), made: map[string]string{}}, nil
}

// dirPrefix is the listing prefix of a directory download: the key as a
// directory, so that "dir" lists dir/a but not dir2/a (go-getter lists
// "dir" and then refuses dir2/a as a path traversal).
func dirPrefix(key string) string {
	if key == "" || strings.HasSuffix(key, "/") {
		return key
	}
	return key + "/"
}

// relPath checks an object key of a directory download and returns where
// it goes, relative to the root, in slash form. ok is false for a
// directory marker (a key ending in "/"), which makes nothing.
func (t *tree) relPath(key string) (rel string, ok bool, err error) {
	rel, found := strings.CutPrefix(key, t.prefix)
	if !found {
		return "", false, errorf(ErrFailed, nil, "the server listed object %q, which is not under prefix %q: the server is not answering as S3 or GCS do", shorten(key), t.prefix)
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		return "", false, nil
	}
	bad := strings.ContainsAny(rel, "\\\x00") || !filepath.IsLocal(filepath.FromSlash(rel))
	for _, el := range strings.Split(rel, "/") {
		bad = bad || el == "" || el == "." || el == ".."
	}
	if bad {
		return "", false, errorf(ErrUnsafeKey, nil, "object %q in bucket %s would be written outside the destination (a .., empty or absolute path element): fetch-cloud refuses such keys; ask the bucket's owner to rename it, or fetch a prefix without it", shorten(key), t.src.Bucket)
	}
	return rel, true, nil
}

// write stores one object's body at rel.
func (t *tree) write(m *meter, key, rel string, body io.Reader) error {
	if err := t.clash(key, rel); err != nil {
		return err
	}
	path := filepath.Join(t.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return t.clashOr(key, rel, err)
	}
	if err := m.copy(path, body); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return t.clashOr(key, rel, err)
		}
		return err
	}
	t.made[rel] = key
	for d := pathDir(rel); d != ""; d = pathDir(d) {
		if _, ok := t.made[d]; ok {
			break
		}
		t.made[d] = key
	}
	return nil
}

// clash refuses a key whose path, or one of whose parent paths, an
// earlier key made as the other kind (a file where a directory is needed,
// or the reverse).
func (t *tree) clash(key, rel string) error {
	if other, ok := t.made[rel]; ok {
		return t.clashError(key, other)
	}
	for d := pathDir(rel); d != ""; d = pathDir(d) {
		if other, ok := t.made[d]; ok {
			if fi, err := os.Lstat(filepath.Join(t.root, filepath.FromSlash(d))); err == nil && !fi.IsDir() {
				return t.clashError(key, other)
			}
			break
		}
	}
	return nil
}

// clashOr reports a file system error on a key's path as a clash (two
// keys the file system sees as one path, as on a case-insensitive one).
func (t *tree) clashOr(key, rel string, err error) error {
	return errorf(ErrClash, err, "object %q in bucket %s clashes with an earlier object on this file system (%v): fetch a narrower prefix", shorten(key), t.src.Bucket, err)
}

func (t *tree) clashError(key, other string) error {
	return errorf(ErrClash, nil, "objects %q and %q in bucket %s need the same path as a file and as a directory: fetch-cloud cannot place both; fetch a narrower prefix", shorten(other), shorten(key), t.src.Bucket)
}

// pathDir is path.Dir for a relative slash path, "" at the top.
func pathDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}

// listedOne counts one more listed object against Options.MaxFiles.
func (req *Request) listedOne(listed int, prefix string) error {
	if req.maxFiles > 0 && listed > req.maxFiles {
		return errorf(ErrTooLarge, nil, "prefix %q in bucket %s holds more than the %d objects allowed: fetch a narrower prefix, or raise the limit if so many are expected", shorten(prefix), req.Source.Bucket, req.maxFiles)
	}
	return nil
}

// pageTokens remembers the page tokens of one listing: a server that
// names a page it has already given (the same token again, or a cycle)
// would have the listing go round forever, holding more keys each time.
type pageTokens map[string]bool

// next records the token of the next page; a token seen before is an
// error (it is not shown: a token may be opaque server state).
func (seen pageTokens) next(src *Source, token string) error {
	if seen[token] {
		return errorf(ErrFailed, nil, "listing bucket %s: the server named a page token it had already given, so its pages lead round in a loop: check the endpoint", src.Bucket)
	}
	seen[token] = true
	return nil
}

// notFoundPrefix is the error for a directory download that listed
// nothing.
func notFoundPrefix(src *Source, prefix string) error {
	if prefix == "" {
		return errorf(ErrNotFound, nil, "bucket %s holds no objects: check the bucket name", src.Bucket)
	}
	return errorf(ErrNotFound, nil, "no objects under prefix %q in bucket %s: check the prefix (keys are case-sensitive)", prefix, src.Bucket)
}

// keyWord names the object for messages.
func keyWord(src *Source) string {
	return fmt.Sprintf("object %q in bucket %s", shorten(src.Key), src.Bucket)
}
