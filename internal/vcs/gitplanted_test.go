package vcs

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// plantCase is a checkout whose .git was tampered with to run a program
// (creating marker) when git works in it.
type plantCase struct {
	f      *gitFixture
	s      *gitServer
	dir    string // the checkout
	marker string
	env    []string // extra environment for both the control and fetch
}

func (p *plantCase) config(t *testing.T, key, value string) {
	t.Helper()
	sh(t, p.f.env, p.dir, "git", "config", key, value)
}

// script writes an executable shell script that creates the marker.
func (p *plantCase) script(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	writeFile(t, dir, name, "#!/bin/sh\ntouch '"+p.marker+"'\n")
	if err := os.Chmod(path, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUpdateDoesNotRunPlantedConfiguration(t *testing.T) {
	tests := []struct {
		name    string
		plant   func(t *testing.T, p *plantCase)
		control []string // a plain git command that does run the planted program
	}{
		{
			name:    "core.fsmonitor in .git/config is not run",
			plant:   func(t *testing.T, p *plantCase) { p.config(t, "core.fsmonitor", "touch '"+p.marker+"' #") },
			control: []string{"status"},
		},
		{
			name: "hooks in .git/hooks are not run",
			plant: func(t *testing.T, p *plantCase) {
				for _, h := range []string{"reference-transaction", "post-merge", "post-checkout"} {
					p.script(t, filepath.Join(p.dir, ".git", "hooks"), h)
				}
			},
			control: []string{"update-ref", "refs/planted", "HEAD"},
		},
		{
			name: "a core.hooksPath set in .git/config is not used",
			plant: func(t *testing.T, p *plantCase) {
				hooks := filepath.Join(p.dir, ".git", "planted-hooks")
				p.script(t, hooks, "reference-transaction")
				p.config(t, "core.hooksPath", hooks)
			},
			control: []string{"update-ref", "refs/planted", "HEAD"},
		},
		{
			name: "remote.origin.uploadpack is not run for a local remote",
			plant: func(t *testing.T, p *plantCase) {
				p.config(t, "remote.origin.uploadpack", "touch '"+p.marker+"'; git-upload-pack")
			},
			control: []string{"fetch", "-q", "origin"},
		},
		{
			name: "core.sshCommand is not run for an ssh remote",
			plant: func(t *testing.T, p *plantCase) {
				// ssh in PATH is a stand-in that fails at once, so no
				// network is involved; the planted command would run
				// instead of it.
				bin := t.TempDir()
				writeFile(t, bin, "ssh", "#!/bin/sh\nexit 1\n")
				if err := os.Chmod(filepath.Join(bin, "ssh"), 0o755); err != nil {
					t.Fatal(err)
				}
				p.env = append(p.env, "PATH="+bin+":"+os.Getenv("PATH"))
				p.config(t, "remote.origin.url", "ssh://git@127.0.0.1/r.git")
				p.config(t, "core.sshCommand", "touch '"+p.marker+"' #")
			},
			control: []string{"fetch", "-q", "origin"},
		},
		{
			name: "core.askPass is not run when the server asks for a login",
			plant: func(t *testing.T, p *plantCase) {
				p.s.publish(t, p.f.env, p.f.dir, "private/r.git")
				p.env = append(p.env, p.s.caEnv...)
				p.config(t, "remote.origin.url", p.s.https+"/private/r.git")
				p.config(t, "core.askPass", p.script(t, t.TempDir(), "askpass"))
			},
			control: []string{"fetch", "-q", "origin"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newGitFixture(t)
			p := &plantCase{f: f, s: newGitServer(t, f.env), dir: filepath.Join(t.TempDir(), "co"),
				marker: filepath.Join(t.TempDir(), "marker")}
			r, _ := newRunner(t, f.env)
			if err := vcsGit.Create(context.Background(), r, f.url, p.dir, CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			f.commit(t, "main", "a.txt", "4\n") // so that the update has refs to move
			tt.plant(t, p)

			// The control shows the plant works: plain git runs it.
			control := exec.Command("git", tt.control...)
			control.Dir = p.dir
			control.Env = append(append(f.env, "GIT_TERMINAL_PROMPT=0"), p.env...)
			out, _ := control.CombinedOutput()
			if !exists(p.marker) {
				t.Fatalf("control: git %s did not run the planted program, so this test proves nothing:\n%s",
					strings.Join(tt.control, " "), out)
			}
			sh(t, f.env, p.dir, "git", "update-ref", "-d", "refs/planted")
			if err := os.Remove(p.marker); err != nil {
				t.Fatal(err)
			}

			r.Env = p.env
			err := vcsGit.Update(context.Background(), r, p.dir, "")
			if exists(p.marker) {
				t.Errorf("Update ran the planted program (Update error: %v)", err)
			}
		})
	}
}
