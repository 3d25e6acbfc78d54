package tree

import (
	"errors"
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

// renameNoReplace renames oldpath to newpath, failing with an error
// matching fs.ErrExist instead of replacing whatever is at newpath (plain
// rename(2) silently replaces an empty directory).
func renameNoReplace(oldpath, newpath string) error {
	err := unix.Renameat2(unix.AT_FDCWD, oldpath, unix.AT_FDCWD, newpath, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		// The filesystem or kernel cannot do it; check, then rename.
		return renameChecked(oldpath, newpath)
	}
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return nil
}
