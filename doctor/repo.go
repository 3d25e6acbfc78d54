package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/internal/pathprefix"

	"github.com/gofetch/fetch/internal/netrc"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/metaparse"
	"golang.org/x/mod/modfile"
)

// checkRepo checks the repository the tag names: that it answers its
// version control tool without a prompt, with the user's credentials, and,
// for git, its default branch and the module path in its go.mod.
func (d *doctor) checkRepo(ctx context.Context, tag metaparse.Import) {
	cmd := vcs.ByName(tag.VCS)
	u, err := url.Parse(tag.RepoRoot)
	if cmd == nil || err != nil || u.Scheme == "" {
		return // the tag stage reported it
	}
	r := d.runner(d.insecure)
	err = cmd.Ping(ctx, r, u.Scheme, strings.TrimPrefix(tag.RepoRoot, u.Scheme+"://"))
	if err != nil {
		d.reportPingError(ctx, tag, u, err)
		return
	}
	d.pass(StageRepository, "repo.reachable", "%s answers %s without a prompt", tag.RepoRoot, tag.VCS)
	if tag.VCS == "git" {
		d.checkGitContents(ctx, tag, r)
	}
}

// repoProblems classify a failed ping by what the tool wrote: the first
// entry whose marker appears names the finding.
var repoProblems = []struct {
	id      string
	markers []string
	fix     string
}{
	{"repo.needs-auth", []string{"terminal prompts disabled", "could not read username", "could not read password",
		"authentication failed", "access denied", "permission denied (publickey", "error: 401", "error: 403",
		"authorization failed", "http authorization required"},
		""}, // credentials says what would supply a login
	{"repo.ssh-host-key", []string{"host key verification failed"},
		"connect once with ssh to record the server's host key in known_hosts (fetch and the Go command run ssh without prompts)"},
	{"repo.tls", []string{"ssl certificate problem", "server certificate verification failed", "certificate verify failed"},
		"serve the repository with a certificate clients trust, or make git trust the CA (GIT_SSL_CAINFO, or --cacert for fetch)"},
	{"repo.not-found", []string{"not found", "does not appear to be a", "error: 404", "does not exist", "no such repository"},
		"check the tag's repository URL: no repository answers there"},
}

// reportPingError names why the repository did not answer.
func (d *doctor) reportPingError(ctx context.Context, tag metaparse.Import, u *url.URL, err error) {
	var ve *vcs.Error
	if !errors.As(err, &ve) {
		if ctx.Err() == nil && errors.Is(err, vcs.ErrToolMissing) {
			d.add(StageRepository, "repo.tool-missing", Warn, err.Error(), "install "+tag.VCS+" to check the repository")
			return
		}
		d.add(StageRepository, "repo.unreachable", Fail, err.Error(), "give the tag a repository URL the tool accepts")
		return
	}
	text := strings.ToLower(ve.Stderr + "\n" + ve.Error())
	for _, p := range repoProblems {
		for _, m := range p.markers {
			if !strings.Contains(text, m) {
				continue
			}
			if p.id == "repo.needs-auth" {
				// One finding: what the tool said, what could supply a
				// login, and how to give it one.
				d.private = append(d.private, tag.RepoRoot+" wants a login")
				seen, fix := d.credentials(ctx, tag, u)
				d.add(StageRepository, p.id, Fail, err.Error()+"; "+seen, fix, reports(causeNeedsAuth))
				return
			}
			d.add(StageRepository, p.id, Fail, err.Error(), p.fix)
			return
		}
	}
	d.add(StageRepository, "repo.unreachable", Fail, err.Error(),
		fmt.Sprintf("check that %s is up and reachable from clients (DNS, firewall, proxy)", tag.RepoRoot))
}

