//go:build unix

package tree

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCleanStaleNeverOpensAPlantedFIFO: the owner file of a temporary
// is read only when it is a regular file. A FIFO planted as
// .fetch-tmp-<base>-<hex>/.fetch-owner (or a link to one) made every
// later fetch of that destination block forever in open(2), holding the
// destination's lock, whatever its --timeout.
func TestCleanStaleNeverOpensAPlantedFIFO(t *testing.T) {
	for _, link := range []bool{false, true} {
		name := "fifo"
		if link {
			name = "link to a fifo"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			tmp := filepath.Join(dir, tmpPrefix+"repo-0123456789abcdef")
			if err := os.Mkdir(tmp, 0o755); err != nil {
				t.Fatal(err)
			}
			// The FIFO also has a name outside the temporary, which
			// CleanStale removes, to let the writer below go at the end.
			fifo := filepath.Join(t.TempDir(), "fifo")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Fatal(err)
			}
			plant := os.Link
			if link {
				plant = os.Symlink
			}
			if err := plant(fifo, filepath.Join(tmp, ownerFile)); err != nil {
				t.Fatal(err)
			}
			// The writer's open returns only once a reader opened the FIFO.
			// It reports that before it closes, so a reader that opened it
			// (and reads to EOF) returns after the report is in.
			opened := make(chan bool, 1)
			done := make(chan struct{})
			go func() {
				defer close(done)
				f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				if err != nil {
					opened <- false
					return
				}
				opened <- true
				f.WriteString("pid=1\n")
				f.Close()
			}()
			_, err := CleanStale(dir)
			select {
			case <-opened:
				t.Errorf("CleanStale opened the FIFO planted as the owner file")
			default:
				// Let the writer go: open the read side ourselves.
				r, oerr := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
				if oerr != nil {
					t.Fatal(oerr)
				}
				<-done
				r.Close()
			}
			<-done
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Lstat(tmp); !os.IsNotExist(err) {
				t.Errorf("the planted temporary is still there (%v); one without a readable owner is stale", err)
			}
		})
	}
}
