package doctor

import (
	"context"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/pathprefix"

	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/metaparse"
)

// doctorPageBytes bounds how much of a page doctor reads. The Go command
// stops at </head>; a browser reads on, and tags a browser finds further
// down are what doctor explains. A page larger than this is broken anyway.
const doctorPageBytes = 1 << 20

// maxTagsShown bounds the tags a finding lists: pages that serve many
// packages carry dozens, and a finding is one line.
const maxTagsShown = 5

// getPage asks w for importPath's page, in the path's security mode,
// and reads it both ways, with discovery's reader: as the Go command
// does, and as a browser does, up to doctorPageBytes further.
func (d *doctor) getPage(ctx context.Context, w *web.Client, importPath string) *discovery.Page {
	return discovery.ReadPage(ctx, w, importPath, d.security(), doctorPageBytes)
}

// diffIDs name each kind of difference between the two readings.
var diffIDs = map[metaparse.DiffKind]string{
	metaparse.DiffInBody:     "meta.in-body",
	metaparse.DiffAfterHead:  "meta.after-head",
	metaparse.DiffXMLError:   "meta.xml-error",
	metaparse.DiffCharset:    "meta.charset",
	metaparse.DiffReadError:  "meta.read-error",
	metaparse.DiffFieldCount: "meta.field-count",
	metaparse.DiffName:       "meta.name-spelling",
	metaparse.DiffNotATag:    "meta.not-a-tag",
}

// checkPageReading compares the Go command's reading of p with a
// browser's: every go-import tag a browser sees and the Go command does
// not use is a finding. It fails when that tag would have served the path
// and no tag the Go command reads does; otherwise browser-like readers
// merely see more than the Go command, which warns.
func (d *doctor) checkPageReading(p *discovery.Page) {
	d.checkIgnoredTags(p, false)
	if n := p.TagCount(); n > 0 {
		var tags []string
		for _, im := range append(append([]metaparse.Import(nil), p.VCS...), p.Mods...) {
			if len(tags) == maxTagsShown {
				tags = append(tags, fmt.Sprintf("and %d more", n-maxTagsShown))
				break
			}
			tags = append(tags, discovery.TagContent(im))
		}
		d.pass(StagePage, "meta.read", "the Go command reads %d go-import tag(s) from %s: %s", n, p.URL(), strings.Join(tags, "; "))
	}
	if ct := p.Header().Get("Content-Type"); ct != "" {
		if _, params, err := mime.ParseMediaType(ct); err == nil && !utf8Charset(params["charset"]) {
			d.add(StagePage, "meta.header-charset", Warn,
				fmt.Sprintf("Content-Type: %s; the Go command ignores the header's charset and reads the page as UTF-8", ct),
				"serve the page as UTF-8 (charset=utf-8): tags with non-ASCII bytes are misread otherwise")
		}
	}
}

// checkIgnoredTags reports the go-import tags of p that a browser sees
// and the Go command does not use. Such a tag is the cause of the path's
// missing tag when it would have served the path and no tag the Go
// command reads does: that fails, and the findings that only restate the
// missing tag follow from it. Other ignored tags warn, unless
// onlyServing (for the pages of shorter paths, whose other tags are not
// the path's business).
func (d *doctor) checkIgnoredTags(p *discovery.Page, onlyServing bool) {
	_, matchErr := discovery.Match(p, d.path)
	for _, df := range p.Diffs() {
		id, ok := diffIDs[df.Kind]
		if !ok {
			continue // mod entries: the tag stage checks them
		}
		var l link
		v := Warn
		if fields := strings.Fields(df.Tag.Content); matchErr != nil && len(fields) > 0 && pathprefix.Has(d.path, fields[0]) {
			v, l = Fail, reports(causeTagIgnored)
		} else if onlyServing {
			continue
		}
		d.add(StagePage, id, v,
			fmt.Sprintf("%s line %d: <meta name=%q content=%q> is ignored by the Go command: %s", p.URL(), df.Tag.Line, df.Tag.Name, df.Tag.Content, df.Reason),
			df.Fix, l)
	}
}

// seesTags reports whether a browser's reading of p finds a go-import
// tag, one the Go command reads or not.
func seesTags(p *discovery.Page) bool {
	if p.TagCount() > 0 {
		return true
	}
	for _, df := range p.Diffs() {
		if _, ok := diffIDs[df.Kind]; ok {
			return true
		}
	}
	return false
}

// utf8Charset reports whether a declared charset reads the same as UTF-8
// (or none was declared).
func utf8Charset(cs string) bool {
	switch strings.ToLower(cs) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return true
	}
	return false
}

// readSmall reads the start of a small answer (a version list), bounded
// so a hostile server cannot make doctor read without end.
func readSmall(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	return string(b)
}
