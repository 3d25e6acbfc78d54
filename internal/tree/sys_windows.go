package tree

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// flockNB takes an exclusive lock on the first byte of f without blocking,
// with LockFileEx. Like flock on Unix the lock belongs to the open handle,
// so two handles in one process exclude each other just as two processes
// do, and it ends when the handle is closed or the process dies.
//
// go-internal's lockedfile (a dependency through testscript) only waits
// for a lock, and its filelock package is internal, so this calls the
// system directly.
func flockNB(f *os.File) (bool, error) {
	ol := new(windows.Overlapped)
	err := windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	}
	return false, err
}

// stillActive is the exit code GetExitCodeProcess reports for a process
// that has not exited (STILL_ACTIVE).
const stillActive = 259

// processExists reports whether a process with this PID exists. A process
// that cannot be opened for lack of rights exists; one whose handle
// reports an exit code other than STILL_ACTIVE has exited. Anything else
// that goes wrong answers yes, so that nothing is removed on a guess.
func processExists(pid int) bool {
	if pid <= 0 {
		return false
	}
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		// ERROR_INVALID_PARAMETER is how Windows says "no such process".
		return !errors.Is(err, windows.ERROR_INVALID_PARAMETER)
	}
	defer windows.CloseHandle(h)
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return true
	}
	return code == stillActive
}

// releaseLockFile removes the lock file name in d and closes f, which
// holds the lock on it. Windows refuses to remove a file that is open
// (Go opens files without FILE_SHARE_DELETE), so f is closed first, which
// also releases the lock. A waiter that opened the file meanwhile keeps it
// from being removed; it then holds the lock on the file still at the
// path, which is what its check in tryLock wants. A lock file left that
// way is reused, and CleanStale removes it once it is free.
func releaseLockFile(d *dirHandle, name string, f *os.File) {
	f.Close()
	d.remove(name)
}
