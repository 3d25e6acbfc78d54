package fetch

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestHostSchedulerSharesJobs drives the scheduler through a script of
// "next" (a job is free) and "done N" (the group at input index N is
// finished) and checks which groups it hands out, in order.
func TestHostSchedulerSharesJobs(t *testing.T) {
	tests := []struct {
		name  string
		hosts []string // the host of each group, in input order
		steps []string
		want  []int // input index of each group handed out; -1 for none
	}{
		{
			name:  "a single host gets every free job, in input order",
			hosts: []string{"a", "a", "a", "a"},
			steps: []string{"next", "next", "next"},
			want:  []int{0, 1, 2},
		},
		{
			name:  "a host first in the input shares the jobs with a host after it",
			hosts: []string{"a", "a", "a", "a", "b", "b"},
			steps: []string{"next", "next", "next", "next"},
			want:  []int{0, 4, 1, 5},
		},
		{
			name:  "a slow host keeps only its share while another host's groups finish",
			hosts: []string{"a", "a", "a", "a", "b", "b", "b", "b"},
			steps: []string{"next", "next", "next", "next", "done 4", "next", "done 5", "next", "done 6", "next"},
			want:  []int{0, 4, 1, 5, 6, 7, 2},
		},
		{
			name:  "a host left alone takes the jobs the others no longer need",
			hosts: []string{"a", "a", "a", "b"},
			steps: []string{"next", "next", "done 3", "next", "next"},
			want:  []int{0, 3, 1, 2},
		},
		{
			name:  "three hosts split the jobs evenly",
			hosts: []string{"a", "a", "b", "b", "c", "c"},
			steps: []string{"next", "next", "next", "next", "next", "next"},
			want:  []int{0, 2, 4, 1, 3, 5},
		},
		{
			name:  "nothing is handed out once every group has been",
			hosts: []string{"a"},
			steps: []string{"next", "next"},
			want:  []int{0, -1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			groups := make([]*group, len(tt.hosts))
			index := map[*group]int{}
			for i, h := range tt.hosts {
				groups[i] = &group{host: h}
				index[groups[i]] = i
			}
			s := newHostScheduler(groups)
			var got []int
			for _, step := range tt.steps {
				if n, ok := strings.CutPrefix(step, "done "); ok {
					i, err := strconv.Atoi(n)
					if err != nil {
						t.Fatalf("bad step %q", step)
					}
					s.done(groups[i])
					continue
				}
				g := s.next()
				if g == nil {
					got = append(got, -1)
					continue
				}
				got = append(got, index[g])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("groups handed out: %v, want %v", got, tt.want)
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
