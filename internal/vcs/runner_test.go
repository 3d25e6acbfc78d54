package vcs

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// gitConfigOf reads the GIT_CONFIG_COUNT settings of env, later winning.
func gitConfigOf(env []string) map[string]string {
	cfg := map[string]string{}
	n, _ := strconv.Atoi(envValue(env, "GIT_CONFIG_COUNT"))
	for i := range n {
		cfg[envValue(env, "GIT_CONFIG_KEY_"+strconv.Itoa(i))] = envValue(env, "GIT_CONFIG_VALUE_"+strconv.Itoa(i))
	}
	return cfg
}

func TestGitEnvironment(t *testing.T) {
	need(t, vcsGit)
	tests := []struct {
		name      string
		env       []string // added to a hermetic environment
		globalCfg string   // written to $HOME/.gitconfig
		runner    Runner
		check     func(t *testing.T, env []string)
	}{
		{
			name:  "BatchMode is added to the user's GIT_SSH_COMMAND, which is kept",
			env:   []string{"GIT_SSH_COMMAND=ssh -i /k/id"},
			check: wantEnv("GIT_SSH_COMMAND", "ssh -i /k/id -o BatchMode=yes"),
		},
		{
			name:  "without any user setting ssh runs in batch mode without a shared master",
			check: wantEnv("GIT_SSH_COMMAND", "ssh -o ControlMaster=no -o BatchMode=yes"),
		},
		{
			name:      "the user's global core.sshCommand is kept, with BatchMode",
			globalCfg: "[core]\n\tsshCommand = ssh -F /etc/work_ssh_config\n",
			check:     wantEnv("GIT_SSH_COMMAND", "ssh -F /etc/work_ssh_config -o BatchMode=yes"),
		},
		{
			name:  "GIT_SSH is quoted into the command",
			env:   []string{"GIT_SSH=/opt/my ssh/ssh"},
			check: wantEnv("GIT_SSH_COMMAND", "'/opt/my ssh/ssh' -o BatchMode=yes"),
		},
		{
			name:  "plink does not get OpenSSH options",
			env:   []string{"GIT_SSH_COMMAND=plink -batch"},
			check: wantEnv("GIT_SSH_COMMAND", "plink -batch"),
		},
		{
			name:   "an ssh key file is added, quoted, with IdentitiesOnly",
			runner: Runner{SSHKeyFile: "/tmp/it's key"},
			check:  wantEnv("GIT_SSH_COMMAND", `ssh -o ControlMaster=no -o BatchMode=yes -i '/tmp/it'\''s key' -o IdentitiesOnly=yes`),
		},
		{
			name:  "terminal prompts are off even when the user turned them on",
			env:   []string{"GIT_TERMINAL_PROMPT=1"},
			check: wantEnv("GIT_TERMINAL_PROMPT", "0"),
		},
		{
			name:  "the credential manager is told not to interact",
			check: wantEnv("GCM_INTERACTIVE", "never"),
		},
		{
			name:  "askpass is disabled when the user has none",
			check: wantEnv("GIT_ASKPASS", ""),
		},
		{
			name:  "the user's askpass program is kept",
			env:   []string{"GIT_ASKPASS=/usr/bin/ci-token"},
			check: wantEnv("GIT_ASKPASS", "/usr/bin/ci-token"),
		},
		{
			name:  "ext is removed from the user's GIT_ALLOW_PROTOCOL",
			env:   []string{"GIT_ALLOW_PROTOCOL=https:ext:ssh"},
			check: wantEnv("GIT_ALLOW_PROTOCOL", "https:ssh"),
		},
		{
			name:  "variables that point git at another repository are dropped",
			env:   []string{"GIT_DIR=/elsewhere/.git", "GIT_WORK_TREE=/elsewhere"},
			check: func(t *testing.T, env []string) { wantUnset(t, env, "GIT_DIR"); wantUnset(t, env, "GIT_WORK_TREE") },
		},
		{
			name: "plaintext transports are refused and ext never allowed by default",
			check: wantConfig(map[string]string{
				"protocol.http.allow": "never", "protocol.git.allow": "never",
				"protocol.ext.allow": "never", "protocol.file.allow": "user",
			}),
		},
		{
			name:   "insecure mode leaves plaintext transports to git",
			runner: Runner{Insecure: true},
			check: func(t *testing.T, env []string) {
				cfg := gitConfigOf(env)
				if v, ok := cfg["protocol.http.allow"]; ok {
					t.Errorf("protocol.http.allow = %q, want it unset", v)
				}
				if cfg["protocol.ext.allow"] != "never" {
					t.Errorf("protocol.ext.allow = %q, want never", cfg["protocol.ext.allow"])
				}
			},
		},
		{
			name: "fetch's settings come after the user's command-scope settings",
			env:  []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=http.sslVerify", "GIT_CONFIG_VALUE_0=true"},
			check: func(t *testing.T, env []string) {
				if k := envValue(env, "GIT_CONFIG_KEY_0"); k != "http.sslVerify" {
					t.Errorf("GIT_CONFIG_KEY_0 = %q, want the user's http.sslVerify", k)
				}
				wantConfig(map[string]string{"http.sslVerify": "true", "core.fsmonitor": "false"})(t, env)
			},
		},
		{
			name: "hooks and fsmonitor of a repository's own config are overridden",
			check: wantConfig(map[string]string{
				"core.fsmonitor": "false", "core.hooksPath": "/dev/null",
			}),
		},
		{
			name:      "fetch's credential helper is asked after the user's own helpers",
			globalCfg: "[credential]\n\thelper = store --file /u/creds\n",
			runner:    Runner{CredentialHelper: "!'/bin/fetch' credential-netrc --netrc '/u/netrc'"},
			check: func(t *testing.T, env []string) {
				got := sh(t, env, t.TempDir(), "git", "config", "--get-all", "credential.helper")
				want := "store --file /u/creds\n!'/bin/fetch' credential-netrc --netrc '/u/netrc'"
				if got != want {
					t.Errorf("git config --get-all credential.helper = %q, want %q", got, want)
				}
			},
		},
		{
			name: "without a credential helper fetch adds none",
			check: func(t *testing.T, env []string) {
				if v, ok := gitConfigOf(env)["credential.helper"]; ok {
					t.Errorf("credential.helper = %q, want it unset", v)
				}
			},
		},
		{
			name:   "the caller's extra environment is applied",
			runner: Runner{Env: []string{"GIT_SSL_CAINFO=/ca.pem"}},
			check:  wantEnv("GIT_SSL_CAINFO", "/ca.pem"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := append(hermeticEnv(t), tt.env...)
			if tt.globalCfg != "" {
				writeFile(t, envValue(env, "HOME"), ".gitconfig", tt.globalCfg)
			}
			r := tt.runner
			r.Environ = env
			tt.check(t, r.environ(vcsGit))
		})
	}
}

