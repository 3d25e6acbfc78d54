package lockfile_test

import (
	"fmt"
	"os"

	"github.com/gofetch/fetch/lockfile"
)

// A lock file is written with its entries sorted, whatever order they
// came in, and read back with Parse.
func Example() {
	f := &lockfile.File{Entries: []lockfile.Entry{
		{Source: "https://files.example/tool.tar.gz", Kind: "getter", Getter: "http",
			URL: "https://files.example/tool.tar.gz", Path: "files.example/tool",
			SHA256: "sha256:5e8d7c7d2a5b0c2f0e6c4d9e3b1a0f7e6d5c4b3a29181706f5e4d3c2b1a09f8e", Hash: "h1:Q2K8m1p9T2c4q1Yb0bq3fJ3Zr0m8X2n6W4s1k0v7A9E="},
		{Source: "example.org/pkg/sub", Kind: "import", ImportPath: "example.org/pkg/sub", Root: "example.org/pkg",
			VCS: "git", Repo: "https://code.example/pkg.git", Path: "example.org/pkg",
			Commit: "8b0646afda75d1c58cb9c1e4e8f3a6a1b2c3d4e5", Hash: "h1:2mPkLZ3pvSfOtFyDYuo7xjO5lYPCpqPBxWnUZiuFHNc="},
	}}
	if err := f.Write(os.Stdout); err != nil {
		fmt.Println(err)
	}
	data, _ := f.Bytes()
	back, err := lockfile.Parse(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(back.Entries), "entries, the first", back.Entries[0].Source, "at", back.Entries[0].Commit[:12])
	// Output:
	// fetch lock v1
	//
	// source example.org/pkg/sub
	// kind import
	// import-path example.org/pkg/sub
	// root example.org/pkg
	// vcs git
	// repo https://code.example/pkg.git
	// path example.org/pkg
	// commit 8b0646afda75d1c58cb9c1e4e8f3a6a1b2c3d4e5
	// hash h1:2mPkLZ3pvSfOtFyDYuo7xjO5lYPCpqPBxWnUZiuFHNc=
	//
	// source https://files.example/tool.tar.gz
	// kind getter
	// getter http
	// url https://files.example/tool.tar.gz
	// path files.example/tool
	// sha256 sha256:5e8d7c7d2a5b0c2f0e6c4d9e3b1a0f7e6d5c4b3a29181706f5e4d3c2b1a09f8e
	// hash h1:Q2K8m1p9T2c4q1Yb0bq3fJ3Zr0m8X2n6W4s1k0v7A9E=
	// 2 entries, the first example.org/pkg/sub at 8b0646afda75
}
