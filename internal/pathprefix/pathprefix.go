// Package pathprefix holds the Go command's rule for "prefix names whole
// path elements of s" (cmd/go/internal/str.HasPathPrefix), which the static
// import-path table, go-import tag matching and fetch doctor all use.
package pathprefix

// Has reports whether prefix is s, or a prefix of s ending at a "/" (either
// the last byte of prefix or the byte after it in s). The empty prefix is a
// prefix of everything.
func Has(s, prefix string) bool {
	switch {
	case len(s) == len(prefix):
		return s == prefix
	case prefix == "":
		return true
	case len(s) > len(prefix):
		return (prefix[len(prefix)-1] == '/' || s[len(prefix)] == '/') && s[:len(prefix)] == prefix
	}
	return false
}
