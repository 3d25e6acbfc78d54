// Package fetch resolves sources (Go import paths with go-import discovery,
// and go-getter style sources) and fetches them into a GOPATH-style tree.
//
// It owns the network, the version control commands and the tree. It never
// prints: callers receive Results, which mirror the JSON contract, and a
// stream of trace Events through a callback.
package fetch
