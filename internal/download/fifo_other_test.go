//go:build !unix

package download

import (
	"errors"
	"fmt"
	"runtime"
)

// mkfifo fails: there are no named pipes in the filesystem here. It
// exists so that the tests type-check (GOOS=windows go vet in .ci/run).
func mkfifo(string) error {
	return fmt.Errorf("named pipes on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}
