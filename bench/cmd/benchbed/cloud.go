package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/gofetch/fetch/internal/testbed"
)

// serveCloud serves small.bin, 1 KiB of deterministic bytes, from a
// loopback S3 stand-in (bucket "bench"), a GCS one and the vanity host, so
// that bench/cloud.sh can time fetch-cloud and fetch on the same object.
func serveCloud(b *testbed.Bed, c config) ([]variable, func(), error) {
	data := make([]byte, 1024)
	rand.NewChaCha8(seed(1 << 20)).Read(data)
	page := filepath.Join(b.WWW, c.host, "small.bin")
	if err := os.MkdirAll(filepath.Dir(page), 0o777); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(page, data, 0o666); err != nil {
		return nil, nil, err
	}
	objects := map[string][]byte{"small.bin": data}
	s3 := testbed.NewS3Server("bench", objects)
	gcs := testbed.NewGCSServer("bench", objects)
	stop := func() { s3.Close(); gcs.Close() }
	return []variable{
		{"BENCH_S3_ENDPOINT", s3.URL},
		{"BENCH_GCS_HOST", gcs.Host},
		{"BENCH_SMALL_URL", "https://" + c.host + "/small.bin"},
	}, stop, nil
}
