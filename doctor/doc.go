// Package doctor diagnoses a vanity import setup: everything a client needs
// to resolve an import path through its go-import page, checked stage by
// stage as a client meets it (the path, DNS, TCP and TLS, the HTTP
// exchange, the page as the Go command and a browser read it, the tag, the
// agreement of the pages around it, the repository, caching and
// environment advice), with one Finding per problem and a fix for each.
// `fetch doctor` prints a Report.
//
// Check looks through the same client fetch resolves with: pages are read
// by the resolution code's reader (internal/discovery) over its web client
// (connect-to rules, CA files, proxies, GOAUTH and netrc logins), and the
// repository is reached through the hardened, prompt-free VCS runner. It
// downloads nothing into any tree.
//
// Finding IDs are stable, and a Finding's JSON form is part of fetch's
// contract: fields are added, never renamed or removed.
package doctor
