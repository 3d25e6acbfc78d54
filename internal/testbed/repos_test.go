package testbed

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestRepoSetAdd(t *testing.T) {
	failed := errors.New("init failed")
	tests := []struct {
		name      string
		first     error // what the first add's create returns
		wantErr   string
		wantFound string // which add's repository get returns afterwards
	}{
		{"a second add of a name made once is refused, naming the VCS and the name", nil, "testbed: svn repository org/proj already exists", "first"},
		{"a name whose create failed is free for another add", failed, "", "second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s repoSet[*string]
			first, second := "first", "second"
			if err := s.add("svn", "org/proj", &first, func() error { return tt.first }); err != tt.first {
				t.Fatalf("first add: %v, want %v", err, tt.first)
			}
			ran := false
			err := s.add("svn", "org/proj", &second, func() error { ran = true; return nil })
			if tt.wantErr == "" {
				if err != nil || !ran {
					t.Errorf("second add: err %v, create ran %t; want it to run and succeed", err, ran)
				}
			} else if err == nil || err.Error() != tt.wantErr || ran {
				t.Errorf("second add: err %v, create ran %t; want %q without running create", err, ran, tt.wantErr)
			}
			if got := s.get("org/proj"); got == nil || *got != tt.wantFound {
				t.Errorf("get after both adds: %v, want the %s add's repository", got, tt.wantFound)
			}
			if got := s.get("other"); got != nil {
				t.Errorf("get of a name never added: %v, want nil", *got)
			}
		})
	}
}

func TestRepoSetAddsOneOfConcurrentCallers(t *testing.T) {
	var s repoSet[int]
	var wg sync.WaitGroup
	var mu sync.Mutex
	made := 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.add("hg", "same", i, func() error { return nil }) == nil {
				mu.Lock()
				made++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if made != 1 {
		t.Errorf("%d of 8 concurrent adds of one name succeeded, want 1", made)
	}
}

func TestSeedRepo(t *testing.T) {
	tests := []struct {
		name      string
		tags      []string
		failOn    string // the step that fails: "commit", a tag name, or none
		wantSteps []string
		wantErr   bool
	}{
		{"the initial commit comes before each tag in order", []string{"v1", "v2"}, "", []string{"commit initial commit", "tag v1", "tag v2"}, false},
		{"no tags means only the initial commit", nil, "", []string{"commit initial commit"}, false},
		{"a failed commit stops before any tag", []string{"v1"}, "commit", []string{"commit initial commit"}, true},
		{"a failed tag stops the tags after it", []string{"v1", "v2", "v3"}, "v2", []string{"commit initial commit", "tag v1", "tag v2"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var steps []string
			files := map[string]string{"f": "x"}
			commit := func(got map[string]string, msg string) (string, error) {
				if !reflect.DeepEqual(got, files) {
					t.Errorf("commit of %v, want %v", got, files)
				}
				steps = append(steps, "commit "+msg)
				if tt.failOn == "commit" {
					return "", errors.New("commit failed")
				}
				return "hash", nil
			}
			tag := func(name string) (string, error) {
				steps = append(steps, "tag "+name)
				if name == tt.failOn {
					return "", fmt.Errorf("tag %s failed", name)
				}
				return "hash", nil
			}
			err := seedRepo(files, tt.tags, commit, tag)
			if (err != nil) != tt.wantErr || (err != nil && !strings.Contains(err.Error(), tt.failOn)) {
				t.Errorf("seedRepo: %v, want an error: %t (from %q)", err, tt.wantErr, tt.failOn)
			}
			if !reflect.DeepEqual(steps, tt.wantSteps) {
				t.Errorf("steps %q, want %q", steps, tt.wantSteps)
			}
		})
	}
}
