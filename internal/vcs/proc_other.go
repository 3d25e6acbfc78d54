//go:build !unix

package vcs

import "os/exec"

// ownProcessGroup leaves cmd alone where process groups do not exist;
// cancelling kills the command itself.
func ownProcessGroup(cmd *exec.Cmd) {}
