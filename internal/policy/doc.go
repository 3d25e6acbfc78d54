// Package policy holds the Go command's environment policy as pure
// functions: which version control systems GOVCS allows for a repository
// root, which paths GOPRIVATE, GOINSECURE and GONOSUMDB cover,
// and which URL schemes count as secure for a version control system.
//
// Nothing here reads the process environment: callers pass the values in
// (see FromEnviron), so the same rules can be evaluated for any setting.
package policy
