// Package gogetter lets programs built on hashicorp/go-getter (v1) fetch Go
// import paths, vanity ones included, the way the Go command finds them.
//
// A Detector turns an import path such as example.org/pkg/sub@v1.2.0 into
// the go-getter URL of its repository,
// git::https://code.example/pkg.git//sub?ref=v1.2.0, by resolving it with
// the fetch library: the known hosting sites, .git/.hg qualified paths and
// <meta name="go-import"> discovery over HTTPS with prefix verification,
// GOPRIVATE, GOINSECURE and GOVCS honoured. go-getter's own git and hg
// getters then fetch that URL. Add it to a client's detectors with
// Detector.Insert, which places it before go-getter's FileDetector (that
// detector accepts every string, so a detector appended after it is never
// asked).
//
// A Getter serves the forced "go" getter, go::example.org/pkg@v1.2.0, for
// users who want a source read as an import path and nothing else: register
// it in the client's Getters under "go" (Detector.Getter).
//
// go-getter's Detector interface has no context, so each resolution is
// bounded by fetch.Options.SourceTimeout (DefaultTimeout when zero). An
// import path whose repository go-getter has no getter for (svn, bzr,
// fossil, or a go-import "mod" entry served only by a module proxy) is an
// *UnsupportedVCSError.
package gogetter
