//go:build !unix

package tree

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// flockNB fails: without a lock Stage could not tell a live temporary
// directory from a stale one, so it refuses to run rather than guess.
func flockNB(*os.File) (bool, error) {
	return false, fmt.Errorf("file locking on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}

// processExists answers yes, so that nothing is ever removed on a guess.
func processExists(int) bool { return true }
