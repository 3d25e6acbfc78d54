package download

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkGetTarGz(b *testing.B) {
	// Random content does not compress, so the archive is as big as the
	// files: 64 files of 64 KiB, 4 MiB in all.
	rng := rand.New(rand.NewPCG(1, 2))
	members := []member{dir("bench/")}
	for i := range 64 {
		buf := make([]byte, 64<<10)
		for j := range buf {
			buf[j] = byte(rng.UintN(256))
		}
		members = append(members, file(fmt.Sprintf("bench/f%02d", i), string(buf)))
	}
	body := archiveOf(b, "tar.gz", members)
	srv := newServer(b, map[string]served{"/bench.tar.gz": {body: body}})
	root := b.TempDir()
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := range b.N {
		dst := filepath.Join(root, fmt.Sprint(i))
		if err := os.Mkdir(dst, 0o755); err != nil {
			b.Fatal(err)
		}
		if _, err := Get(context.Background(), Request{URL: srv.URL + "/bench.tar.gz", Dst: dst, HTTPClient: srv.Client()}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(dst)
		b.StartTimer()
	}
}
