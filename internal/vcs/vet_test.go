package vcs

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// vetRow is a checkout tampered with so that plain git (or hg) runs a
// program or reads and writes elsewhere, and the proof that it does.
type vetRow struct {
	name string
	// plant tampers with the checkout p.dir.
	plant func(t *testing.T, p *vetCase)
	// control runs plain git in the checkout; proved then tells whether
	// the plant worked (by default: the marker exists), or controlOK says
	// the control's success is the proof. undo puts back what the control
	// changed, keeping the plant.
	control   []string
	controlOK bool
	proved    func(t *testing.T, p *vetCase) bool
	undo      func(t *testing.T, p *vetCase)
	// file is the base name of the file the error must name; key the
	// setting.
	file, key string
}

// vetCase is one row's checkout, its upstream and its marker.
type vetCase struct {
	f      *gitFixture
	s      *gitServer
	dir    string
	marker string
	env    []string
}

func (p *vetCase) git(t *testing.T, args ...string) string {
	t.Helper()
	return sh(t, append(append([]string(nil), p.f.env...), p.env...), p.dir, "git", args...)
}

// touch is a shell command line that creates the marker and fails.
func (p *vetCase) touch() string { return "touch '" + p.marker + "'; false" }

func markerMade(t *testing.T, p *vetCase) bool { return exists(p.marker) }

// filterRow plants a smudge filter that makes the marker, set by
// configure, and a .gitattributes that applies it to every file.
func filterPlant(configure func(t *testing.T, p *vetCase, key, value string)) func(t *testing.T, p *vetCase) {
	return func(t *testing.T, p *vetCase) {
		writeFile(t, p.dir, ".gitattributes", "* filter=planted\n")
		configure(t, p, "filter.planted.smudge", "touch '"+p.marker+"'; cat")
		configure(t, p, "filter.planted.clean", "cat")
		os.Remove(filepath.Join(p.dir, "a.txt"))
	}
}

