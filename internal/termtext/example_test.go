package termtext_test

import (
	"fmt"

	"github.com/gofetch/fetch/internal/termtext"
)

func ExamplePrintable() {
	// A server's error message that would clear the screen.
	fmt.Println(termtext.Printable("404 Not Found \x1b[2J\x1b[Hall good"))
	// Output: 404 Not Found \x1b[2J\x1b[Hall good
}
