package fetch_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

// BenchmarkBatch is bench/batch.sh's scenario as a Go benchmark: 50
// vanity import paths over 10 git repositories, every response of the
// vanity host and of git delayed by 100 ms, fetched into a fresh tree with
// one job and with eight. It reports how many repositories each run
// cloned, which must be 10.
//
//	go test -run '^$' -bench Batch -benchtime 3x ./fetch
func BenchmarkBatch(b *testing.B) {
	testutil.NeedTool(b, "git", "git")
	const repos, paths, delay = 10, 50, 100 * time.Millisecond
	bed := testbed.New(b)
	addr, err := bed.StartDelayed(delay)
	if err != nil {
		b.Fatal(err)
	}
	var srcs []string
	for k := range paths {
		root := fmt.Sprintf("example.org/r%d", k%repos)
		p := root
		if k >= repos {
			p = fmt.Sprintf("%s/p%d", root, k)
		}
		page := goImport(fmt.Sprintf("%s git https://%s/r%d.git", root, addr, k%repos))
		for _, name := range []string{p, root} {
			if err := bed.WriteWWW(name+".html", page); err != nil {
				b.Fatal(err)
			}
		}
		srcs = append(srcs, p)
	}
	for r := range repos {
		files := map[string]string{"go.mod": fmt.Sprintf("module example.org/r%d\n", r)}
		for i := range 50 {
			files[fmt.Sprintf("f%02d.go", i)] = fmt.Sprintf("package r\n\n// file %d of repository %d\n", i, r)
		}
		if _, err := bed.AddGitRepo(fmt.Sprintf("r%d", r), files); err != nil {
			b.Fatal(err)
		}
	}
	for _, jobs := range []int{1, 8} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			cloned := 0
			for b.Loop() {
				b.StopTimer()
				c, err := fetch.New(fetch.Options{
					Root:       b.TempDir(),
					Pwd:        b.TempDir(),
					CACertFile: bed.CACertFile,
					ConnectTo:  []string{"example.org:443:" + addr},
					Jobs:       jobs,
					Getenv:     func(string) string { return "" },
				})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				for _, r := range c.Get(b.Context(), srcs, fetch.SourceOptions{}) {
					switch r.Status {
					case fetch.StatusFetched:
						cloned++
					case fetch.StatusError:
						b.Fatalf("%s: %s", r.Source, r.Error)
					}
				}
			}
			b.ReportMetric(float64(cloned)/float64(b.N), "clones/op")
		})
	}
}
