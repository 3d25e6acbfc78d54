// Package goenv reads the Go environment file that `go env -w` writes
// ($GOENV, by default go/env in the user's configuration directory), so
// that fetch follows the settings a Go developer made once for every Go
// tool, without running the go command.
//
// The precedence is the Go command's: a variable set (non-empty) in the
// process environment wins over the file, and the file over the
// built-in default. GOENV=off reads no file. Only the Go variables fetch
// uses are looked up in the file (see Vars); everything else comes from
// the process environment alone.
package goenv

import (
	"bytes"
	"os"
	"runtime"
)

// Vars lists the variables fetch takes from the Go environment file when
// the process environment leaves them empty.
var Vars = []string{
	"GOPATH", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE",
	"GOVCS", "GOPROXY", "GOSUMDB", "GOAUTH",
}

// Env is the process environment with the Go environment file behind it.
type Env struct {
	getenv func(string) string
	file   string            // the file read; "" when none
	vals   map[string]string // its settings
}

// Load reads the Go environment file named by getenv (the process
// environment, or a test's map; nil means os.Getenv). A missing or
// unreadable file supplies nothing, as for the Go command.
func Load(getenv func(string) string) *Env {
	if getenv == nil {
		getenv = os.Getenv
	}
	e := &Env{getenv: getenv, file: File(runtime.GOOS, getenv)}
	if e.file != "" {
		if data, err := os.ReadFile(e.file); err == nil {
			e.vals = Parse(data)
		}
	}
	return e
}

// Lookup returns a getenv function that reads the process environment
// through getenv and, for the variables in Vars, the Go environment file
// behind it.
func Lookup(getenv func(string) string) func(string) string {
	return Load(getenv).Getenv
}

// Getenv returns the value of key: the process environment's when it is
// not empty, else, for a variable in Vars, the Go environment file's.
func (e *Env) Getenv(key string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	if !isVar(key) {
		return ""
	}
	return e.vals[key]
}

// Source says where Getenv(key) comes from: "environment", the Go
// environment file's path, or "" when the variable is not set.
func (e *Env) Source(key string) string {
	switch {
	case e.getenv(key) != "":
		return "environment"
	case isVar(key) && e.vals[key] != "":
		return e.file
	}
	return ""
}

// FileName is the Go environment file read; "" when none (GOENV=off or
// no configuration directory).
func (e *Env) FileName() string { return e.file }

func isVar(key string) bool {
	for _, v := range Vars {
		if v == key {
			return true
		}
	}
	return false
}

// File returns the Go environment file for the operating system goos:
// $GOENV, "" when GOENV is off, else go/env in the user's configuration
// directory (ConfigDir), else "".
func File(goos string, getenv func(string) string) string {
	switch f := getenv("GOENV"); f {
	case "off":
		return ""
	case "":
	default:
		return f
	}
	dir := ConfigDir(goos, getenv)
	if dir == "" {
		return ""
	}
	sep := "/"
	if goos == "windows" {
		sep = `\`
	}
	return dir + sep + "go" + sep + "env"
}

// ConfigDir is os.UserConfigDir's rule for goos, read through getenv:
// %AppData% on Windows, $HOME/Library/Application Support on darwin and
// ios, $home/lib on Plan 9, else $XDG_CONFIG_HOME when it is absolute,
// else $HOME/.config. It returns "" when the variable it needs is unset
// (or XDG_CONFIG_HOME is relative), as os.UserConfigDir fails then.
func ConfigDir(goos string, getenv func(string) string) string {
	var base, suffix string
	switch goos {
	case "windows":
		base = getenv("AppData")
	case "darwin", "ios":
		base, suffix = getenv("HOME"), "/Library/Application Support"
	case "plan9":
		base, suffix = getenv("home"), "/lib"
	default:
		if x := getenv("XDG_CONFIG_HOME"); x != "" {
			if x[0] != '/' {
				return ""
			}
			return x
		}
		base, suffix = getenv("HOME"), "/.config"
	}
	if base == "" {
		return ""
	}
	return base + suffix
}

// Parse reads a Go environment file as the Go command does: one KEY=VALUE
// per line, split at the first '='; lines without '=' or whose first byte
// is not an upper-case ASCII letter (comments, blank lines) are ignored;
// the value is kept as written (no quotes removed, no trimming, a "\r" of
// a CRLF line included); a later line for a key wins.
func Parse(data []byte) map[string]string {
	vals := map[string]string{}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		key, val, ok := bytes.Cut(line, []byte("="))
		if !ok || len(key) == 0 || key[0] < 'A' || key[0] > 'Z' {
			continue
		}
		vals[string(key)] = string(val)
	}
	return vals
}
