package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofetch/fetch/internal/testbed"
)

// variable is one NAME=value line of the env file.
type variable struct{ name, value string }

// populate creates the repositories, pages and archive c asks for and
// returns the variables the scripts need. addr is the delayed listener
// that both the host name and the repository URLs reach.
func populate(b *testbed.Bed, c config, addr string) ([]variable, error) {
	repoURL := make([]string, c.repos)
	for r := range c.repos {
		name := fmt.Sprintf("r%d", r)
		if _, err := b.AddGitRepo(name, repoFiles(r, c), testbed.WithTag("v1.0.0")); err != nil {
			return nil, err
		}
		repoURL[r] = "https://" + addr + "/" + name + ".git"
	}
	var paths, clones []string
	for k := range c.paths {
		r := k % c.repos
		root := fmt.Sprintf("%s/r%d", c.host, r)
		p := root
		if k >= c.repos {
			p = fmt.Sprintf("%s/p%d", root, k)
		}
		page := fmt.Sprintf("<!DOCTYPE html>\n<html><head>\n<meta name=\"go-import\" content=\"%s git %s\">\n</head><body>%s</body></html>\n", root, repoURL[r], p)
		// The root's own page is what the Go command verifies a
		// subpackage's tag against.
		for _, q := range []string{p, root} {
			if err := b.WriteWWW(q+".html", page); err != nil {
				return nil, err
			}
		}
		paths = append(paths, p)
		clones = append(clones, repoURL[r])
	}
	pathsFile := filepath.Join(c.dir, "paths.txt")
	clonesFile := filepath.Join(c.dir, "clones.txt")
	if err := writeLines(pathsFile, paths); err != nil {
		return nil, err
	}
	if err := writeLines(clonesFile, clones); err != nil {
		return nil, err
	}
	env := []variable{
		{"BENCH_DIR", c.dir},
		{"BENCH_HOST", c.host},
		{"BENCH_ADDR", addr},
		{"BENCH_CONNECT_TO", c.host + ":443:" + addr},
		{"BENCH_CACERT", b.CACertFile},
		{"BENCH_DELAY", c.delay.String()},
		{"BENCH_PATHS", pathsFile},
		{"BENCH_CLONES", clonesFile},
		{"BENCH_REQUESTS", b.RequestLog},
	}
	if c.big > 0 {
		url, err := addBigRepo(b, c, addr)
		if err != nil {
			return nil, err
		}
		env = append(env, variable{"BENCH_BIG_PATH", c.host + "/big"}, variable{"BENCH_BIG_URL", url})
	}
	if c.archive > 0 {
		sum, err := writeArchive(filepath.Join(b.WWW, c.host, "big.tar.gz"), c.archive)
		if err != nil {
			return nil, err
		}
		env = append(env,
			variable{"BENCH_ARCHIVE_URL", "https://" + c.host + "/big.tar.gz"},
			variable{"BENCH_ARCHIVE_SHA256", sum})
	}
	// git and Go programs trust the bed's CA and read no user config.
	for _, kv := range b.Env() {
		name, value, _ := strings.Cut(kv, "=")
		switch name {
		case "SSL_CERT_FILE", "GIT_SSL_CAINFO", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL":
			env = append(env, variable{name, value})
		}
	}
	return env, nil
}

// repoFiles is repository r's content: c.files files of c.fileSize
// bytes of text that compresses about as well as source code, the same on
// every run, plus the package directories of the import paths in it.
func repoFiles(r int, c config) map[string]string {
	rng := rand.New(rand.NewChaCha8(seed(uint64(r))))
	files := map[string]string{"go.mod": fmt.Sprintf("module %s/r%d\n", c.host, r)}
	for i := range c.files {
		files[fmt.Sprintf("f%03d.go", i)] = "package r\n\n" + text(rng, c.fileSize)
	}
	for k := c.repos + r; k < c.paths; k += c.repos {
		files[fmt.Sprintf("p%d/doc.go", k)] = fmt.Sprintf("package p%d\n", k)
	}
	return files
}

// text returns n bytes of comment lines built from a small vocabulary.
func text(rng *rand.Rand, n int) string {
	words := []string{"fetch", "resolve", "import", "path", "repository", "clone", "vanity", "host",
		"meta", "tag", "error", "return", "func", "range", "context", "result", "the", "a", "of", "to"}
	var b strings.Builder
	b.Grow(n)
	for b.Len() < n {
		b.WriteString("// ")
		for range 8 {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(rng.IntN(1 << 20)))
		b.WriteByte('\n')
	}
	return b.String()[:n]
}

// seed makes a ChaCha8 seed from a number, so runs are reproducible.
func seed(n uint64) [32]byte {
	var s [32]byte
	copy(s[:], "fetch benchbed seed")
	for i := range 8 {
		s[24+i] = byte(n >> (8 * i))
	}
	return s
}

func writeLines(name string, lines []string) error {
	return os.WriteFile(name, []byte(strings.Join(lines, "\n")+"\n"), 0o666)
}

// writeEnv writes the variables as a shell file, whole or not at all,
// since scripts take its appearance to mean the bed is ready.
func writeEnv(name string, env []variable) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, []byte(shellVars(env)), 0o666); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

func shellVars(env []variable) string {
	var b strings.Builder
	for _, v := range env {
		fmt.Fprintf(&b, "export %s='%s'\n", v.name, strings.ReplaceAll(v.value, "'", `'\''`))
	}
	return b.String()
}

// parseSize reads "200MiB", "64KiB", "1GiB" or a plain byte count.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(num, 10, 64)
			if err != nil || n < 0 {
				return 0, fmt.Errorf("size %q is not a whole number of bytes, KiB, MiB or GiB", s)
			}
			return n * u.mult, nil
		}
	}
	return 0, fmt.Errorf("size %q is not a whole number of bytes, KiB, MiB or GiB", s)
}

// addBigRepo adds the repository big: 1 MiB files of ChaCha8 output over
// 16 letters (a pack stores them at about 55%), enough for about c.big
// bytes packed, added over 5 commits, the same on every run; and its
// import path's page.
func addBigRepo(b *testbed.Bed, c config, addr string) (string, error) {
	const fileSize, commits = 1 << 20, 5
	n := int(c.big*100/55/fileSize) + 1
	rng := rand.New(rand.NewChaCha8(seed(1 << 33)))
	buf := make([]byte, fileSize)
	file := func() string {
		for j := range buf {
			buf[j] = 'a' + byte(rng.Uint32()&0x0f)
		}
		return string(buf)
	}
	per := (n + commits - 1) / commits
	var r *testbed.GitRepo
	for k := 0; k < n; k += per {
		files := map[string]string{}
		if k == 0 {
			files["go.mod"] = "module " + c.host + "/big\n"
		}
		for i := k; i < min(k+per, n); i++ {
			files[fmt.Sprintf("d%d/f%04d.txt", i/per, i)] = file()
		}
		var err error
		if r == nil {
			r, err = b.AddGitRepo("big", files, testbed.WithTag("v1.0.0"))
		} else {
			_, err = r.Commit(files, fmt.Sprintf("files %d-", k))
		}
		if err != nil {
			return "", err
		}
	}
	url := "https://" + addr + "/big.git"
	page := fmt.Sprintf("<!DOCTYPE html>\n<html><head>\n<meta name=\"go-import\" content=\"%s/big git %s\">\n</head></html>\n", c.host, url)
	return url, b.WriteWWW(c.host+"/big.html", page)
}