func TestVetGitRefusesPlantedMetadata(t *testing.T) {
	t.Parallel()
	setConfig := func(t *testing.T, p *vetCase, key, value string) { p.git(t, "config", key, value) }
	rows := []vetRow{
		{
			name: "core.alternateRefsCommand",
			plant: func(t *testing.T, p *vetCase) {
				other := filepath.Join(t.TempDir(), "other")
				sh(t, p.f.env, filepath.Dir(other), "git", "clone", "-q", "--bare", "--", p.f.dir, other)
				writeFile(t, p.dir, ".git/objects/info/alternates", filepath.Join(other, "objects")+"\n")
				p.git(t, "config", "core.alternateRefsCommand", p.touch()+" #")
			},
			control: []string{"fetch", "-q", "origin"},
			file:    "config", key: "core.alternaterefscommand",
		},
		{
			name:    "filter smudge with .gitattributes",
			plant:   filterPlant(setConfig),
			control: []string{"checkout", "--", "a.txt"},
			file:    "config", key: "filter.planted.smudge",
		},
		{
			name: "credential.helper",
			plant: func(t *testing.T, p *vetCase) {
				p.s.publish(t, p.f.env, p.f.dir, "private/r.git")
				p.env = append(p.env, p.s.caEnv...)
				p.git(t, "config", "remote.origin.url", p.s.https+"/private/r.git")
				p.git(t, "config", "credential.helper", "!"+p.touch()+" #")
			},
			control: []string{"fetch", "-q", "origin"},
			file:    "config", key: "credential.helper",
		},
		{
			name: "core.worktree",
			plant: func(t *testing.T, p *vetCase) {
				elsewhere := t.TempDir()
				p.marker = filepath.Join(elsewhere, "a.txt")
				p.git(t, "config", "core.worktree", elsewhere)
			},
			control: []string{"reset", "-q", "--hard"},
			file:    "config", key: "core.worktree",
		},
		{
			name: "include.path",
			plant: filterPlant(func(t *testing.T, p *vetCase, key, value string) {
				inc := filepath.Join(p.dir, ".git", "included")
				sh(t, p.f.env, p.dir, "git", "config", "-f", inc, key, value)
				p.git(t, "config", "include.path", inc)
			}),
			control: []string{"checkout", "--", "a.txt"},
			file:    "config", key: "include.path",
		},
		{
			name: "url.insteadOf",
			plant: func(t *testing.T, p *vetCase) {
				evil := filepath.Join(t.TempDir(), "evil")
				sh(t, p.f.env, filepath.Dir(evil), "git", "clone", "-q", "--", p.f.dir, evil)
				writeFile(t, evil, "evil.txt", "redirected\n")
				sh(t, p.f.env, evil, "git", "add", "evil.txt")
				sh(t, p.f.env, evil, "git", "commit", "-q", "-m", "evil")
				evilHead := sh(t, p.f.env, evil, "git", "rev-parse", "HEAD")
				p.git(t, "config", "url."+evil+".insteadOf", p.f.url)
				p.marker = evilHead
			},
			control: []string{"fetch", "-q", "origin"},
			proved: func(t *testing.T, p *vetCase) bool {
				return strings.Contains(sh(t, p.f.env, p.dir, "git", "for-each-ref", "--format=%(objectname)"), p.marker)
			},
			undo: func(t *testing.T, p *vetCase) {
				sh(t, p.f.env, p.dir, "git", "update-ref", "refs/remotes/origin/main", p.f.c3)
			},
			file: "config", key: "url." + "*" + ".insteadof",
		},
		{
			name: "alternates file",
			plant: func(t *testing.T, p *vetCase) {
				// The checked-out commit is only in the other repository:
				// git reads it from there.
				other := filepath.Join(t.TempDir(), "other")
				sh(t, p.f.env, filepath.Dir(other), "git", "clone", "-q", "--", p.f.dir, other)
				writeFile(t, other, "elsewhere.txt", "x\n")
				sh(t, p.f.env, other, "git", "add", "elsewhere.txt")
				sh(t, p.f.env, other, "git", "commit", "-q", "-m", "elsewhere")
				elsewhere := sh(t, p.f.env, other, "git", "rev-parse", "HEAD")
				writeFile(t, p.dir, ".git/objects/info/alternates", filepath.Join(other, ".git", "objects")+"\n")
				writeFile(t, p.dir, ".git/HEAD", elsewhere+"\n")
			},
			// Plain git reads the commit through the alternates file.
			control:   []string{"rev-parse", "--verify", "-q", "HEAD^{commit}"},
			controlOK: true,
			file:      "alternates",
		},
		{
			name: "gitfile naming a repository elsewhere",
			plant: func(t *testing.T, p *vetCase) {
				// The repository elsewhere has a smudge filter; the
				// checkout's .git only names it.
				gd := filepath.Join(t.TempDir(), "gitdir")
				if err := os.Rename(filepath.Join(p.dir, ".git"), gd); err != nil {
					t.Fatal(err)
				}
				writeFile(t, p.dir, ".git", "gitdir: "+gd+"\n")
				filterPlant(setConfig)(t, p)
			},
			control: []string{"checkout", "--", "a.txt"},
			file:    ".git",
		},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			runVetRow(t, row)
		})
	}
}

