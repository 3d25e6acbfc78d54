package fetch

// FormatVersion is the version of the JSON result shape.
const FormatVersion = 1

// Status values of a Result.
const (
	StatusResolved = "resolved"
	StatusFetched  = "fetched"
	StatusUpdated  = "updated"
	StatusExists   = "exists"
	StatusPlanned  = "planned"
	StatusError    = "error"
	// StatusInterrupted is a source whose work the context's end stopped
	// (Ctrl-C), or that had not started when it ended; not a failure of
	// the source itself.
	StatusInterrupted = "interrupted"
)

// Result is the outcome for one source. Its JSON form is the contract in
// README.md: fields are added, never renamed or removed.
type Result struct {
	FormatVersion int    `json:"format_version"`
	Source        string `json:"source"`
	Kind          string `json:"kind,omitempty"`
	ImportPath    string `json:"import_path,omitempty"`
	Root          string `json:"root,omitempty"`
	VCS           string `json:"vcs,omitempty"`
	Repo          string `json:"repo,omitempty"`
	Getter        string `json:"getter,omitempty"`
	URL           string `json:"url,omitempty"`
	Subdir        string `json:"subdir,omitempty"`
	RepoSubdir    string `json:"repo_subdir,omitempty"`
	Ref           string `json:"ref,omitempty"`
	Dest          string `json:"dest,omitempty"`
	Dir           string `json:"dir,omitempty"`
	Commit        string `json:"commit,omitempty"`
	// PreviousCommit is the commit an update (-u) moved the checkout
	// from; set only when the status is "updated".
	PreviousCommit string `json:"previous_commit,omitempty"`

	// Commits is how many commits an update (-u) brought in, from
	// PreviousCommit to Commit; set only when the status is "updated",
	// for git and hg (svn, bzr and fossil have no cheap count).
	Commits int `json:"commits,omitempty"`

	Version  string `json:"version,omitempty"`
	Checksum string `json:"checksum,omitempty"`
	Status   string `json:"status"`
	Error    string `json:"error,omitempty"`
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
