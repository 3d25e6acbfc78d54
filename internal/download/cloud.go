package download

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	getter "github.com/hashicorp/go-getter/v2"

	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/internal/termtext"
)

// CloudExecutable is the name of the program that fetches s3:: and gcs::
// sources. Keeping the S3 and GCS SDKs out of fetch keeps its start-up,
// binary and build small (issue 15); fetch runs the program for those
// sources only, as git runs git-remote-https.
const CloudExecutable = "fetch-cloud"

// CloudInstall is the command that installs CloudExecutable.
const CloudInstall = "go install github.com/gofetch/fetch/cmd/fetch-cloud@latest"

// ErrCloudGetterMissing is wrapped by the error for an s3:: or gcs::
// source when CloudExecutable is not found: not at $FETCH_CLOUD, not next
// to the running executable and not on PATH.
var ErrCloudGetterMissing = errors.New(CloudExecutable + " is not installed")

// CloudGetterError is a failure CloudExecutable reported: its one line on
// standard error (cause first, then what to do), with credentials
// redacted.
type CloudGetterError struct {
	// Getter is s3 or gcs.
	Getter string
	// Line is what the program said, redacted; never empty.
	Line string
	// ExitCode is the program's exit status (1 for a failed download, 2
	// for a command line it does not understand), or -1 when a signal
	// ended it.
	ExitCode int
}

// Error returns the program's line.
func (e *CloudGetterError) Error() string { return e.Line }

// cloudMissing is the error for a missing CloudExecutable: cause, then
// what to do.
type cloudMissing struct {
	getter string
	detail string // where it was looked for, or why it cannot run
}

func (e *cloudMissing) Error() string {
	return fmt.Sprintf("%s:: sources need the %s program, which %s: install it with `%s` (next to fetch or on PATH), or set FETCH_CLOUD to its path",
		e.getter, CloudExecutable, e.detail, CloudInstall)
}

func (e *cloudMissing) Unwrap() error { return ErrCloudGetterMissing }

// cloudProgram finds CloudExecutable: $FETCH_CLOUD, else next to the
// running executable, else on PATH.
func cloudProgram(name string) (string, error) {
	if p := os.Getenv("FETCH_CLOUD"); p != "" {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			return "", &cloudMissing{getter: name, detail: "is not at FETCH_CLOUD=" + p}
		}
		return p, nil
	}
	exe := CloudExecutable
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), exe)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	p, err := exec.LookPath(CloudExecutable)
	if err != nil {
		return "", &cloudMissing{getter: name, detail: "is neither next to fetch nor on PATH"}
	}
	return p, nil
}

// cloudGetter is a go-getter v2 Getter for s3:: and gcs:: sources that
// runs CloudExecutable:
//
//	fetch-cloud get {file|dir} SOURCE DST
//
// SOURCE is the whole forced source; DST must not exist. The program
// prints "progress DONE TOTAL" lines while it works, exits 0 on success,
// and 1 (a failed download) or 2 (bad usage) with one line on standard
// error. It is interrupted when the context ends. What it writes is
// checked here too: no links or special files, and the Limits.
type cloudGetter struct {
	name string // s3 or gcs
	tr   *tracker
	lim  Limits
}

// Detect accepts the sources forced to this getter.
func (g *cloudGetter) Detect(req *getter.Request) (bool, error) {
	return req.Forced == g.name, nil
}

// Mode says a key ending in "/" is a directory, anything else a file.
// (A Get in ModeAny tries the file first and then the prefix; see
// session.fetchCloud.)
func (g *cloudGetter) Mode(_ context.Context, u *url.URL) (getter.Mode, error) {
	if strings.HasSuffix(u.Path, "/") {
		return getter.ModeDir, nil
	}
	return getter.ModeFile, nil
}

// GetFile fetches one object into req.Dst.
func (g *cloudGetter) GetFile(ctx context.Context, req *getter.Request) error {
	return g.get(ctx, "file", g.name+"::"+req.URL().String(), req.Dst)
}

// Get fetches every object under a prefix into req.Dst.
func (g *cloudGetter) Get(ctx context.Context, req *getter.Request) error {
	return g.get(ctx, "dir", g.name+"::"+req.URL().String(), req.Dst)
}

// cloudWait is how long the program has to exit after an interrupt before
// it is killed.
const cloudWait = 10 * time.Second

// get runs the program and checks what it wrote. On failure dst is
// removed.
func (g *cloudGetter) get(ctx context.Context, mode, src, dst string) error {
	err := g.run(ctx, mode, src, dst)
	if err == nil {
		err = g.check(mode, src, dst)
	}
	if err != nil {
		_ = removeAll(dst)
	}
	return err
}

