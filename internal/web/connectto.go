package web

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// ConnectTo is one curl-style --connect-to rule: a connection for
// Host:Port goes to ToHost:ToPort instead. An empty Host or Port matches
// any; an empty ToHost or ToPort keeps the original. The URL, the Host
// header and TLS verification (SNI and certificate name) still use the
// original host, which is the point: a test or a staging server answers
// for a real name.
type ConnectTo struct {
	Host, Port, ToHost, ToPort string
}

// ParseConnectTo parses HOST:PORT:TOHOST:TOPORT. An IPv6 address is
// written in brackets ([::1]). Ports must be decimal numbers from 1 to
// 65535.
func ParseConnectTo(s string) (ConnectTo, error) {
	fields, err := splitConnectTo(s)
	if err != nil {
		return ConnectTo{}, fmt.Errorf("invalid connect-to %q: %w", s, err)
	}
	c := ConnectTo{Host: fields[0], Port: fields[1], ToHost: fields[2], ToPort: fields[3]}
	for _, p := range []string{c.Port, c.ToPort} {
		if p == "" {
			continue
		}
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 || p[0] == '+' {
			return ConnectTo{}, fmt.Errorf("invalid connect-to %q: port %q is not a number from 1 to 65535", s, p)
		}
	}
	return c, nil
}

// splitConnectTo splits s into its four colon-separated fields, keeping a
// bracketed IPv6 address whole and returning it without brackets.
func splitConnectTo(s string) ([]string, error) {
	var fields []string
	rest := s
	for len(fields) < 4 {
		var f string
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ in IPv6 address")
			}
			f, rest = rest[1:end], rest[end+1:]
			if rest != "" && rest[0] != ':' {
				return nil, fmt.Errorf("want ':' after ]")
			}
		} else {
			i := strings.IndexByte(rest, ':')
			if i < 0 {
				i = len(rest)
			}
			f, rest = rest[:i], rest[i:]
			if strings.ContainsAny(f, "[]") {
				return nil, fmt.Errorf("bracket inside host %q", f)
			}
		}
		fields = append(fields, f)
		if len(fields) < 4 {
			if rest == "" {
				return nil, fmt.Errorf("want HOST:PORT:TOHOST:TOPORT")
			}
			rest = rest[1:] // the ':' separator
		}
	}
	if rest != "" {
		return nil, fmt.Errorf("want HOST:PORT:TOHOST:TOPORT")
	}
	return fields, nil
}

// String returns the rule in the form ParseConnectTo reads.
func (c ConnectTo) String() string {
	return bracket(c.Host) + ":" + c.Port + ":" + bracket(c.ToHost) + ":" + c.ToPort
}

func bracket(h string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

// connectRules is an ordered list of rules; the first match wins, as in curl.
type connectRules []ConnectTo

// redirect returns the address to dial instead of addr (host:port), and
// whether a rule matched.
func (rs connectRules) redirect(addr string) (string, bool) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, false
	}
	for _, r := range rs {
		if r.Host != "" && !strings.EqualFold(r.Host, host) {
			continue
		}
		if r.Port != "" && r.Port != port {
			continue
		}
		if r.ToHost != "" {
			host = r.ToHost
		}
		if r.ToPort != "" {
			port = r.ToPort
		}
		return net.JoinHostPort(host, port), true
	}
	return addr, false
}