func TestHgEnvironmentIsPlain(t *testing.T) {
	r := Runner{Environ: []string{"HGPLAIN="}}
	if got := envValue(r.environ(vcsHg), "HGPLAIN"); got != "+strictflags" {
		t.Errorf("HGPLAIN = %q, want +strictflags", got)
	}
}

func wantEnv(key, want string) func(*testing.T, []string) {
	return func(t *testing.T, env []string) {
		t.Helper()
		got, ok := getEnv(env, key)
		if !ok || got != want {
			t.Errorf("%s = %q (set %v), want %q", key, got, ok, want)
		}
	}
}

func wantUnset(t *testing.T, env []string, key string) {
	t.Helper()
	if v, ok := getEnv(env, key); ok {
		t.Errorf("%s = %q, want it unset", key, v)
	}
}

func wantConfig(want map[string]string) func(*testing.T, []string) {
	return func(t *testing.T, env []string) {
		t.Helper()
		cfg := gitConfigOf(env)
		for k, v := range want {
			if cfg[k] != v {
				t.Errorf("git config %s = %q, want %q", k, cfg[k], v)
			}
		}
	}
}

func TestErrorSaysWhatToDoAboutALogin(t *testing.T) {
	tests := []struct {
		name, stderr, want string
	}{
		{"a missing https login points at netrc and credential helpers",
			"Cloning into 'x'...\nfatal: could not read Username for 'https://h.test': terminal prompts disabled\n", "put it in the netrc file"},
		{"a refused https login says the login was refused",
			"fatal: Authentication failed for 'https://h.test/r.git/'\n", "refused the login"},
		{"a refused ssh key points at sshkey and GIT_SSH_COMMAND",
			"git@h.test: Permission denied (publickey).\r\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n",
			"give one in the source's sshkey option or with -i in GIT_SSH_COMMAND"},
		{"an unknown host key points at known_hosts",
			"Host key verification failed.\r\nfatal: Could not read from remote repository.\n", "StrictHostKeyChecking=accept-new"},
		{"other errors get no hint", "fatal: repository 'https://h.test/r.git/' not found\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Error{Args: []string{"git", "clone"}, Stderr: tt.stderr, Err: errors.New("exit status 128")}
			got := e.Error()
			if tt.want == "" {
				if strings.Contains(got, "(") {
					t.Errorf("Error() = %q, want no hint", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) || strings.Count(got, "\n") > 0 {
				t.Errorf("Error() = %q, want one line containing %q", got, tt.want)
			}
		})
	}
}

func TestProgressLines(t *testing.T) {
	var got []string
	p := &progressLines{f: func(l string) { got = append(got, l) }}
	for _, chunk := range []string{"Cloning into 'x'...\n", "Receiving objects:  10% (1/10)\r", "Receiving obj", "ects: 100% (10/10), done.\n", "\n"} {
		if _, err := p.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"Cloning into 'x'...", "Receiving objects:  10% (1/10)", "Receiving objects: 100% (10/10), done."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines = %q, want %q", got, want)
	}
}