func (g *cloudGetter) run(ctx context.Context, mode, src, dst string) error {
	prog, err := cloudProgram(g.name)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("cannot fetch %s into %s: it exists", redact.String(src), dst)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755&^umask); err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	args := []string{"get"}
	if g.lim.MaxFiles > 0 {
		// The listing stops there, before the program holds more keys
		// than fetch would accept anyway (check counts them again).
		args = append(args, "--max-files", strconv.Itoa(g.lim.MaxFiles))
	}
	cmd := exec.CommandContext(ctx, prog, append(args, mode, src, dst)...)
	cmd.Cancel = func() error {
		if runtime.GOOS == "windows" {
			return cmd.Process.Kill()
		}
		return cmd.Process.Signal(os.Interrupt)
	}
	cmd.WaitDelay = cloudWait
	stderr := &capped{max: 8 << 10}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return &cloudMissing{getter: g.name, detail: "cannot be started (" + err.Error() + ")"}
	}
	// All of stdout is read before Wait, as exec requires.
	over := g.progress(stdout, mode, src, cancel)
	werr := cmd.Wait()
	switch {
	case over != nil:
		return over
	case ctx.Err() != nil && werr != nil:
		return context.Cause(ctx)
	case werr == nil:
		return nil
	}
	code := -1
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
	}
	line := termtext.Printable(firstLine(stderr.Bytes()))
	if line == "" {
		line = fmt.Sprintf("%s %s failed (%v) without saying why", CloudExecutable, mode, werr)
	}
	return &CloudGetterError{Getter: g.name, Line: redact.String(line), ExitCode: code}
}

// progress reads the program's progress lines, reports them and stops
// the program once it goes over a limit. It reads to the end, so the
// program never blocks on a full pipe.
func (g *cloudGetter) progress(r io.Reader, mode, src string, stop context.CancelCauseFunc) error {
	name := path.Base(strings.TrimSuffix(src, "/"))
	if i := strings.IndexAny(name, "?#"); i >= 0 {
		name = name[:i]
	}
	var over error
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if over != nil || len(f) != 3 || f[0] != "progress" {
			continue
		}
		done, err1 := strconv.ParseInt(f[1], 10, 64)
		total, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if over = g.tr.reported(name, mode == "dir", done, total, g.lim); over != nil {
			stop(over)
		}
	}
	_, _ = io.Copy(io.Discard, r)
	return over
}

// check applies what the program promises, and the Limits, to what it
// wrote: a regular file, or a tree of directories and regular files.
func (g *cloudGetter) check(mode, src, dst string) error {
	fi, err := os.Lstat(dst)
	if err != nil {
		return fmt.Errorf("%s reported success for %s but wrote nothing: %w", CloudExecutable, redact.String(src), err)
	}
	if mode == "file" {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s wrote a %s for %s, not a file", CloudExecutable, typeName(fi.Mode()), redact.String(src))
		}
		if max := g.lim.MaxBytes; max > 0 && fi.Size() > max {
			return limitError(LimitDownload, max, "%s is %d bytes, more than the %d bytes allowed", filepath.Base(dst), fi.Size(), max)
		}
		return nil
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s wrote a file for the prefix %s, not a directory", CloudExecutable, redact.String(src))
	}
	var files int
	var bytes int64
	return filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dst {
			return err
		}
		files++
		if max := g.lim.MaxFiles; max > 0 && files > max {
			return limitError(LimitFiles, int64(max), "%s has more than %d objects", redact.String(src), max)
		}
		rel, _ := filepath.Rel(dst, p)
		switch t := d.Type(); {
		case d.IsDir():
			return nil
		case t&fs.ModeSymlink != 0:
			return fmt.Errorf("object %s was written as a symbolic link: %w", filepath.ToSlash(rel), getter.ErrSymlinkCopy)
		case !t.IsRegular():
			return fmt.Errorf("object %s was written as a %s, not a regular file", filepath.ToSlash(rel), typeName(t))
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if max := g.lim.MaxBytes; max > 0 && info.Size() > max {
			return limitError(LimitDownload, max, "object %s is %d bytes, more than the %d bytes allowed", filepath.ToSlash(rel), info.Size(), max)
		}
		bytes += info.Size()
		if max := g.lim.MaxExtractedBytes; max > 0 && bytes > max {
			return limitError(LimitExtracted, max, "%s holds more than %d bytes", redact.String(src), max)
		}
		return nil
	})
}

// fetchCloud fetches an s3:: or gcs:: source into dst in go-getter's
// ModeAny. The program cannot be asked which of the two a key is, so a
// key ending in "/" is fetched as a prefix, and any other as an object
// first and, when that fails and no option needs a file, as a prefix:
// what go-getter v1 decided by listing the key. When both fail, or the
// prefix holds nothing, the object's error is the one returned.
func (s *session) fetchCloud(ctx context.Context, dst string, got *fetched) error {
	g := &cloudGetter{name: s.src.getter, tr: s.tracker, lim: s.lim}
	src := s.src.String()
	if strings.HasSuffix(s.src.u.Path, "/") {
		return g.get(ctx, "dir", src, dst)
	}
	base := path.Base(s.src.u.Path)
	if base == "/" || base == "." {
		base = "object"
	}
	file := filepath.Join(dst, base)
	ferr := g.get(ctx, "file", src, file)
	if ferr == nil {
		got.file = file
		return nil
	}
	_ = removeAll(dst)
	var ce *CloudGetterError
	if !errors.As(ferr, &ce) || ce.ExitCode != 1 || s.src.checksum != "" || s.src.archive != "" || s.src.filename != "" {
		return ferr
	}
	if err := g.get(ctx, "dir", src, dst); err != nil {
		if isLimit(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return ferr
	}
	if ents, err := os.ReadDir(dst); err != nil || len(ents) == 0 {
		_ = removeAll(dst)
		return ferr
	}
	return nil
}

// capped keeps the first max bytes written to it.
type capped struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) Bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.buf.Bytes())
}

// firstLine returns the first non-empty line of b, trimmed.
func firstLine(b []byte) string {
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}
