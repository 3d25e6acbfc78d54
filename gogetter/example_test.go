package gogetter_test

import (
	"fmt"
	"log"
	"time"

	getter "github.com/hashicorp/go-getter"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/gogetter"
)

// A go-getter client gains Go import paths, vanity ones included, by
// inserting the Detector before go-getter's FileDetector and registering
// its Getter under "go" for go::PATH sources.
func Example() {
	d, err := gogetter.NewDetector(fetch.Options{SourceTimeout: 20 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	getters := map[string]getter.Getter{"go": d.Getter()}
	for name, g := range getter.Getters {
		getters[name] = g
	}
	client := &getter.Client{
		Src:       "go::example.org/pkg/sub@v1.2.0", // or example.org/pkg/sub?ref=v1.2.0
		Dst:       "vendor/pkg",
		Mode:      getter.ClientModeDir,
		Detectors: d.Insert(getter.Detectors),
		Getters:   getters,
	}
	_ = client // client.Get() resolves example.org/pkg/sub and clones its repository

	// What the Detector makes of an import path on a known hosting site
	// (no request is needed for those):
	src, ok, err := d.Detect("github.com/hashicorp/go-getter/helper/url@v1.8.10", "")
	fmt.Println(src, ok, err)
	// Output: git::https://github.com/hashicorp/go-getter//helper/url?ref=v1.8.10 true <nil>
}
