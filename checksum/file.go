package checksum

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/gofetch/fetch/internal/redact"
)

// ErrNoChecksum is wrapped by FromFile's error when no line of the checksum
// file applies to the target.
var ErrNoChecksum = errors.New("no checksum found")

// maxLineLen bounds the memory one line of a hostile checksum file can take.
// Real lines are a digest and a path; longer ones are skipped like any
// other line that is not a checksum.
const maxLineLen = 64 << 10

// FromFile reads a checksum file (fetched from fileURL, the Spec.FileURL it
// came from) and returns the checksum it gives for targetPath, the
// slash-separated URL path of the file being downloaded.
//
// It reads lines as go-getter v1 does. Four fields are BSD style,
// "ALG (name) = hex"; two are GNU style, "hex name", where name may keep a
// leading '*' (binary) or '?' (shasum -p) and the type is guessed from the
// digest's length; any other count is a bare digest with no name, which
// applies to every target. Blank lines and lines that do not parse
// (comments, PGP armour, bad hex) are skipped. The first line wins whose
// name is empty or is one of: the target's base name, "*" or "?" before
// it, the target relative to fileURL's directory, "./" before that, or the
// target's absolute path.
func FromFile(r io.Reader, fileURL, targetPath string) (Sum, error) {
	shown := redact.String(fileURL)
	u, err := parseURL(fileURL)
	if err != nil {
		return Sum{}, fmt.Errorf("checksum file URL %q: %w", shown, err)
	}
	names := targetNames(u.Path, targetPath)
	br := bufio.NewReader(r)
	for {
		line, tooLong, err := readLine(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			return Sum{}, fmt.Errorf("reading checksum file %s: %w", shown, err)
		}
		if tooLong {
			continue
		}
		e, ok, err := parseLine(line)
		if err != nil || !ok {
			continue
		}
		if e.name == "" || slices.Contains(names, e.name) {
			return e.sum, nil
		}
	}
	return Sum{}, fmt.Errorf("%w in: %s: no line applies to %s (as %s)", ErrNoChecksum, shown, targetPath, strings.Join(names, ", "))
}

// targetNames lists the names a checksum file may use for the target.
// A target path that is not rooted is read as rooted rather than against
// the working directory, which go-getter consults but a pure function may
// not.
func targetNames(sumFilePath, targetPath string) []string {
	abs := path.Clean("/" + targetPath)
	base := path.Base(targetPath)
	names := []string{base, "*" + base, "?" + base}
	// go-getter also tries the path relative to the checksum file's
	// directory; when that directory is not rooted no such path exists,
	// and go-getter's leftover "./" candidate is deliberately not kept.
	if rel, ok := relPath(path.Dir(sumFilePath), abs); ok {
		names = append(names, rel, "./"+rel)
	}
	names = append(names, abs)
	// Drop repeats (the base name is often the relative path too) so the
	// not-found error lists each name once; order is kept for reading.
	seen := make(map[string]bool, len(names))
	return slices.DeleteFunc(names, func(n string) bool {
		dup := seen[n]
		seen[n] = true
		return dup
	})
}

// relPath returns target relative to dir, both slash-separated; it is
// filepath.Rel for URL paths, which must be the same on every platform.
func relPath(dir, target string) (string, bool) {
	if !path.IsAbs(dir) || !path.IsAbs(target) {
		return "", false
	}
	d := strings.Split(strings.Trim(path.Clean(dir), "/"), "/")
	t := strings.Split(strings.Trim(path.Clean(target), "/"), "/")
	if d[0] == "" {
		d = nil
	}
	if t[0] == "" {
		t = nil
	}
	i := 0
	for i < len(d) && i < len(t) && d[i] == t[i] {
		i++
	}
	parts := slices.Repeat([]string{".."}, len(d)-i)
	parts = append(parts, t[i:]...)
	if len(parts) == 0 {
		return ".", true
	}
	return strings.Join(parts, "/"), true
}

// readLine returns the next line without its line ending. A line longer
// than maxLineLen is consumed but its text dropped, and tooLong is set.
func readLine(br *bufio.Reader) (line string, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, more, err := br.ReadLine()
		if err != nil {
			return "", false, err
		}
		if !tooLong && len(buf)+len(chunk) > maxLineLen {
			tooLong, buf = true, nil
		}
		if !tooLong {
			buf = append(buf, chunk...)
		}
		if !more {
			return string(buf), tooLong, nil
		}
	}
}

// entry is one parsed line of a checksum file.
type entry struct {
	sum  Sum
	name string // empty: the line applies to any target
}

// parseLine reads one line of a checksum file. ok is false for a blank
// line; err says why a line is not a checksum.
func parseLine(line string) (e entry, ok bool, err error) {
	f := strings.Fields(line)
	switch len(f) {
	case 0:
		return entry{}, false, nil
	case 4:
		name := f[1]
		if len(name) <= 2 || name[0] != '(' || name[len(name)-1] != ')' {
			return entry{}, false, fmt.Errorf("BSD-style checksum line %q: file name %q is not a non-empty name in parentheses", line, name)
		}
		e.name = name[1 : len(name)-1]
		e.sum, err = typedSum(f[0], f[3])
	case 2:
		e.name = f[1]
		e.sum, err = guessedSum(f[0])
	default:
		e.sum, err = guessedSum(f[0])
	}
	if err != nil {
		return entry{}, false, fmt.Errorf("checksum line %q: %w", line, err)
	}
	return e, true, nil
}
