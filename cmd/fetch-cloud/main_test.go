package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
)

// asCommand, set in the environment, makes the test binary run as
// fetch-cloud: the tests exec it as the real program.
const asCommand = "FETCH_CLOUD_TEST_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(asCommand) != "" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

const secret = "s3cr3tkeyvalue"

// command returns fetch-cloud with args, isolated from the caller's AWS
// and Google settings.
func command(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	cmd := exec.Command(exe, args...)
	cmd.Env = []string{
		asCommand + "=1",
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"GOOGLE_APPLICATION_CREDENTIALS=" + filepath.Join(home, "none.json"),
	}
	if v := os.Getenv("SYSTEMROOT"); v != "" {
		cmd.Env = append(cmd.Env, "SYSTEMROOT="+v) // Windows needs it for the network
	}
	return cmd
}

// exitCode runs cmd and returns its exit code, stdout and stderr.
func exitCode(t *testing.T, cmd *exec.Cmd) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errOut.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	t.Parallel()
	dst := filepath.Join(t.TempDir(), "dst")
	tests := []struct {
		args []string
		code int
		says string
	}{
		{nil, 2, "the command is get"},
		{[]string{"put", "file", "s3::x", dst}, 2, "the command is get"},
		{[]string{"get", "file", "s3::https://s3.amazonaws.com/b/k"}, 2, "get takes a mode, a source and a destination"},
		{[]string{"get", "tree", "s3::https://s3.amazonaws.com/b/k", dst}, 2, `mode "tree" is not file, dir or any`},
		{[]string{"get", "--max-bytes", "lots", "file", "s3::https://s3.amazonaws.com/b/k", dst}, 2, `"lots" is not a byte count`},
		{[]string{"get", "--frobnicate", "file", "s3::https://s3.amazonaws.com/b/k", dst}, 2, "unknown flag --frobnicate"},
		{[]string{"get", "file", "https://example.org/k", dst}, 1, "is not an s3:: or gcs:: source"},
		{[]string{"get", "file", "s3::https://s3.amazonaws.com/b/k?aws_access_key_secret=" + secret, filepath.Join(dst, "no", "parent")}, 1, "does not exist: create it first"},
	}
	for _, tt := range tests {
		code, stdout, stderr := exitCode(t, command(t, tt.args...))
		if code != tt.code || !strings.Contains(stderr, tt.says) || strings.Count(stderr, "\n") != 1 || stdout != "" {
			t.Errorf("fetch-cloud %q: exit %d, stdout %q, stderr %q; want exit %d and one line saying %q", tt.args, code, stdout, stderr, tt.code, tt.says)
		}
		if strings.Contains(stderr, secret) {
			t.Errorf("fetch-cloud %q: stderr shows the secret: %q", tt.args, stderr)
		}
	}
	for _, args := range [][]string{{"--help"}, {"get", "--help"}} {
		code, stdout, _ := exitCode(t, command(t, args...))
		for _, want := range []string{"go install github.com/gofetch/fetch/cmd/fetch-cloud@latest", "aws_profile", "STORAGE_EMULATOR_HOST", "progress DONE TOTAL"} {
			if code != 0 || !strings.Contains(stdout, want) {
				t.Errorf("fetch-cloud %q: exit %d, help without %q", args, code, want)
			}
		}
	}
}

func TestGet(t *testing.T) {
	t.Parallel()
	s3 := testbed.NewS3Server("bucket", map[string][]byte{"dir/a.txt": []byte("a"), "dir/sub/b.txt": []byte("bb")})
	s3.Require("AKIDEXAMPLE")
	t.Cleanup(s3.Close)
	gcs := testbed.NewGCSServer("bucket", map[string][]byte{"dir/a.txt": []byte("a"), "dir/sub/b.txt": []byte("bb")})
	t.Cleanup(gcs.Close)
	creds := "?aws_access_key_id=AKIDEXAMPLE&aws_access_key_secret=" + secret
	for _, tt := range []struct {
		name, source string
	}{
		{"s3", "s3::" + s3.URL + "/bucket/dir"},
		{"gcs", "gcs::https://www.googleapis.com/storage/v1/bucket/dir"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			run := func(mode, key, dst string) (int, string, string) {
				src := tt.source + key
				if tt.name == "s3" {
					src += creds
				}
				cmd := command(t, "get", mode, src, filepath.Join(dir, dst))
				cmd.Env = append(cmd.Env, "STORAGE_EMULATOR_HOST="+gcs.Host)
				return exitCode(t, cmd)
			}
			code, stdout, stderr := run("dir", "", "tree")
			if code != 0 || stderr != "" || !regexp.MustCompile(`(?m)\Aprogress \d+ -?\d+\n(progress \d+ -?\d+\n)*progress 3 3\n\z`).MatchString(stdout) {
				t.Errorf("dir: exit %d, stdout %q, stderr %q; want progress lines ending in 3 of 3", code, stdout, stderr)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "tree", "sub", "b.txt")); err != nil || string(b) != "bb" {
				t.Errorf("dir: sub/b.txt = %q, %v", b, err)
			}
			code, stdout, stderr = run("file", "/a.txt", "file")
			if b, err := os.ReadFile(filepath.Join(dir, "file")); code != 0 || err != nil || string(b) != "a" || !strings.HasSuffix(stdout, "progress 1 1\n") {
				t.Errorf("file: exit %d, stdout %q, stderr %q, file %q (%v)", code, stdout, stderr, b, err)
			}
			code, _, stderr = run("file", "/missing.txt", "missing")
			if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `"dir/missing.txt" in bucket bucket does not exist`) || strings.Contains(stderr, secret) {
				t.Errorf("missing: exit %d, stderr %q; want exit 1 and one line saying it does not exist", code, stderr)
			}
		})
	}
}
