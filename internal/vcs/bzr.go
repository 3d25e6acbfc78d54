package vcs

import (
	"errors"
	"strings"
)

// bzrParent reads the parent branch from "brz info": the configuration
// value itself may be relative to the branch.
func bzrParent(out string) (string, error) {
	for _, l := range lines(out) {
		if v, ok := strings.CutPrefix(l, "parent branch:"); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", errors.New("brz info shows no parent branch")
}
