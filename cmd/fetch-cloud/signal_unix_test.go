//go:build unix

package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
)

// TestSignal interrupts a download in the middle of an object's body:
// fetch-cloud must stop, exit 1 with one line, and leave neither DST nor
// its work directory.
func TestSignal(t *testing.T) {
	t.Parallel()
	s3 := testbed.NewS3Server("bucket", nil)
	t.Cleanup(s3.Close)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, mode := range []string{"file", "dir"} {
			t.Run(sig.String()+"/"+mode, func(t *testing.T) {
				key := "slow-" + mode + "-" + strings.ReplaceAll(sig.String(), " ", "")
				s3.Put(key+"/x", make([]byte, 1<<20))
				started := s3.Stall(key + "/x")
				src := "s3::" + s3.URL + "/bucket/" + key + "?aws_access_key_id=AKID&aws_access_key_secret=" + secret
				if mode == "file" {
					src = strings.Replace(src, key+"?", key+"/x?", 1)
				}
				dir := t.TempDir()
				dst := filepath.Join(dir, "dst")
				cmd := command(t, "get", mode, src, dst)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				<-started
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				err := cmd.Wait()
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 1 {
					t.Fatalf("fetch-cloud after %v: %v, want exit status 1", sig, err)
				}
				if line := stderr.String(); strings.Count(line, "\n") != 1 || !strings.HasPrefix(line, "interrupted") {
					t.Errorf("stderr = %q, want one line saying interrupted", line)
				}
				if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("DST exists after the interrupt (Lstat: %v)", err)
				}
				if left, _ := os.ReadDir(dir); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
			})
		}
	}
}
