package tree

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// bootID names the running kernel's boot, so that a PID recorded before a
// reboot is not mistaken for a process running now.
func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// startTime returns when process pid started, in clock ticks since boot
// (field 22 of /proc/PID/stat), or "" if that cannot be read. Together with
// the PID it names one process: a reused PID has a later start time.
func startTime(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The command name (field 2) may hold spaces and parentheses; the
	// fields after its closing parenthesis are plain.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(s[i+1:])
	const startField = 22 - 3 // fields[0] is field 3
	if len(fields) <= startField {
		return ""
	}
	return fields[startField]
}

// renameNoReplaceAt renames d/oldname to d/newname relative to the open
// directory d, failing with an error matching fs.ErrExist instead of
// replacing whatever is at newname (plain rename(2) silently replaces an
// empty directory).
func renameNoReplaceAt(d *dirHandle, oldname, newname string) error {
	err := unix.Renameat2(d.fd, oldname, d.fd, newname, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		// The filesystem or kernel cannot do it; check, then rename. The
		// caller holds the destination's lock.
		if _, lerr := d.lstat(newname); lerr == nil {
			return &os.LinkError{Op: "rename", Old: d.join(oldname), New: d.join(newname), Err: fs.ErrExist}
		}
		err = unix.Renameat(d.fd, oldname, d.fd, newname)
	}
	if err != nil {
		return &os.LinkError{Op: "rename", Old: d.join(oldname), New: d.join(newname), Err: err}
	}
	return nil
}
