package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// expiringSoon is how close to its end a certificate draws a warning.
// Short, because six-day certificates exist and renew with about three
// days left; a certificate this close to expiry has missed its renewal.
const expiringSoon = 48 * time.Hour

// checkTLS shakes hands over conn without letting crypto/tls judge the
// certificate, then judges it in separate steps (name, dates, chain), so
// that each problem is named on its own instead of only the first one
// crypto/tls meets. It reports whether a client would accept the server.
func (d *doctor) checkTLS(ctx context.Context, conn net.Conn) bool {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	tc := tls.Client(conn, &tls.Config{
		ServerName: d.host,
		// Verification follows below, one step at a time.
		InsecureSkipVerify: true,
		NextProtos:         []string{"h2", "http/1.1"},
	})
	if err := tc.HandshakeContext(ctx); err != nil {
		fix := "check the server's TLS configuration: it must offer TLS 1.2 or newer and a certificate for " + d.host
		if strings.Contains(err.Error(), "first record does not look like a TLS handshake") {
			fix = "port 443 answers plain http: serve TLS there (plain http belongs on port 80, and the Go command never uses it without GOINSECURE)"
		}
		d.add(StageNetwork, "tls.handshake", d.tlsVerdict(), fmt.Sprintf("TLS handshake with %s failed: %v", d.host, err), fix)
		return false
	}
	certs := tc.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		d.add(StageNetwork, "tls.handshake", d.tlsVerdict(), "the server sent no certificate", "configure a certificate for "+d.host)
		return false
	}
	leaf := certs[0]
	ok := d.checkCertName(leaf)
	ok = d.checkCertDates(leaf, time.Now()) && ok
	root, chainOK := d.checkCertChain(certs)
	if !ok || !chainOK {
		return false
	}
	d.pass(StageNetwork, "tls.certificate", "certificate for %s verifies: issued by %q (root %q), expires %s",
		d.host, name(leaf.Issuer.CommonName, leaf.Issuer.Organization), name(root.Subject.CommonName, root.Subject.Organization),
		leaf.NotAfter.UTC().Format(time.DateOnly))
	return true
}

// tlsVerdict is Fail, or Warn when insecure access makes the Go command
// skip verification for this path.
func (d *doctor) tlsVerdict() Verdict {
	if d.insecure {
		return Warn
	}
	return Fail
}

// tlsFix is fix for a certificate a client rejects, or, when insecure
// access makes the Go command skip verification for this path, what
// every client needs to follow that choice (insecureFix).
func (d *doctor) tlsFix(fix string) string {
	if d.insecure {
		return d.insecureFix("clients accept this certificate only when they skip its verification")
	}
	return fix
}

func (d *doctor) insecureNote() string {
	if d.insecure {
		return " (accepted only because GOINSECURE or --insecure covers " + d.path + ")"
	}
	return ""
}

func (d *doctor) checkCertName(leaf *x509.Certificate) bool {
	if err := leaf.VerifyHostname(d.host); err != nil {
		names := append([]string(nil), leaf.DNSNames...)
		for _, ip := range leaf.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) == 0 {
			names = []string{"no names (CN " + leaf.Subject.CommonName + " is not used for names)"}
		}
		d.add(StageNetwork, "tls.hostname", d.tlsVerdict(),
			fmt.Sprintf("the certificate is for %s, not %s%s", strings.Join(names, ", "), d.host, d.insecureNote()),
			d.tlsFix(fmt.Sprintf("install a certificate whose subject alternative names include %s (on a shared server, check which certificate it picks for this name, SNI)", d.host)))
		return false
	}
	return true
}

func (d *doctor) checkCertDates(leaf *x509.Certificate, now time.Time) bool {
	switch {
	case now.After(leaf.NotAfter):
		d.add(StageNetwork, "tls.expired", d.tlsVerdict(),
			fmt.Sprintf("the certificate for %s expired %s ago, on %s%s", d.host, span(now.Sub(leaf.NotAfter)), leaf.NotAfter.UTC().Format(time.DateOnly), d.insecureNote()),
			d.tlsFix("renew the certificate and check that its automatic renewal works (and that the server reloaded it)"))
		return false
	case now.Before(leaf.NotBefore):
		d.add(StageNetwork, "tls.expired", d.tlsVerdict(),
			fmt.Sprintf("the certificate for %s is not valid until %s%s", d.host, leaf.NotBefore.UTC().Format(time.RFC3339), d.insecureNote()),
			d.tlsFix("check the server's clock and the certificate's dates"))
		return false
	case leaf.NotAfter.Sub(now) < expiringSoon:
		d.add(StageNetwork, "tls.expiring", Warn,
			fmt.Sprintf("the certificate for %s expires in %s, on %s", d.host, span(leaf.NotAfter.Sub(now)), leaf.NotAfter.UTC().Format(time.RFC3339)),
			"renew the certificate now; its automatic renewal seems not to have run")
	}
	return true
}

// checkCertChain verifies the chain the server sent against the roots the
// web client trusts, at a time when the leaf is valid, so that an expired
// certificate is not also reported as untrusted. It returns the root the
// chain ends at.
func (d *doctor) checkCertChain(certs []*x509.Certificate) (*x509.Certificate, bool) {
	leaf := certs[0]
	roots := d.rootPool()
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	at := time.Now()
	if at.After(leaf.NotAfter) || at.Before(leaf.NotBefore) {
		at = leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
	}
	chains, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at})
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(err, &unknown):
		last := certs[len(certs)-1]
		d.add(StageNetwork, "tls.unknown-authority", d.tlsVerdict(),
			fmt.Sprintf("the server sent %d certificate(s) ending at %q, issued by %q, which no trusted root signed%s", len(certs), name(last.Subject.CommonName, last.Subject.Organization), name(last.Issuer.CommonName, last.Issuer.Organization), d.insecureNote()),
			d.tlsFix("serve a certificate from a publicly trusted CA together with its intermediates; for a private CA every client must trust it (--cacert FILE or SSL_CERT_FILE, which the Go command and git read too)"))
		return nil, false
	case err != nil:
		d.add(StageNetwork, "tls.chain", d.tlsVerdict(), fmt.Sprintf("the certificate chain does not verify: %v%s", err, d.insecureNote()),
			d.tlsFix("serve the leaf certificate followed by its intermediates, each valid now and allowed to sign the next"))
		return nil, false
	}
	return chains[0][len(chains[0])-1], true
}

func name(cn string, org []string) string {
	switch {
	case cn != "":
		return cn
	case len(org) > 0:
		return org[0]
	}
	return "(unnamed)"
}

// rootPool is the set of roots the web client verifies servers against
// (web.Client.RootCAs: the system's plus --cacert and SSL_CERT_FILE, or
// the injected transport's), read from the client so that the two never
// disagree.
func (d *doctor) rootPool() *x509.CertPool {
	if roots := d.web.RootCAs(); roots != nil {
		return roots
	}
	if p, err := x509.SystemCertPool(); err == nil {
		return p
	}
	return x509.NewCertPool()
}

// span says how long d is, for people: hours below two days, else days.
func span(d time.Duration) string {
	if d < 48*time.Hour {
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
