package web

import "fmt"

// InsecureRedirectError is a redirect from https to another scheme,
// refused in SecureOnly mode. Its text is the Go command's.
type InsecureRedirectError struct {
	// From is the URL that redirected, To where it sent the client;
	// both redacted.
	From, To string
}

// Error returns the Go command's text.
func (e *InsecureRedirectError) Error() string {
	return fmt.Sprintf("redirected from secure URL %s to insecure URL %s", e.From, e.To)
}