// runVetRow makes a checkout with fetch, a new upstream commit so that an
// update has work to do, plants the row, shows that plain git falls for
// it, and then that none of fetch's commands runs anything in it: each
// refuses with ErrUntrustedConfig, naming the file (and setting).
func runVetRow(t *testing.T, row vetRow) {
	f := newGitFixture(t)
	p := &vetCase{f: f, s: newGitServer(t, f.env), dir: filepath.Join(t.TempDir(), "co"),
		marker: filepath.Join(t.TempDir(), "marker")}
	r, _ := newRunner(t, f.env)
	ctx := context.Background()
	if err := vcsGit.Create(ctx, r, f.url, p.dir, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The fresh checkout passes the vet.
	if _, err := vcsGit.Revision(ctx, r, p.dir); err != nil {
		t.Fatalf("a checkout fetch made is refused: %v", err)
	}
	f.commit(t, "main", "a.txt", "4\n")
	row.plant(t, p)
	proved := row.proved
	if proved == nil {
		proved = markerMade
	}

	control := exec.Command("git", row.control...)
	control.Dir = p.dir
	control.Env = append(append(append([]string(nil), f.env...), "GIT_TERMINAL_PROMPT=0"), p.env...)
	out, err := control.CombinedOutput()
	if row.controlOK && err != nil || !row.controlOK && !proved(t, p) {
		t.Fatalf("control: git %s did not fall for the plant, so this test proves nothing:\n%s",
			strings.Join(row.control, " "), out)
	}
	// Undo what the control did, keeping the plant.
	os.Remove(p.marker)
	if row.undo != nil {
		row.undo(t, p)
	}

	r.Env = p.env
	checks := []struct {
		name string
		run  func() error
	}{
		{"Revision", func() error { _, err := vcsGit.Revision(ctx, r, p.dir); return err }},
		{"RemoteURL", func() error { _, err := vcsGit.RemoteURL(ctx, r, p.dir); return err }},
		{"Uncommitted", func() error { _, err := vcsGit.Uncommitted(ctx, r, p.dir); return err }},
		{"Update", func() error { return vcsGit.Update(ctx, r, p.dir, "") }},
		{"Update to a ref", func() error { return vcsGit.Update(ctx, r, p.dir, "main") }},
	}
	for _, c := range checks {
		err := c.run()
		if proved(t, p) {
			t.Errorf("%s fell for the plant (error: %v)", c.name, err)
		}
		if !errors.Is(err, ErrUntrustedConfig) {
			t.Fatalf("%s: got error %v, want ErrUntrustedConfig", c.name, err)
		}
		var ue *UntrustedMetadataError
		if !errors.As(err, &ue) {
			t.Fatalf("%s: %T is not an *UntrustedMetadataError", c.name, err)
		}
		if filepath.Base(ue.File) != row.file || ue.Dir != p.dir || ue.VCS != "git" {
			t.Errorf("%s: error names file %s in %s (%s), want %s in %s", c.name, ue.File, ue.Dir, ue.VCS, row.file, p.dir)
		}
		if row.key != "" && !keyMatches(ue.Key, row.key) {
			t.Errorf("%s: error names key %q, want %q", c.name, ue.Key, row.key)
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "fetch only runs git in checkouts") {
			t.Errorf("%s: message %q is not one line saying what to do", c.name, msg)
		}
	}
}

// keyMatches compares a key with a pattern in which "*" stands for a
// subsection.
func keyMatches(key, pattern string) bool {
	before, after, ok := strings.Cut(pattern, "*")
	if !ok {
		return key == pattern
	}
	return strings.HasPrefix(key, before) && strings.HasSuffix(key, after) && len(key) > len(before)+len(after)
}

func TestVetGitRefusesPlantedSubmoduleUpdateCommand(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	s := newGitServer(t, f.env)
	ctx := context.Background()
	sub := filepath.Join(t.TempDir(), "sub")
	sh(t, f.env, filepath.Dir(sub), "git", "init", "-q", "-b", "main", sub)
	writeFile(t, sub, "sub.txt", "1\n")
	sh(t, f.env, sub, "git", "add", "sub.txt")
	sh(t, f.env, sub, "git", "commit", "-q", "-m", "sub 1")
	s.publish(t, f.env, sub, "sub.git")
	f.git(t, "-c", "protocol.file.allow=always", "submodule", "add", "-q", "--", "file://"+sub, "s")
	f.git(t, "config", "-f", ".gitmodules", "submodule.s.url", s.https+"/sub.git")
	f.git(t, "commit", "-q", "-am", "add submodule")
	s.publish(t, f.env, f.dir, "super.git")

	r, _ := newRunner(t, f.env)
	r.Env = s.caEnv
	dir := filepath.Join(t.TempDir(), "co")
	if err := vcsGit.Create(ctx, r, s.https+"/super.git", dir, CreateOptions{Submodules: true}); err != nil {
		t.Fatal(err)
	}
	// A checkout with submodules that fetch made passes the vet.
	old, err := vcsGit.Revision(ctx, r, dir)
	if err != nil {
		t.Fatalf("a checkout with submodules that fetch made is refused: %v", err)
	}
	oldSub := sh(t, f.env, filepath.Join(dir, "s"), "git", "rev-parse", "HEAD")

	// Upstream moves the submodule, so that an update runs git submodule
	// update, which runs submodule.s.update when it is "!command".
	writeFile(t, sub, "sub.txt", "2\n")
	sh(t, f.env, sub, "git", "commit", "-q", "-am", "sub 2")
	sh(t, f.env, sub, "git", "push", "-q", filepath.Join(s.root, "sub.git"), "main")
	sh(t, f.env, filepath.Join(f.dir, "s"), "git", "pull", "-q", "origin", "main")
	f.git(t, "commit", "-q", "-am", "move submodule")
	f.git(t, "push", "-q", filepath.Join(s.root, "super.git"), "main")

	marker := filepath.Join(t.TempDir(), "marker")
	env := append(append([]string(nil), f.env...), s.caEnv...)
	sh(t, env, dir, "git", "config", "submodule.s.update", "!touch '"+marker+"'; true")

	// Control: plain git runs it.
	sh(t, env, dir, "git", "pull", "-q", "--ff-only")
	sh(t, env, dir, "git", "submodule", "update")
	if !exists(marker) {
		t.Fatal("control: git submodule update did not run the planted command, so this test proves nothing")
	}
	os.Remove(marker)
	sh(t, env, dir, "git", "reset", "-q", "--hard", old)
	sh(t, env, filepath.Join(dir, "s"), "git", "checkout", "-q", "--detach", oldSub)

	for _, ref := range []string{"", "main"} {
		err := vcsGit.Update(ctx, r, dir, ref)
		if exists(marker) {
			t.Fatalf("Update(%q) ran the planted command (error: %v)", ref, err)
		}
		var ue *UntrustedMetadataError
		if !errors.As(err, &ue) || !errors.Is(err, ErrUntrustedConfig) || ue.Key != "submodule.s.update" {
			t.Fatalf("Update(%q): got %v, want an UntrustedMetadataError for submodule.s.update", ref, err)
		}
	}
}

// TestVetGitAcceptsFetchsOwnClones: shallow, single-branch, by-id and
// partial clones pass the vet.
func TestVetGitAcceptsFetchsOwnClones(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	s := newGitServer(t, f.env)
	s.publish(t, f.env, f.dir, "r.git")
	r, _ := newRunner(t, f.env)
	r.Env = s.caEnv
	ctx := context.Background()
	for _, opts := range []CreateOptions{{}, {Depth: 1}, {Depth: 1, Ref: "v1"}, {Depth: 1, Ref: f.c2}, {Ref: "feat"}} {
		dir := filepath.Join(t.TempDir(), "co")
		if err := vcsGit.Create(ctx, r, s.https+"/r.git", dir, opts); err != nil {
			t.Fatalf("%+v: %v", opts, err)
		}
		if err := vetGit(dir); err != nil {
			t.Errorf("%+v: %v", opts, err)
		}
	}
	// A partial clone, as the doctor makes (without --sparse, which keeps
	// settings in config.worktree; the doctor never vets its clones).
	dir := filepath.Join(t.TempDir(), "partial")
	sh(t, append(append([]string(nil), f.env...), s.caEnv...), filepath.Dir(dir), "git", "clone", "-q",
		"--filter=blob:none", "--depth=1", "--no-tags", "--", s.https+"/r.git", dir)
	if err := vetGit(dir); err != nil {
		t.Errorf("partial clone: %v", err)
	}
}

// hgCase is an hg checkout made by fetch whose .hg/hgrc has hooks that
// make a marker.
type hgCase struct {
	u      *upstream
	r      *Runner
	dir    string
	marker string
}

func newHgCase(t *testing.T) *hgCase {
	t.Helper()
	u := newUpstream(t, vcsHg)
	u.commit(t, "1\n")
	r, _ := newRunner(t, u.env)
	h := &hgCase{u: u, r: r, dir: filepath.Join(t.TempDir(), "co"), marker: filepath.Join(t.TempDir(), "marker")}
	if err := vcsHg.Create(context.Background(), r, u.url, h.dir, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return h
}

// hooks are every hook a command fetch runs would fire.
func (h *hgCase) hooks() string {
	var b strings.Builder
	b.WriteString("\n[hooks]\n")
	for _, hook := range []string{"pre-log", "pre-paths", "pre-status", "pre-tags", "pre-pull", "pre-update",
		"pre-identify", "preupdate", "update", "prechangegroup", "changegroup", "incoming", "preoutgoing"} {
		b.WriteString(hook + " = touch '" + h.marker + "'\n")
	}
	return b.String()
}

// control shows that plain hg runs the planted hooks in dir.
func (h *hgCase) control(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command("hg", "log", "-r", ".")
	cmd.Dir, cmd.Env = dir, h.u.env
	out, _ := cmd.CombinedOutput()
	if !exists(h.marker) {
		t.Fatalf("control: hg log did not run the planted hook, so this test proves nothing:\n%s", out)
	}
	os.Remove(h.marker)
}

func TestVetHgIgnoresRepositoryHooks(t *testing.T) {
	t.Parallel()
	need(t, vcsHg)
	ctx := context.Background()
	h := newHgCase(t)
	hgrc := filepath.Join(h.dir, ".hg", "hgrc")
	data, err := os.ReadFile(hgrc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hgrc, append(data, h.hooks()...), 0o666); err != nil {
		t.Fatal(err)
	}
	h.control(t, h.dir)

	// exists: what fetch reads of an existing checkout.
	if _, err := vcsHg.Revision(ctx, h.r, h.dir); err != nil {
		t.Fatal(err)
	}
	if remote, err := vcsHg.RemoteURL(ctx, h.r, h.dir); err != nil || !sameURL(remote, h.u.url) {
		t.Fatalf("RemoteURL = %q, %v; want %s", remote, err, h.u.url)
	}
	if exists(h.marker) {
		t.Fatal("reading the checkout ran a hook of its .hg/hgrc")
	}
	// -u: pull and update, with a new upstream commit.
	want := h.u.commit(t, "2\n")
	if err := vcsHg.Update(ctx, h.r, h.dir, ""); err != nil {
		t.Fatal(err)
	}
	if exists(h.marker) {
		t.Fatal("Update ran a hook of the checkout's .hg/hgrc")
	}
	if got, err := vcsHg.Revision(ctx, h.r, h.dir); err != nil || got != want {
		t.Fatalf("after Update, Revision = %q, %v; want %s", got, err, want)
	}
}

func TestVetHgRefusesSharedPath(t *testing.T) {
	t.Parallel()
	need(t, vcsHg)
	ctx := context.Background()
	h := newHgCase(t)
	// A share of another repository, whose hgrc has the hooks: hg reads
	// that hgrc (share-safe) and writes to that store.
	src := filepath.Join(t.TempDir(), "src")
	sh(t, h.u.env, filepath.Dir(src), "hg", "clone", "-q", "--", h.u.url, src)
	writeFile(t, src, ".hg/hgrc", h.hooks())
	share := filepath.Join(t.TempDir(), "share")
	sh(t, h.u.env, filepath.Dir(share), "hg", "--config", "extensions.share=", "share", "-q", "--", src, share)
	writeFile(t, share, ".hg/hgrc", "[paths]\ndefault = "+h.u.url+"\n")
	if !exists(filepath.Join(share, ".hg", "sharedpath")) {
		t.Fatal("hg share made no .hg/sharedpath")
	}
	h.control(t, share)

	checks := map[string]func() error{
		"Revision":  func() error { _, err := vcsHg.Revision(ctx, h.r, share); return err },
		"RemoteURL": func() error { _, err := vcsHg.RemoteURL(ctx, h.r, share); return err },
		"Update":    func() error { return vcsHg.Update(ctx, h.r, share, "") },
	}
	for name, run := range checks {
		err := run()
		if exists(h.marker) {
			t.Fatalf("%s ran a hook of the shared repository (error: %v)", name, err)
		}
		var ue *UntrustedMetadataError
		if !errors.As(err, &ue) || !errors.Is(err, ErrUntrustedConfig) || filepath.Base(ue.File) != "sharedpath" {
			t.Fatalf("%s: got %v, want an UntrustedMetadataError naming sharedpath", name, err)
		}
	}
}

// TestVetHgNestedInGit points the hg commands straight at a directory of
// a git checkout that carries sub/.hg with hooks (what a repository or an
// archive can plant below an import path's root): no hook runs, whatever
// checks above the vcs layer do.
func TestVetHgNestedInGit(t *testing.T) {
	t.Parallel()
	need(t, vcsHg)
	f := newGitFixture(t)
	ctx := context.Background()
	marker := filepath.Join(t.TempDir(), "marker")
	sh(t, f.env, f.dir, "hg", "init", "sub")
	writeFile(t, f.dir, "sub/.hg/hgrc", "[hooks]\npre-log = touch '"+marker+"'\npre-paths = touch '"+marker+
		"'\npre-status = touch '"+marker+"'\npre-pull = touch '"+marker+"'\npre-tags = touch '"+marker+"'\n")
	f.git(t, "add", "-f", "sub")
	f.git(t, "commit", "-q", "-m", "plant sub/.hg")
	r, _ := newRunner(t, f.env)
	dir := filepath.Join(t.TempDir(), "co")
	if err := vcsGit.Create(ctx, r, f.url, dir, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")

	cmd := exec.Command("hg", "log")
	cmd.Dir, cmd.Env = sub, f.env
	out, _ := cmd.CombinedOutput()
	if !exists(marker) {
		t.Fatalf("control: hg log did not run the planted hook, so this test proves nothing:\n%s", out)
	}
	os.Remove(marker)

	vcsHg.Revision(ctx, r, sub)
	vcsHg.RemoteURL(ctx, r, sub)
	vcsHg.Uncommitted(ctx, r, sub)
	vcsHg.Update(ctx, r, sub, "")
	if exists(marker) {
		t.Fatal("an hg command fetch ran in sub ran a hook of sub/.hg/hgrc")
	}
	if _, err := vcsHg.RemoteURL(ctx, r, sub); err == nil {
		t.Error("RemoteURL of a planted .hg without [paths] default succeeded")
	}
}
