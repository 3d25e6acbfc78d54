//go:build unix

package testbed

import (
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"syscall"
)

// closedPort holds a port taken but never listened on.
type closedPort = io.Closer

// reserveClosedPort binds a loopback TCP socket without listening on it:
// connections are refused, and no other program can take the port while the
// bed holds it, unlike a port that was listened on and closed.
func reserveClosedPort() (closedPort, string, error) {
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, "", fmt.Errorf("testbed: reserving a closed port: %w", err)
	}
	f := os.NewFile(uintptr(fd), "closed-port")
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		f.Close()
		return nil, "", fmt.Errorf("testbed: reserving a closed port: %w", err)
	}
	sa, err := syscall.Getsockname(fd)
	in4, ok := sa.(*syscall.SockaddrInet4)
	if err != nil || !ok {
		f.Close()
		return nil, "", fmt.Errorf("testbed: reserving a closed port: socket name %v: %w", sa, err)
	}
	return f, net.JoinHostPort("127.0.0.1", strconv.Itoa(in4.Port)), nil
}
