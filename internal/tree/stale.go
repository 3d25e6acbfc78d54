package tree

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const (
	tmpPrefix = ".fetch-tmp-"
	// ownerFile sits in a temporary directory beside the directory fill
	// writes, so it never reaches the destination.
	ownerFile = ".fetch-owner"
	suffixLen = 16 // hex digits of the random part of a temporary name
)

// owner identifies the process that made a temporary directory.
type owner struct {
	pid   int
	host  string
	boot  string // bootID(), empty where unknown
	start string // startTime(pid), empty where unknown
}

func self() owner {
	host, _ := os.Hostname()
	pid := os.Getpid()
	return owner{pid: pid, host: host, boot: bootID(), start: startTime(pid)}
}

func (o owner) String() string {
	return fmt.Sprintf("pid=%d\nhost=%s\nboot=%s\nstart=%s\n", o.pid, o.host, o.boot, o.start)
}

// readOwner reads the owner file of a temporary directory; ok is false if
// there is none, it is not a regular file (a FIFO or device planted there
// would block open or read forever; a link is never followed) or it cannot
// be understood.
func readOwner(tmp string) (o owner, ok bool) {
	p := filepath.Join(tmp, ownerFile)
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return owner{}, false
	}
	f, err := os.Open(p)
	if err != nil {
		return owner{}, false
	}
	defer f.Close()
	if now, err := f.Stat(); err != nil || !os.SameFile(fi, now) {
		return owner{}, false
	}
	sc := bufio.NewScanner(io.LimitReader(f, 4096))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		switch k {
		case "pid":
			o.pid, _ = strconv.Atoi(v)
		case "host":
			o.host = v
		case "boot":
			o.boot = v
		case "start":
			o.start = v
		}
	}
	return o, sc.Err() == nil && o.pid > 0
}

// otherLiveProcess reports whether o may be a running process other than
// this one. Anything it cannot rule out counts as running.
func (o owner) otherLiveProcess(me owner) bool {
	if o.pid == me.pid && o.host == me.host && o.boot == me.boot && o.start == me.start {
		return false
	}
	if o.host != me.host {
		return true // another machine sharing the tree: no way to check
	}
	if o.boot != "" && me.boot != "" && o.boot != me.boot {
		return false // the machine has rebooted since
	}
	if !processExists(o.pid) {
		return false
	}
	if o.start != "" {
		if now := startTime(o.pid); now != "" && now != o.start {
			return false // the PID now belongs to a newer process
		}
	}
	return o.pid != me.pid
}

// tmpBase returns the base name of the destination a temporary directory
// name belongs to, if it is one of ours.
func tmpBase(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, tmpPrefix)
	if !ok || len(rest) < suffixLen+2 || rest[len(rest)-suffixLen-1] != '-' {
		return "", false
	}
	for _, c := range rest[len(rest)-suffixLen:] {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return "", false
		}
	}
	return rest[:len(rest)-suffixLen-1], true
}

// CleanStale removes the stale temporary directories and lock files that
// fetch processes left in dir, and returns the paths it removed.
//
// A temporary directory is stale when both hold:
//   - its owner file names no running process other than this one: the PID
//     is gone, or now belongs to a process that started later or before a
//     reboot, or the file is missing (the owner died before writing it);
//   - the lock on its destination can be taken now. Its owner holds that
//     lock from before it creates the directory until after it removes it,
//     so a free lock proves that nobody is still working in it.
//
// Age plays no part, so a slow download is never mistaken for a dead one.
// A lock file is stale when it can be locked. Symlinks, and temporaries
// made on another host, are left alone.
func CleanStale(dir string) ([]string, error) {
	d, err := openDirPath(dir)
	if err != nil {
		return nil, fmt.Errorf("cleaning stale temporaries in %s: %w", dir, err)
	}
	defer d.close()
	return cleanStale(d, "", self())
}

// cleanStale does CleanStale's work in d. If held is not empty, the caller
// holds the lock on d/held, so that destination's temporaries are stale
// unless another process owns them, and its lock file is left alone.
func cleanStale(d *dirHandle, held string, me owner) ([]string, error) {
	entries, err := d.readDir()
	if err != nil {
		return nil, fmt.Errorf("cleaning stale temporaries in %s: %w", d.path, err)
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if base, ok := strings.CutPrefix(name, lockPrefix); ok && base != held && e.Type().IsRegular() {
			if unlock, ok, _ := tryLock(d, base); ok {
				unlock() // removes the file
				removed = append(removed, d.join(name))
			}
			continue
		}
		base, ok := tmpBase(name)
		if !ok || !e.IsDir() { // IsDir is false for a symlink: never follow one
			continue
		}
		path := d.join(name)
		if o, ok := readOwner(path); ok && o.otherLiveProcess(me) {
			continue
		}
		unlock := func() {}
		if base != held {
			u, ok, err := tryLock(d, base)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !ok {
				continue
			}
			unlock = u
		}
		err := removeTree(path)
		unlock()
		if err != nil {
			errs = append(errs, fmt.Errorf("removing stale temporary %s: %w", path, err))
			continue
		}
		removed = append(removed, path)
	}
	return removed, errors.Join(errs...)
}
