package testbed

import (
	"fmt"
	"sync"
)

// repoSet holds the repositories a server has made, by name. Its zero value
// is empty and ready to use.
type repoSet[R any] struct {
	mu sync.Mutex
	m  map[string]R
}

// add claims name for r before running create, so that two callers cannot
// make the same repository at once, and frees it again if create fails.
// kind ("git", "svn", ...) names the VCS in the error for a taken name.
func (s *repoSet[R]) add(kind, name string, r R, create func() error) error {
	s.mu.Lock()
	_, taken := s.m[name]
	if !taken {
		if s.m == nil {
			s.m = make(map[string]R)
		}
		s.m[name] = r
	}
	s.mu.Unlock()
	if taken {
		return fmt.Errorf("testbed: %s repository %s already exists", kind, name)
	}
	if err := create(); err != nil {
		s.mu.Lock()
		delete(s.m, name)
		s.mu.Unlock()
		return err
	}
	return nil
}

// get returns the repository add made under name, or the zero R.
func (s *repoSet[R]) get(name string) R {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[name]
}

// seedRepo gives a freshly initialised repository its first commit, holding
// exactly files, and tags that commit with each of tags.
func seedRepo(files map[string]string, tags []string, commit func(files map[string]string, msg string) (string, error), tag func(name string) (string, error)) error {
	if _, err := commit(files, "initial commit"); err != nil {
		return err
	}
	for _, t := range tags {
		if _, err := tag(t); err != nil {
			return err
		}
	}
	return nil
}
