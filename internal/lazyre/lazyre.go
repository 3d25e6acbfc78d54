// Package lazyre holds regular expressions that are compiled at their
// first use instead of when their package is initialised. A fetch process
// runs every package's initialisers before main, so a package-level
// regexp.MustCompile costs every run, including those (fetch resolve of a
// known host) that never reach the code using it (issue 15).
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled on first use. Like
// regexp.MustCompile, it panics if the expression does not compile, at
// that first use. It is safe for concurrent use.
type Regexp struct {
	expr string
	re   func() *regexp.Regexp
}

// New returns a Regexp for expr.
func New(expr string) *Regexp {
	return &Regexp{expr: expr, re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// Re returns the compiled expression.
func (r *Regexp) Re() *regexp.Regexp { return r.re() }

// String returns the expression's source text.
func (r *Regexp) String() string { return r.expr }

// MatchString is regexp.Regexp's MatchString.
func (r *Regexp) MatchString(s string) bool { return r.re().MatchString(s) }

// FindStringSubmatch is regexp.Regexp's FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.re().FindStringSubmatch(s) }

// ReplaceAllString is regexp.Regexp's ReplaceAllString.
func (r *Regexp) ReplaceAllString(src, repl string) string { return r.re().ReplaceAllString(src, repl) }

// SubexpNames is regexp.Regexp's SubexpNames.
func (r *Regexp) SubexpNames() []string { return r.re().SubexpNames() }
