//go:build unix

package vcs

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup starts cmd in a new session, which is also a new process
// group: cancelling kills the whole group, so git's ssh and remote helpers
// die with it, and without a controlling terminal no tool can prompt.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
