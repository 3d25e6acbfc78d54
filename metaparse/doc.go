// Package metaparse reads go-import and go-source meta tags from HTML pages.
//
// Parse reads a page exactly as the Go command does (encoding/xml in
// non-strict mode, raw tokens, stopping at <body> or </head>) and also
// reports every tag it skipped and why. ParseLenient reads the same page the
// way a browser would (golang.org/x/net/html), and Explain says, for every
// go-import tag a browser sees but the Go command does not use, why not and
// how to fix the page; the two readings are tied together by the tags' byte
// offsets. Match chooses the tag for an import path with the Go command's
// rules and error texts.
package metaparse