// credentials says which of the ways a client can hold a login applies
// to the repository: a netrc entry (which fetch hands to git), a git
// credential helper, an insteadOf rewrite, and GOPRIVATE, which keeps the
// Go command from asking the public proxy instead; and how to give the
// tool a login. The commands it suggests are for the user to type: their
// placeholders (USER, TOKEN) stay as written, and the URLs in a git
// config command are quoted, as the shell needs.
func (d *doctor) credentials(ctx context.Context, tag metaparse.Import, u *url.URL) (string, string) {
	file := d.netrcFile()
	entries, _ := netrc.Read(file)
	var have []string
	var seen []string
	switch e, ok := netrc.Lookup(entries, u.Host); {
	case ok && d.opts.GitCredentialHelper != "":
		have = append(have, "netrc")
		seen = append(seen, fmt.Sprintf("netrc: %s has a login for %s (%s), handed to git by fetch", file, u.Host, e.Login))
	case ok:
		seen = append(seen, fmt.Sprintf("netrc: %s has a login for %s, but only fetch's credential helper hands it to git", file, u.Host))
	case file == "":
		seen = append(seen, "netrc: no file")
	default:
		seen = append(seen, fmt.Sprintf("netrc: no login for %s in %s", u.Host, file))
	}
	if tag.VCS == "git" {
		r := d.runner(d.insecure)
		helpers := vcs.GitUserConfig(ctx, r, "--get-urlmatch", "credential.helper", tag.RepoRoot)
		if len(helpers) > 0 {
			have = append(have, "credential helper")
			for i, h := range helpers {
				helpers[i] = helperName(h)
			}
			seen = append(seen, "git credential helpers: "+strings.Join(helpers, ", "))
		} else {
			seen = append(seen, "git credential helpers: none")
		}
		if to := insteadOf(ctx, r, tag.RepoRoot); to != "" {
			have = append(have, "insteadOf")
			seen = append(seen, "insteadOf rewrites it to "+to)
		} else {
			seen = append(seen, "insteadOf: no rewrite applies")
		}
	}
	if d.env.IsPrivate(tag.Prefix) {
		seen = append(seen, "GOPRIVATE covers "+tag.Prefix)
	} else {
		seen = append(seen, "GOPRIVATE does not cover "+tag.Prefix)
	}
	fix := fmt.Sprintf("give git a login it can use without asking: a netrc line \"machine %s login USER password TOKEN\" (fetch hands it to git), a git credential helper (git config --global credential.helper ...), or an insteadOf rewrite to ssh (git config --global url.\"ssh://git@%s/\".insteadOf \"https://%s/\"); for the Go command also set GOPRIVATE=%s",
		u.Hostname(), u.Hostname(), u.Host, tag.Prefix)
	if len(have) > 0 {
		fix = fmt.Sprintf("the login from the %s was refused: check it, and that it may read this repository", strings.Join(have, " and "))
	}
	return strings.Join(seen, "; "), fix
}

// helperName names a credential.helper value without its arguments, and
// a shell helper ("!...") not at all: either can hold a secret.
func helperName(h string) string {
	if strings.HasPrefix(h, "!") {
		return "a shell command"
	}
	if f := strings.Fields(h); len(f) > 0 {
		return f[0]
	}
	return h
}

// insteadOf returns what git's url.<base>.insteadOf rules in the user's
// configuration (read through r) rewrite repo to, or "" when none applies (the longest match wins, as in git).
func insteadOf(ctx context.Context, r *vcs.Runner, repo string) string {
	best, bestLen := "", 0
	for _, l := range vcs.GitUserConfig(ctx, r, "--get-regexp", `^url\..*\.insteadof$`) {
		key, prefix, ok := strings.Cut(l, " ")
		if !ok || !strings.HasPrefix(repo, prefix) || len(prefix) <= bestLen {
			continue
		}
		base := strings.TrimSuffix(strings.TrimPrefix(key, "url."), ".insteadof")
		best, bestLen = base+strings.TrimPrefix(repo, prefix), len(prefix)
	}
	return best
}

