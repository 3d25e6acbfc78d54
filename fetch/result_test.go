package fetch_test

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/fetch"
)

// TestStatusesAreTheREADMETable checks that the Status constants are
// exactly the statuses README.md's table explains, so that a status is
// never added to one without the other.
func TestStatusesAreTheREADMETable(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "result.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Status" {
				continue
			}
			v, err := strconv.Unquote(vs.Values[0].(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			consts = append(consts, v)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme = bytes.ReplaceAll(readme, []byte("\r\n"), []byte("\n"))
	_, rows, ok := bytes.Cut(readme, []byte("\n| status | meaning |\n"))
	if !ok {
		t.Fatal("README.md has no statuses table (| status | meaning |)")
	}
	rows, _, _ = bytes.Cut(rows, []byte("\n\n"))
	var table []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z]+)` \\| ").FindAllSubmatch(rows, -1) {
		table = append(table, string(m[1]))
	}
	slices.Sort(consts)
	slices.Sort(table)
	if len(consts) == 0 || !slices.Equal(consts, table) {
		t.Errorf("Status constants %q, README's statuses table %q: want the same", consts, table)
	}
}

// TestResultJSONKeepsStrings checks that the typed Status and Kind are
// plain strings in the JSON contract.
func TestResultJSONKeepsStrings(t *testing.T) {
	b, err := json.Marshal(fetch.Result{FormatVersion: 1, Source: "s", Kind: detect.KindImport, Status: fetch.StatusExists})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"format_version":1,"source":"s","kind":"import","status":"exists"}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}
