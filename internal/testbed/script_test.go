package testbed_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"getpage": func() { os.Exit(getpage()) }})
}

// TestScripts runs testdata/script/*.txtar with the bed's Setup and
// commands; getpage stands in for fetch.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		Setup:               testbed.Setup,
		Cmds:                testbed.Commands(),
		RequireExplicitExec: true,
	})
}

// connectTo collects repeated -connect-to HOST:PORT:TOHOST:TOPORT flags.
type connectTo map[string]string

func (c connectTo) String() string { return fmt.Sprint(map[string]string(c)) }

func (c connectTo) Set(v string) error {
	parts := strings.Split(v, ":")
	if len(parts) != 4 {
		return fmt.Errorf("-connect-to %q: want HOST:PORT:TOHOST:TOPORT", v)
	}
	c[parts[0]+":"+parts[1]] = parts[2] + ":" + parts[3]
	return nil
}

// getpage is a tiny client the way fetch is one: it trusts the system roots
// (SSL_CERT_FILE), honors proxy variables and --connect-to, and prints the
// status line and body of one GET.
func getpage() int {
	routes := connectTo{}
	flags := flag.NewFlagSet("getpage", flag.ContinueOnError)
	flags.Var(routes, "connect-to", "HOST:PORT:TOHOST:TOPORT (repeatable)")
	if err := flags.Parse(os.Args[1:]); err != nil || flags.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: getpage [-connect-to HOST:PORT:TOHOST:TOPORT]... URL")
		return 2
	}
	client := &http.Client{Transport: &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if to, ok := routes[addr]; ok {
				addr = to
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
	resp, err := client.Get(flags.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("%d\n%s\n", resp.StatusCode, body)
	return 0
}
