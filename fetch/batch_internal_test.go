package fetch

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gofetch/fetch/detect"
)

// TestBatchSchedule drives the batch state through a script, as workers
// would, and checks what it tells them to do. Steps: "next" (a worker is
// free: the answer is "resolve I", "fetch DEST", "wait" or "exit"),
// "resolved I" (source I is resolved; a source without a destination
// failed) and "take DEST" (the worker fetching DEST's group asks for its
// next source: "member I" or "released").
func TestBatchSchedule(t *testing.T) {
	type src struct{ dest, host string }
	tests := []struct {
		name  string
		srcs  []src
		steps []string
		want  []string
	}{
		{
			name:  "a group waits until every source before it is resolved",
			srcs:  []src{{"a", "h"}, {"b", "h"}},
			steps: []string{"next", "next", "resolved 1", "next", "resolved 0", "next", "next"},
			want:  []string{"resolve 0", "resolve 1", "wait", "fetch a", "fetch b"},
		},
		{
			name:  "fetching a ready group comes before resolving more sources",
			srcs:  []src{{"a", "h"}, {"b", "h"}, {"c", "h"}},
			steps: []string{"next", "resolved 0", "next", "next"},
			want:  []string{"resolve 0", "fetch a", "resolve 1"},
		},
		{
			name: "the sources of one destination run one by one in input order",
			srcs: []src{{"a", "h"}, {"a", "h"}, {"b", "h"}, {"a", "h"}},
			steps: []string{"next", "next", "next", "next", "resolved 3", "resolved 1", "resolved 0",
				"next", "take a", "take a", "take a", "resolved 2", "next", "next", "take a", "take a"},
			want: []string{"resolve 0", "resolve 1", "resolve 2", "resolve 3",
				"fetch a", "member 0", "member 1", "released", "fetch b", "fetch a", "member 3", "released"},
		},
		{
			name:  "a source resolved after its destination's group finished gets a new group",
			srcs:  []src{{"a", "h"}, {"a", "h"}},
			steps: []string{"next", "resolved 0", "next", "take a", "take a", "next", "resolved 1", "next", "take a", "take a"},
			want:  []string{"resolve 0", "fetch a", "member 0", "released", "resolve 1", "fetch a", "member 1", "released"},
		},
		{
			name:  "a failed source joins no group and holds back no later one",
			srcs:  []src{{"", "h"}, {"b", "h"}},
			steps: []string{"next", "next", "resolved 1", "next", "resolved 0", "next", "next"},
			want:  []string{"resolve 0", "resolve 1", "wait", "fetch b", "exit"},
		},
		{
			name: "a host first in the input shares the workers with a host after it",
			srcs: []src{{"x1", "x"}, {"x2", "x"}, {"x3", "x"}, {"y1", "y"}, {"y2", "y"}},
			steps: []string{"next", "next", "next", "next", "next",
				"resolved 0", "resolved 1", "resolved 2", "resolved 3", "resolved 4", "next", "next", "next", "next"},
			want: []string{"resolve 0", "resolve 1", "resolve 2", "resolve 3", "resolve 4",
				"fetch x1", "fetch y1", "fetch x2", "fetch y2"},
		},
		{
			name: "a slow host keeps only its share while the other host's groups finish",
			srcs: []src{{"x1", "x"}, {"x2", "x"}, {"x3", "x"}, {"y1", "y"}, {"y2", "y"}},
			steps: []string{"next", "next", "next", "next", "next",
				"resolved 0", "resolved 1", "resolved 2", "resolved 3", "resolved 4",
				"next", "next", "take y1", "take y1", "next", "take y2", "take y2", "next", "next"},
			want: []string{"resolve 0", "resolve 1", "resolve 2", "resolve 3", "resolve 4",
				"fetch x1", "fetch y1", "member 3", "released", "fetch y2", "member 4", "released", "fetch x2", "fetch x3"},
		},
		{
			name:  "workers stop once every source is resolved and every group handed out",
			srcs:  []src{{"a", "h"}},
			steps: []string{"next", "next", "resolved 0", "next", "next"},
			want:  []string{"resolve 0", "wait", "fetch a", "exit"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBatch(len(tt.srcs))
			held := map[string]*group{}
			var got []string
			for _, step := range tt.steps {
				verb, arg, _ := strings.Cut(step, " ")
				switch verb {
				case "next":
					a := b.next()
					switch a.kind {
					case actResolve:
						got = append(got, fmt.Sprintf("resolve %d", a.index))
					case actFetch:
						held[a.group.dest] = a.group
						got = append(got, "fetch "+a.group.dest)
					case actWait:
						got = append(got, "wait")
					case actExit:
						got = append(got, "exit")
					}
				case "resolved":
					i, err := strconv.Atoi(arg)
					if err != nil {
						t.Fatalf("bad step %q", step)
					}
					var res *resolved
					if s := tt.srcs[i]; s.dest != "" {
						res = &resolved{
							rr:     &detect.RepoRoot{Repo: "https://" + s.host + "/repo"},
							result: Result{Dest: s.dest},
						}
					}
					b.resolved(i, res)
				case "take":
					if m, ok := b.take(held[arg]); ok {
						got = append(got, fmt.Sprintf("member %d", m.index))
					} else {
						got = append(got, "released")
					}
				default:
					t.Fatalf("bad step %q", step)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestRepoHost(t *testing.T) {
	tests := []struct {
		name, repo, want string
	}{
		{"an https URL names its host", "https://git.example.org/x/y.git", "git.example.org"},
		{"a port keeps servers on one address apart", "https://127.0.0.1:8443/r.git", "127.0.0.1:8443"},
		{"host names differing only in case are one host", "https://Git.Example.ORG/x", "git.example.org"},
		{"an ssh URL with a user names its host", "ssh://git@code.example/x.git", "code.example"},
		{"an scp-style address names its host", "git@code.example:x/y.git", "code.example"},
		{"a getter URL with a query names its host", "https://dl.example/a.tar.gz?checksum=sha256:00", "dl.example"},
		{"a local file URL has no host", "file:///srv/repo", ""},
		{"a plain path has no host", "/srv/repo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := repoHost(tt.repo); got != tt.want {
				t.Errorf("repoHost(%q) = %q, want %q", tt.repo, got, tt.want)
			}
		})
	}
}

func TestInOrderEmitsInInputOrder(t *testing.T) {
	tests := []struct {
		name     string
		arrivals []int   // input indexes in the order their results arrive
		want     [][]int // what has been emitted after each arrival
	}{
		{"results arriving in order are emitted at once", []int{0, 1, 2}, [][]int{{0}, {0, 1}, {0, 1, 2}}},
		{"a late first result holds back the ones after it", []int{2, 1, 0}, [][]int{nil, nil, {0, 1, 2}}},
		{"a gap releases what follows it once filled", []int{0, 2, 1}, [][]int{{0}, {0}, {0, 1, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var emitted []int
			o := newInOrder(len(tt.arrivals), func(r Result) {
				i, _ := strconv.Atoi(strings.TrimPrefix(r.Source, "s"))
				emitted = append(emitted, i)
			})
			for k, i := range tt.arrivals {
				o.set(i, Result{Source: fmt.Sprintf("s%d", i)})
				if !slices.Equal(emitted, tt.want[k]) {
					t.Errorf("after result %d arrived, emitted %v, want %v", i, emitted, tt.want[k])
				}
			}
			for i, r := range o.results {
				if r.Source != fmt.Sprintf("s%d", i) {
					t.Errorf("results[%d] is %q", i, r.Source)
				}
			}
		})
	}
}
