// Command benchbed runs fetch's test bed for the benchmarks under bench/:
// git repositories behind vanity import paths on one host name, an
// optional delay on every response, and optionally a large .tar.gz with
// its sha256. Once everything is up it writes a shell file of variables
// for the scripts (and prints it), then serves until it is killed.
//
//	benchbed -dir DIR [-repos 10] [-paths 50] [-files 100] [-filesize 16384]
//	         [-delay 100ms] [-archive 200MiB]
//
// Import path k is the root of repository k for k < repos, and a package
// directory HOST/rK/pN of repository N%repos after that, so a batch of
// paths touches every repository and most of them more than once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gofetch/fetch/internal/testbed"
)

// config is what the flags ask for.
type config struct {
	dir, host, envFile string
	repos, paths       int
	files, fileSize    int
	delay              time.Duration
	archive            int64
	big                int64
	cloud              bool
}

func main() {
	var c config
	var archive string
	flag.StringVar(&c.dir, "dir", "", "directory for the bed (created; required)")
	flag.StringVar(&c.host, "host", "bench.example", "host name of the vanity pages")
	flag.StringVar(&c.envFile, "env", "", "shell file of variables written when ready (default DIR/env.sh)")
	flag.IntVar(&c.repos, "repos", 10, "number of git repositories")
	flag.IntVar(&c.paths, "paths", 10, "number of import paths, spread over the repositories")
	flag.IntVar(&c.files, "files", 100, "files in each repository")
	flag.IntVar(&c.fileSize, "filesize", 16<<10, "bytes in each file")
	flag.DurationVar(&c.delay, "delay", 0, "added to every response of the vanity host and git")
	flag.StringVar(&archive, "archive", "", "also serve HOST/big.tar.gz of about this compressed size (e.g. 200MiB)")
	var big string
	flag.StringVar(&big, "big", "", "also serve the git repository big (import path HOST/big) of about this packed size, over 5 commits (e.g. 50MiB)")
	flag.BoolVar(&c.cloud, "cloud", false, "also serve small.bin (1 KiB) from loopback S3 and GCS stand-ins and as HOST/small.bin")
	flag.Parse()
	if err := c.check(archive); err != nil {
		fmt.Fprintln(os.Stderr, "benchbed:", err)
		flag.Usage()
		os.Exit(2)
	}
	if big != "" {
		n, err := parseSize(big)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchbed: -big:", err)
			os.Exit(2)
		}
		c.big = n
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "benchbed:", err)
		os.Exit(1)
	}
}

func (c *config) check(archive string) error {
	switch {
	case c.dir == "":
		return errors.New("-dir is required")
	case c.repos < 0 || c.paths < 0 || c.files < 1 || c.fileSize < 0:
		return fmt.Errorf("-repos %d, -paths %d, -files %d and -filesize %d must not be negative (and -files at least 1)", c.repos, c.paths, c.files, c.fileSize)
	case c.paths > 0 && c.repos == 0:
		return fmt.Errorf("-paths %d needs at least one repository", c.paths)
	case strings.HasPrefix(c.host, "-") || strings.ContainsAny(c.host, "/: "):
		return fmt.Errorf("-host %q must be a plain host name", c.host)
	}
	if archive != "" {
		n, err := parseSize(archive)
		if err != nil {
			return fmt.Errorf("-archive: %w", err)
		}
		c.archive = n
	}
	if c.envFile == "" {
		c.envFile = filepath.Join(c.dir, "env.sh")
	}
	return nil
}

func run(c config) error {
	if err := os.MkdirAll(c.dir, 0o777); err != nil {
		return err
	}
	// A stale env file would tell a waiting script the bed is up.
	if err := os.Remove(c.envFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	b, err := testbed.Start(filepath.Join(c.dir, "bed"))
	if err != nil {
		return err
	}
	defer b.Close()
	addr, err := b.StartDelayed(c.delay)
	if err != nil {
		return err
	}
	env, err := populate(b, c, addr)
	if err != nil {
		return err
	}
	if c.cloud {
		more, stop, err := serveCloud(b, c)
		if err != nil {
			return err
		}
		defer stop()
		env = append(env, more...)
	}
	if err := writeEnv(c.envFile, env); err != nil {
		return err
	}
	fmt.Print(shellVars(env))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return b.Close()
}
