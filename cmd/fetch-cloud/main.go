// Command fetch-cloud downloads S3 and GCS sources for fetch. fetch runs
// it for s3:: and gcs:: sources (found through $FETCH_CLOUD, next to the
// fetch executable, or on PATH), as git runs git-remote-https: the cloud
// SDKs live in this executable only, so fetch itself starts fast and
// builds small.
//
// Usage:
//
//	fetch-cloud get [--max-bytes N] [--max-files N] {file|dir|any} SOURCE DST
//
// It exits 0 when DST holds the download, 1 with one line on stderr (the
// cause, then what to do; never a credential) when the download failed,
// and 2 on bad usage. DST never exists half-written. Run fetch-cloud
// --help for the source grammar and the credentials it reads.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gofetch/fetch/internal/cloud"
)

const usageLine = "usage: fetch-cloud get [--max-bytes N] [--max-files N] {file|dir|any} SOURCE DST"

const help = usageLine + `

Downloads from Amazon S3 (or an S3-compatible server) or Google Cloud
Storage. fetch runs it for s3:: and gcs:: sources; you need it installed
only for those:

    go install github.com/gofetch/fetch/cmd/fetch-cloud@latest

Modes:
    file   DST becomes the one object SOURCE names
    dir    DST becomes a directory of every object under the prefix
           SOURCE names (KEY/...); keys with .., empty or absolute path
           elements are refused, and no symbolic link is ever made
    any    file if SOURCE names an object, else dir (as go-getter decides)

DST must not exist; its directory must. The download is written to
DST.tmp-* beside it and renamed when complete, so an error or an interrupt
(Ctrl-C, SIGTERM) leaves no DST.

Sources (go-getter's grammar):
    s3::https://s3.amazonaws.com/BUCKET/KEY           path style, us-east-1
    s3::https://s3-REGION.amazonaws.com/BUCKET/KEY    (or s3.REGION...)
    s3::https://BUCKET.s3.REGION.amazonaws.com/KEY    virtual-hosted style
    s3::http://HOST:PORT/BUCKET/KEY?region=R          S3-compatible server
    gcs::https://www.googleapis.com/storage/v1/BUCKET/OBJECT[#GENERATION]

S3 query options: aws_access_key_id, aws_access_key_secret,
aws_access_token, aws_profile, region, version (an object version).
Without them the AWS SDK's usual chain applies: AWS_PROFILE,
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, SSO, instance roles
(AWS_METADATA_URL moves the instance metadata endpoint).

GCS credentials: GOOGLE_OAUTH_ACCESS_TOKEN, else Application Default
Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud auth
application-default login, the metadata server); with none, public
objects still download. STORAGE_EMULATOR_HOST=HOST:PORT sends every GCS
request to an emulator, without credentials.

Output: "progress DONE TOTAL" lines on stdout as bytes arrive (TOTAL is -1
while unknown). Exit 0: done; 1: failed, with one line on stderr; 2: bad
usage. --max-bytes N fails the download past N bytes; --max-files N fails
a directory download whose prefix lists more than N objects, before any
is downloaded.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
		fmt.Fprint(stdout, help)
		return 0
	}
	if len(args) == 0 || args[0] != "get" {
		return usage(stderr, "the command is get")
	}
	args = args[1:]
	var maxBytes int64
	var maxFiles int
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		flag, val, hasVal := strings.Cut(args[0], "=")
		switch flag {
		case "-h", "--help":
			fmt.Fprint(stdout, help)
			return 0
		case "--max-bytes", "-max-bytes":
			if !hasVal {
				if len(args) < 2 {
					return usage(stderr, "--max-bytes needs a number")
				}
				val, args = args[1], args[1:]
			}
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n < 0 {
				return usage(stderr, fmt.Sprintf("--max-bytes %q is not a byte count", val))
			}
			maxBytes = n
		case "--max-files", "-max-files":
			if !hasVal {
				if len(args) < 2 {
					return usage(stderr, "--max-files needs a number")
				}
				val, args = args[1], args[1:]
			}
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return usage(stderr, fmt.Sprintf("--max-files %q is not a count", val))
			}
			maxFiles = n
		default:
			return usage(stderr, fmt.Sprintf("unknown flag %s", flag))
		}
		args = args[1:]
	}
	if len(args) != 3 {
		return usage(stderr, fmt.Sprintf("get takes a mode, a source and a destination (%d arguments given)", len(args)))
	}
	mode, ok := cloud.ParseMode(args[0])
	if !ok {
		return usage(stderr, fmt.Sprintf("mode %q is not file, dir or any", args[0]))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := &progress{w: stdout}
	_, err := cloud.Get(ctx, mode, args[1], args[2], cloud.Options{Progress: p.report, MaxBytes: maxBytes, MaxFiles: maxFiles})
	if err != nil {
		var e *cloud.Error
		if !errors.As(err, &e) {
			e = cloud.Redact(err, nil)
		}
		fmt.Fprintln(stderr, e.Line)
		return 1
	}
	p.final()
	return 0
}

// usage reports bad usage: the problem, then how to learn more.
func usage(stderr io.Writer, problem string) int {
	fmt.Fprintf(stderr, "fetch-cloud: %s: %s (fetch-cloud --help explains)\n", problem, usageLine)
	return 2
}

// progress writes "progress DONE TOTAL" lines, at most one every
// progressEvery, and the last one at the end.
type progress struct {
	w           io.Writer
	last        time.Time
	done, total int64
}

const progressEvery = 100 * time.Millisecond

func (p *progress) report(done, total int64) {
	p.done, p.total = done, total
	if now := time.Now(); now.Sub(p.last) >= progressEvery {
		p.last = now
		p.line()
	}
}

func (p *progress) line() {
	fmt.Fprintf(p.w, "progress %d %d\n", p.done, p.total)
}

// final writes the closing line: everything downloaded.
func (p *progress) final() {
	if p.total < p.done {
		p.total = p.done
	}
	p.line()
}
