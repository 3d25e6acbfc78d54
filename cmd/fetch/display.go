package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gofetch/fetch/fetch"
	"golang.org/x/term"
)

// display is the live area on a terminal: one row per source not yet
// reported (what it is doing, with figures), at the bottom of the screen,
// while result lines scroll above it.
//
// It is drawn with a scrolling region (DECSTBM), as apt draws its
// progress line, not with cursor-up redraws (mpb, the usual spinner
// libraries): the result lines reach the screen through stdout, and with
// `fetch ... | tee out.txt` they reach it through another process, at
// times fetch does not know. A cursor-up redraw then moves up over tee's
// lines and overwrites them, which is how the results went missing. With
// the live rows outside the scrolling region, whatever anybody writes
// scrolls above them, and each redraw is one write that saves the cursor,
// draws the rows at fixed positions and restores the cursor, so it
// cannot tear a line written by someone else.
//
// The area shrinks as sources are reported and is erased completely, and
// the scrolling region reset, by stop: at the end, on Ctrl-C and on
// errors (runSources defers it).
type display struct {
	mu      sync.Mutex
	w       io.Writer
	size    func() (cols, rows int, err error)
	order   []string // sources in input order
	rows    map[string]*row
	height  int // rows reserved at the bottom; 0 before start and after stop
	cols    int
	lines   int // the terminal's rows when the region was set
	dirty   bool
	stopped bool
	quit    chan struct{}
	wg      sync.WaitGroup
}

// row is one source's state.
type row struct {
	step fetch.Progress
	done bool
}

// newDisplay returns a display for the sources on the terminal w, whose
// size is read from fd, or nil when w is not a terminal (or TERM is
// dumb): then no live area is drawn at all.
func newDisplay(w io.Writer, getenv func(string) string, sources []string) *display {
	if !isTerminal(w) || getenv("TERM") == "dumb" {
		return nil
	}
	fd := int(w.(*os.File).Fd())
	return newDisplayOn(w, func() (int, int, error) { return term.GetSize(fd) }, sources)
}

// newDisplayOn is newDisplay with the terminal's size given (tests).
func newDisplayOn(w io.Writer, size func() (int, int, error), sources []string) *display {
	d := &display{w: w, size: size, rows: map[string]*row{}, quit: make(chan struct{})}
	for _, s := range sources {
		if _, ok := d.rows[s]; !ok {
			d.order = append(d.order, s)
			d.rows[s] = &row{step: fetch.Progress{Source: s, Step: fetch.StepWaiting, Percent: -1}}
		}
	}
	return d
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// refresh is how often the live area is redrawn while something changed.
const refresh = 100 * time.Millisecond

// start reserves the live area and draws it until stop.
func (d *display) start() {
	d.mu.Lock()
	defer d.mu.Unlock()
	cols, lines, err := d.size()
	if err != nil || lines < 4 || cols < 20 {
		d.stopped = true // too small to share: results only
		return
	}
	d.cols, d.lines = cols, lines
	h := d.wantHeight()
	if h == 0 {
		return
	}
	// Make room: scroll the screen up by h lines if the cursor is near
	// the bottom, then come back to where the text goes on.
	var b strings.Builder
	b.WriteString(strings.Repeat("\n", h))
	fmt.Fprintf(&b, "\x1b[%dA", h)
	d.height = h
	d.setRegion(&b)
	d.drawRows(&b)
	d.write(b.String())
	d.wg.Add(1)
	go d.loop()
}

func (d *display) loop() {
	defer d.wg.Done()
	t := time.NewTicker(refresh)
	defer t.Stop()
	for {
		select {
		case <-d.quit:
			return
		case <-t.C:
			d.redraw()
		}
	}
}

// step records a source's step (fetch.Options.Progress).
func (d *display) step(p fetch.Progress) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.rows[p.Source]; ok && !r.done {
		r.step = p
		d.dirty = true
	}
}

// done drops a source's row: its result is being printed.
func (d *display) done(source string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.rows[source]; ok {
		r.done = true
		d.dirty = true
	}
}

// stop erases the live area, gives the whole screen back to the text and
// waits for the redraws to end. It may be called more than once.
func (d *display) stop() {
	d.mu.Lock()
	if d.stopped {
		d.mu.Unlock()
		return
	}
	d.stopped = true
	if d.height > 0 {
		var b strings.Builder
		b.WriteString("\x1b7\x1b[r") // save the cursor; whole screen scrolls
		fmt.Fprintf(&b, "\x1b[%d;1H\x1b[J", d.lines-d.height+1)
		b.WriteString("\x1b8") // back to the end of the text
		d.write(b.String())
		d.height = 0
	}
	d.mu.Unlock()
	close(d.quit)
	d.wg.Wait()
}

// redraw draws the rows again if something changed, shrinking the area
// as sources are reported and following a resize.
func (d *display) redraw() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped || d.height == 0 {
		return
	}
	cols, lines, err := d.size()
	resized := err == nil && (cols != d.cols || lines != d.lines)
	if !d.dirty && !resized {
		return
	}
	d.dirty = false
	var b strings.Builder
	if resized {
		if lines < 4 || cols < 20 {
			return // wait for a usable size
		}
		d.cols, d.lines = cols, lines
		d.height = min(d.height, d.wantHeight())
		d.setRegion(&b)
	} else if h := d.wantHeight(); h < d.height {
		// Blank the rows given back, then hand them to the text.
		fmt.Fprintf(&b, "\x1b7\x1b[%d;1H\x1b[J\x1b8", d.lines-d.height+1)
		d.height = h
		d.setRegion(&b)
	}
	if d.height > 0 {
		d.drawRows(&b)
	}
	d.write(b.String())
}

