package fetch

import "github.com/gofetch/fetch/detect"

// FormatVersion is the version of the JSON result shape.
const FormatVersion = 1

// Status says what is on disk for a source compared with what was asked:
// a Result's "status" field, in JSON the same string.
type Status string

// The statuses of a Result.
const (
	// StatusResolved: Resolve only; where the source would land, nothing
	// touched.
	StatusResolved Status = "resolved"
	// StatusPlanned: Get with DryRun; what would be fetched, nothing
	// written.
	StatusPlanned Status = "planned"
	// StatusFetched: the destination was empty and now holds what was
	// asked.
	StatusFetched Status = "fetched"
	// StatusExists: the destination already holds what was asked (or an
	// update left it as it is; Note says why).
	StatusExists Status = "exists"
	// StatusVerified: Verify found the checkout or download in the tree
	// exactly as its lock entry says.
	StatusVerified Status = "verified"
	// StatusUpdated: an update (SourceOptions.Update) moved a checkout
	// forward; PreviousCommit is where it was.
	StatusUpdated Status = "updated"
	// StatusInterrupted is a source whose work the context's end stopped
	// (Ctrl-C), or that had not started when it ended; not a failure of
	// the source itself. Nothing half-written is left.
	StatusInterrupted Status = "interrupted"
	// StatusError: the source failed; Error says why in one line and Err
	// is the error.
	StatusError Status = "error"
)

// Result is the outcome for one source. Its JSON form is the contract in
// README.md: fields are added, never renamed or removed.
type Result struct {
	FormatVersion int         `json:"format_version"`
	Source        string      `json:"source"`
	Kind          detect.Kind `json:"kind,omitempty"`
	ImportPath    string      `json:"import_path,omitempty"`
	Root          string      `json:"root,omitempty"`
	VCS           string      `json:"vcs,omitempty"`
	Repo          string      `json:"repo,omitempty"`
	Getter        string      `json:"getter,omitempty"`
	URL           string      `json:"url,omitempty"`
	Subdir        string      `json:"subdir,omitempty"`
	RepoSubdir    string      `json:"repo_subdir,omitempty"`
	Ref           string      `json:"ref,omitempty"`
	Dest          string      `json:"dest,omitempty"`
	Dir           string      `json:"dir,omitempty"`
	Commit        string      `json:"commit,omitempty"`
	// PreviousCommit is the commit an update (-u) moved the checkout
	// from; set only when the status is "updated".
	PreviousCommit string `json:"previous_commit,omitempty"`

	// Commits is how many commits an update (-u) brought in, from
	// PreviousCommit to Commit; set only when the status is "updated",
	// for git and hg (svn, bzr and fossil have no cheap count).
	Commits int `json:"commits,omitempty"`

	Version  string `json:"version,omitempty"`
	Checksum string `json:"checksum,omitempty"`
	// SumDB names the checksum database that vouched for Checksum, the
	// h1: hash of a module fetched through a module proxy (--proxy);
	// empty when none was asked (GOSUMDB=off, GONOSUMDB, GOPRIVATE).
	SumDB  string `json:"sumdb,omitempty"`
	Status Status `json:"status"`
	Error  string `json:"error,omitempty"`
	// Note says, in words, why an existing destination was left as it
	// is: "up to date" after an update (-u) found nothing new, or
	// "pinned at v1.0.0 (left as it is)" for a checkout at a tag or
	// commit that an update without a ref does not move.
	Note     string `json:"note,omitempty"`
	Requests int    `json:"requests,omitempty"`

	// Err is the error Error reports (credentials redacted from its
	// text), for errors.Is and errors.As: a *LoginError, *NoTagError,
	// *PlainHTTPError, *LimitError, ErrSourceTimeout or a TLS certificate
	// error say what to do about it. It is set whenever Status is
	// "error", and is not part of the JSON.
	Err error `json:"-"`
}
