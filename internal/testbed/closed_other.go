//go:build !unix

package testbed

import (
	"fmt"
	"io"
	"net"
)

// closedPort holds nothing where a socket cannot be bound without listening.
type closedPort = io.Closer

// reserveClosedPort finds a free port by listening and closing again; the
// port could in principle be taken by another program meanwhile.
func reserveClosedPort() (closedPort, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("testbed: finding a closed port: %w", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		return nil, "", fmt.Errorf("testbed: finding a closed port: %w", err)
	}
	return io.NopCloser(nil), addr, nil
}