// setRegion limits scrolling to the lines above the live area. Setting
// the region moves the cursor home, hence the save and restore.
func (d *display) setRegion(b *strings.Builder) {
	fmt.Fprintf(b, "\x1b7\x1b[1;%dr\x1b8", d.lines-d.height)
}

// wantHeight is how many rows the sources not yet reported need, at most
// half the screen.
func (d *display) wantHeight() int {
	left := 0
	for _, s := range d.order {
		if !d.rows[s].done {
			left++
		}
	}
	return min(left, max(1, d.lines/2))
}

// drawRows draws the live rows at the bottom of the screen and puts the
// cursor back where the text goes on. Sources at work come first, then
// those waiting; a last row counts the ones that do not fit.
func (d *display) drawRows(b *strings.Builder) {
	var active, waiting []string
	for _, s := range d.order {
		r := d.rows[s]
		switch {
		case r.done:
		case r.step.Step == fetch.StepWaiting:
			waiting = append(waiting, s)
		default:
			active = append(active, s)
		}
	}
	shown := append(active, waiting...)
	var extra string
	if len(shown) > d.height {
		more := len(shown) - (d.height - 1)
		shown = shown[:d.height-1]
		extra = fmt.Sprintf("... %d more", more)
	}
	width := 0 // the same for every row and every redraw: no jitter
	for _, s := range d.order {
		width = max(width, len([]rune(s)))
	}
	b.WriteString("\x1b7")
	for i := 0; i < d.height; i++ {
		fmt.Fprintf(b, "\x1b[%d;1H\x1b[2K", d.lines-d.height+1+i)
		switch {
		case i < len(shown):
			b.WriteString(rowLine(shown[i], stepText(d.rows[shown[i]].step), width, d.cols))
		case i == len(shown) && extra != "":
			b.WriteString(" " + extra)
		}
	}
	b.WriteString("\x1b8")
}

func (d *display) write(s string) {
	if s != "" {
		io.WriteString(d.w, s)
	}
}

// stateWidth is the room kept for a row's state: "downloading 12.0/40.0 MiB".
const stateWidth = 25

// rowLine lays out one row in cols columns: the source, padded to the
// widest one shown but capped so that the state always fits, and elided
// in the middle when longer; then the state. The last column stays empty,
// so that no terminal wraps the row.
func rowLine(source, state string, width, cols int) string {
	srcCol := min(width, max(8, cols-1-1-2-stateWidth))
	line := " " + pad(elide(source, srcCol), srcCol) + "  " + state
	if r := []rune(line); len(r) > cols-1 {
		line = string(r[:cols-1])
	}
	return line
}

// elide shortens s to n characters by cutting out its middle.
func elide(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 3 {
		return string(r[:n])
	}
	head := (n - 3 + 1) / 2
	tail := n - 3 - head
	return string(r[:head]) + "..." + string(r[len(r)-tail:])
}

func pad(s string, n int) string {
	if k := n - len([]rune(s)); k > 0 {
		return s + strings.Repeat(" ", k)
	}
	return s
}

// stepText is a row's state in fetch's words and figures: "waiting",
// "cloning 45% 1.2 MiB", "checking out 80%", "downloading 12/40 MiB",
// "unpacking 1,204 files".
func stepText(s fetch.Progress) string {
	parts := []string{string(s.Step)}
	switch s.Step {
	case fetch.StepDownloading:
		switch {
		case s.Total > 0:
			parts = append(parts, sizeOf(s.Bytes, s.Total))
		case s.Bytes > 0:
			parts = append(parts, sizeOf(s.Bytes, s.Bytes))
		}
	case fetch.StepUnpacking:
		parts = append(parts, thousands(s.Files)+" files")
		if s.Files == 1 {
			parts[len(parts)-1] = "1 file"
		}
	default:
		if s.Percent >= 0 {
			parts = append(parts, fmt.Sprintf("%d%%", s.Percent))
		}
		if s.Bytes > 0 {
			parts = append(parts, sizeOf(s.Bytes, s.Bytes))
		}
	}
	return strings.Join(parts, " ")
}

// sizeOf prints done in the unit of total: "1.2 MiB", or "12/40 MiB" when
// done and total differ.
func sizeOf(done, total int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	u, div := 0, int64(1)
	for total/div >= 1024 && u < len(units)-1 {
		u++
		div *= 1024
	}
	num := func(n int64) string {
		v := float64(n) / float64(div)
		if u == 0 || v >= 10 {
			return fmt.Sprintf("%.0f", v)
		}
		return fmt.Sprintf("%.1f", v)
	}
	if done == total {
		return num(done) + " " + units[u]
	}
	return num(done) + "/" + num(total) + " " + units[u]
}

// thousands writes n with commas: 1,204.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
