package download

// SourceError is an error of one download, naming its source (credentials
// redacted). A caller that already names the source, such as fetch's
// one-line result, shows Err alone so that the cause comes first.
type SourceError struct {
	// Source is the source as the download shows it, redacted.
	Source string
	// Err is the cause.
	Err error
}

// Error returns "source SOURCE: CAUSE".
func (e *SourceError) Error() string { return "source " + e.Source + ": " + e.Err.Error() }

// Unwrap returns the cause, for errors.Is and errors.As.
func (e *SourceError) Unwrap() error { return e.Err }

// sourceError wraps err with the source it happened to.
func sourceError(shown string, err error) error {
	return &SourceError{Source: shown, Err: err}
}
