package lazyre

import (
	"sync"
	"testing"
)

func TestRegexpCompilesOnFirstUseOnce(t *testing.T) {
	r := New(`^a(?P<rest>b+)$`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !r.MatchString("abb") {
				t.Error("MatchString(abb) = false")
			}
		}()
	}
	wg.Wait()
	if a, b := r.Re(), r.Re(); a != b {
		t.Error("Re() compiled twice")
	}
	if m := r.FindStringSubmatch("abbb"); len(m) != 2 || m[1] != "bbb" {
		t.Errorf("FindStringSubmatch = %q", m)
	}
	if got := r.SubexpNames(); len(got) != 2 || got[1] != "rest" {
		t.Errorf("SubexpNames = %q", got)
	}
	if got := r.ReplaceAllString("abb", "x"); got != "x" {
		t.Errorf("ReplaceAllString = %q", got)
	}
}

func TestRegexpPanicsAtFirstUseOnly(t *testing.T) {
	r := New(`(`) // New itself must not compile
	defer func() {
		if recover() == nil {
			t.Error("a bad expression did not panic at its first use")
		}
	}()
	r.MatchString("x")
}
