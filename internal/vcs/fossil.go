package vcs

import (
	"errors"
	"strings"
)

// fossilEnv gives fossil a user name when the environment has none:
// fossil refuses to update a checkout without one.
func fossilEnv(r *Runner, env []string) []string {
	for _, k := range []string{"FOSSIL_USER", "USER", "LOGNAME", "USERNAME"} {
		if v, _ := getEnv(env, k); v != "" {
			return env
		}
	}
	return setEnv(env, "FOSSIL_USER", "fetch")
}

// fossilCheckout reads the checked-out commit from "fossil info":
// "checkout:     <hash> <date> UTC".
func fossilCheckout(out string) (string, error) {
	for _, l := range lines(out) {
		if v, ok := strings.CutPrefix(l, "checkout:"); ok {
			if f := strings.Fields(v); len(f) > 0 {
				return f[0], nil
			}
		}
	}
	return "", errors.New("fossil info shows no checkout line")
}

// fossilRemote reads "fossil remote", which prints "off" when there is
// no remote.
func fossilRemote(out string) (string, error) {
	if out == "off" {
		return "", errors.New("the repository has no remote")
	}
	return out, nil
}
