package doctor_test

import (
	"context"
	"fmt"

	"github.com/gofetch/fetch/doctor"
)

// A malformed import path fails at the first stage, before any request:
// each finding names its stage, its ID, what was seen and the fix.
func ExampleCheck() {
	r, err := doctor.Check(context.Background(), "example.org:8443/lib", doctor.Options{
		Getenv: func(string) string { return "" },
	})
	if err != nil {
		fmt.Println("cannot diagnose:", err)
		return
	}
	for _, f := range r.Findings {
		fmt.Printf("%s %s %s\n", f.Verdict, f.Stage, f.ID)
		fmt.Println("fix:", f.Fix)
	}
	fmt.Println("failed:", r.Failed())
	// Output:
	// fail path path.syntax
	// fix: an import path cannot name a port: the Go command always asks https://HOST/PATH?go-get=1 on port 443, so serve the page there
	// failed: true
}

// Findings are stable IDs a CI job can match.
func ExampleReport_Find() {
	r, err := doctor.Check(context.Background(), "https://example.org/lib", doctor.Options{
		Getenv: func(string) string { return "" },
	})
	if err != nil {
		fmt.Println("cannot diagnose:", err)
		return
	}
	if f, ok := r.Find("path.syntax"); ok {
		fmt.Println(f.Verdict, "--", f.Fix)
	}
	// Output:
	// fail -- give the import path without a scheme, as in an import statement: example.org/lib
}
