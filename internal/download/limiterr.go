package download

import "fmt"

// Limit names one of the Limits, so that a caller can say how to raise
// the one an error hit.
type Limit int

// The Limits, as LimitError names them.
const (
	// LimitDownload is MaxBytes: the size of a download.
	LimitDownload Limit = iota + 1
	// LimitFiles is MaxFiles: the entries of an archive or local directory.
	LimitFiles
	// LimitExtracted is MaxExtractedBytes: the bytes extracted or copied.
	LimitExtracted
	// LimitRatio is MaxExpansionRatio: bytes extracted per byte of archive.
	LimitRatio
)

// limitNames are the generic words an error uses for each Limit.
var limitNames = map[Limit]string{
	LimitDownload:  "the download size limit",
	LimitFiles:     "the file count limit",
	LimitExtracted: "the extracted size limit",
	LimitRatio:     "the expansion ratio limit",
}

// String returns the limit in words: "the download size limit".
func (l Limit) String() string {
	if s, ok := limitNames[l]; ok {
		return s
	}
	return fmt.Sprintf("limit %d", int(l))
}

// LimitError is a download, archive or copy stopped by one of the Limits.
// It wraps ErrLimit, and ErrExpansionRatio for LimitRatio. Its text says
// what went over which limit, naming the limit in words, not as a field.
type LimitError struct {
	// Limit is the limit that was hit; Max its value.
	Limit Limit
	Max   int64
	// What says what went over it ("archive has more than 3 entries").
	What string
}

// Error returns What and the limit's name.
func (e *LimitError) Error() string { return e.What + " (" + e.Limit.String() + ")" }

// Unwrap returns ErrExpansionRatio for LimitRatio, else ErrLimit.
func (e *LimitError) Unwrap() error {
	if e.Limit == LimitRatio {
		return ErrExpansionRatio
	}
	return ErrLimit
}

// limitError builds a *LimitError whose What is the formatted text.
func limitError(l Limit, max int64, format string, args ...any) error {
	return &LimitError{Limit: l, Max: max, What: fmt.Sprintf(format, args...)}
}
