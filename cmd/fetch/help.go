package main

// sourcesHelp teaches the source grammar; it is shown by `fetch --help`,
// `fetch get --help` and `fetch resolve --help`.
const sourcesHelp = `SOURCES
   A source is read in this order:
     1. NAME::rest        forced getter: git:: hg:: http:: https:: file:: s3:: gcs::
     2. URL with scheme   https://, ssh://, git://, file://, s3://, gs://, ...
     3. local path        ./x, ../x, /abs, ~/x
     4. scp-style         git@host:path (git over ssh)
     5. Go import path    example.org/pkg/foo, resolved as the Go command does:
                          known hosts (github.com, bitbucket.org, ...),
                          .git/.hg/.svn/.bzr/.fossil qualified paths, then
                          <meta name="go-import"> discovery over https.

   Every style accepts go-getter's extras:
     //subdir             a subdirectory of what is fetched (globs allowed)
     ?ref=REF             branch, tag or commit (git); ?rev=REV for hg
     ?depth=N             shallow clone
     ?sshkey=BASE64       private key for git over ssh
     ?checksum=[md5|sha1|sha256|sha512:]HEX or file:URL
     ?archive=false|zip|tar.gz|...   ?filename=NAME
   An import path also accepts @REF: example.org/pkg/foo@v1.2.0

   Sources land in ROOT/src/<path>: the repository root's import path for
   import paths, host/path of the URL for the others. ROOT is --root, else
   $FETCH_ROOT, else the first $GOPATH entry, else $HOME/go.

EXAMPLES
   fetch golang.org/x/tools                 discover and clone into the tree
   fetch resolve --json example.org/pkg/foo where would it come from?
   fetch resolve -v example.org/pkg/foo     show every discovery step
   fetch 'git::https://code.example/r.git//sub?ref=v1.2.0'
   fetch 'https://files.example/tool.tar.gz?checksum=sha256:4f1c...'
   fetch -u -f deps.txt                     update everything listed in a file
   fetch doctor example.org/pkg             diagnose a vanity import server

ENVIRONMENT
   FETCH_ROOT, GOPATH, HOME   where the tree is (see above)
   GOINSECURE, GOPRIVATE, GOVCS   as for the Go command
   NETRC                      logins for https meta pages and git (default ~/.netrc)
   SSL_CERT_FILE              extra trusted CA certificates (like --cacert)
   FETCH_CACHE                discovery answer cache directory; "off" disables it
                              (answers are kept only as long as the server's
                              Cache-Control allows, at most a day; --refresh
                              asks again)
   GIT_SSH_COMMAND            kept; fetch adds -o BatchMode=yes

EXIT STATUS
   0 every source succeeded, 1 any source failed (each failure is reported),
   2 usage error.
`