// checkGitContents reads the default branch and go.mod with a shallow,
// blob-filtered clone into a temporary directory: only the commit, its
// trees and the root's files travel, however large the repository.
func (d *doctor) checkGitContents(ctx context.Context, tag metaparse.Import, r *vcs.Runner) {
	tmp, err := os.MkdirTemp("", "fetch-doctor-")
	if err != nil {
		return
	}
	defer os.RemoveAll(tmp)
	// Only the root's files are checked out; a module in a subdirectory
	// needs the whole tree.
	dir := filepath.Join(tmp, "repo")
	if err := vcs.GitPeek(ctx, r, tag.RepoRoot, dir, tag.SubDir == ""); err != nil {
		d.add(StageRepository, "repo.clone", Fail, err.Error(), "check that clients may clone the repository, not only list its refs")
		return
	}
	branch, ok := gitHeadBranch(dir)
	if !ok {
		d.add(StageRepository, "repo.default-branch", Fail,
			fmt.Sprintf("%s has no default branch: its HEAD names %q, which does not exist (an empty repository, or HEAD pointing at a deleted branch)", tag.RepoRoot, branch),
			"push a branch and point the repository's HEAD at it (the forge's default branch setting)")
		return
	}
	d.pass(StageRepository, "repo.default-branch", "the default branch of %s is %s", tag.RepoRoot, branch)
	d.checkGoMod(dir, tag, branch)
}

// gitHeadBranch reads the branch a fresh clone's HEAD names, and whether
// that branch exists.
func gitHeadBranch(dir string) (string, bool) {
	head, err := os.ReadFile(filepath.Join(dir, ".git", "HEAD"))
	if err != nil {
		return "", false
	}
	ref, ok := strings.CutPrefix(strings.TrimSpace(string(head)), "ref: ")
	if !ok {
		return strings.TrimSpace(string(head)), false
	}
	branch := strings.TrimPrefix(ref, "refs/heads/")
	if _, err := os.Stat(filepath.Join(dir, ".git", filepath.FromSlash(ref))); err == nil {
		return branch, true
	}
	packed, _ := os.ReadFile(filepath.Join(dir, ".git", "packed-refs"))
	for _, l := range strings.Split(string(packed), "\n") {
		if strings.HasSuffix(l, " "+ref) {
			return branch, true
		}
	}
	return branch, false
}

// checkGoMod compares the module path in go.mod with the tag's prefix,
// which must be equal (or the prefix plus a major version suffix).
func (d *doctor) checkGoMod(dir string, tag metaparse.Import, branch string) {
	rel := path.Join(tag.SubDir, "go.mod")
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		d.add(StageRepository, "repo.gomod-missing", Warn,
			fmt.Sprintf("no %s on branch %s", rel, branch),
			fmt.Sprintf("add a go.mod declaring module %s: without one the Go command treats every version as +incompatible", tag.Prefix))
		return
	}
	mod := modfile.ModulePath(data)
	if mod == "" {
		d.add(StageRepository, "repo.gomod-invalid", Fail, fmt.Sprintf("%s on branch %s has no module line", rel, branch),
			"start go.mod with: module "+tag.Prefix)
		return
	}
	if mod == tag.Prefix || isMajorSuffix(tag.Prefix, mod) {
		d.pass(StageRepository, "repo.gomod", "%s on branch %s declares module %s", rel, branch, mod)
		return
	}
	fix := fmt.Sprintf("make the go-import prefix and the module path the same: the tag says %s, go.mod says %s", tag.Prefix, mod)
	switch {
	case pathprefix.Has(tag.Prefix, mod):
		fix = fmt.Sprintf("the prefix %s names a package inside module %s: set the prefix to the repository root %s on every page", tag.Prefix, mod, mod)
	case pathprefix.Has(mod, tag.Prefix) && tag.SubDir == "":
		fix = fmt.Sprintf("if the module lives in a subdirectory, name it in the tag's fourth field and use its module path %s as the prefix; otherwise change the module line to %s", mod, tag.Prefix)
	}
	// A prefix the tag stage or a page above already found wrong explains
	// the mismatch: go.mod only agrees with that finding.
	d.add(StageRepository, "repo.gomod-mismatch", Fail,
		fmt.Sprintf("%s on branch %s declares module %s, but the go-import prefix is %s", rel, branch, mod, tag.Prefix), fix,
		follows(causePrefix, causeRootIs(mod)))
}

// isMajorSuffix reports whether mod is prefix/vN with N >= 2, a major
// version developed on the default branch.
func isMajorSuffix(prefix, mod string) bool {
	rest, ok := strings.CutPrefix(mod, prefix+"/v")
	if !ok || rest == "" || rest[0] == '0' || rest == "1" {
		return false
	}
	return strings.Trim(rest, "0123456789") == ""
}
