// Package detect turns a source string into a normalized Source without any
// I/O: go-getter's grammar (forced getters, detectors, //subdir, query
// options) and the Go command's static import-path rules (known hosting
// sites and VCS-qualified paths). Sources that need network discovery are
// reported as import paths with no static RepoRoot.
//
// The only file system access is go-getter's own: when a relative local path
// is resolved and the working directory is itself a symbolic link, the link
// is evaluated (os.Lstat, filepath.EvalSymlinks).
//
// # Two layers
//
// ForcedGetter, SourceDirSubdir and GetterDetect reproduce go-getter
// v1.8.10's getForcedGetter, SourceDirSubdir and Detect with its default
// detectors, quirks included (a "/" inside a ref of a GitHub shorthand is
// split as a path, the scp detector re-encodes the query, a glob in a GitHub
// shorthand's extra path comes out double-escaped). The one difference:
// bitbucket.org shorthands never call Bitbucket's API; they always become
// git::https://bitbucket.org/OWNER/REPO.git, with further path elements as a
// subdirectory, as for GitHub.
//
// Parse applies the grammar of the interface contract on top, in this order:
// forced getter, URL with a scheme, local path, scp-style, import path.
//
// # Where Parse deliberately differs from go-getter
//
//   - A bare github.com/o/r, gitlab.com/o/r or bitbucket.org/o/r is a Go import
//     path (the Go command's static table or meta discovery), not a git
//     shorthand. Hosts ending in .amazonaws.com or .googleapis.com keep
//     go-getter's S3 and GCS meaning, because an import path there is
//     meaningless and go-getter's reading is what their users expect.
//   - Any bare example.org/x is an import path; go-getter would read it as a
//     local file. A first element without a dot (foo/bar) is an error: local
//     paths must be written ./foo/bar, ../x, /x or ~/x.
//   - scp-style user@host:path means git over ssh for every user, not only
//     "git" (go-getter turns bob@host:repo into a local file path).
//   - host:path without a user, and any other scheme without "//", is an
//     error instead of a scheme named after the host.
//   - ssh:// and git+ssh:// URLs use the git getter (go-getter v1 has no ssh
//     getter); s3://BUCKET/KEY and gs://BUCKET/OBJECT are rewritten to the
//     https forms go-getter's S3 and GCS getters read (s3://...?region=R uses
//     the s3-R.amazonaws.com endpoint). Other schemes without a forced getter
//     are errors.
//   - A forced getter in front of something that is neither a URL, a local path
//     written as one, scp-style, nor a known shorthand is an error: go-getter
//     would silently read git::example.org/x as the local file ./example.org/x.
//   - The query and //subdir are kept as the user wrote them: the query is
//     split off before detection and re-attached, so a GitHub shorthand's
//     ?ref=feature/x stays intact and globs are not escaped. go-getter
//     re-encodes the query itself at get time.
//   - Options are checked at parse time: refs, revs and subdirectories may not
//     start with "-"; subdir and filename may not contain a ".." element;
//     depth is a non-negative integer; archive is a known archive type or a
//     false value; ref, rev, depth, sshkey, checksum, archive and filename
//     may each appear once.
//   - A relative local path needs an absolute working directory.
//
// Windows drive-letter paths are not handled specially.
package detect
