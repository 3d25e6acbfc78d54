package testbed

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"
)

// ca is a throwaway certificate authority. Leaf certificates are minted on
// demand for whatever name a client asks for (SNI), so a test can invent any
// host name and still get a certificate that verifies against the CA.
type ca struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	pem     []byte
	pool    *x509.CertPool
	leafKey *ecdsa.PrivateKey // one key for all leaves: generating keys is the slow part

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
}

// certLifetime is generous so that a slow test run never sees an expired
// certificate, and short so that a leaked CA is useless soon.
const certLifetime = 7 * 24 * time.Hour

func newCA() (*ca, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("testbed: generating CA key: %w", err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("testbed: generating leaf key: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "fetch testbed CA", Organization: []string{"fetch testbed"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("testbed: creating CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("testbed: parsing CA certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &ca{
		cert:    cert,
		key:     key,
		pem:     pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pool:    pool,
		leafKey: leafKey,
		leaves:  make(map[string]*tls.Certificate),
	}, nil
}

func randomSerial() (*big.Int, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("testbed: generating certificate serial: %w", err)
	}
	return serial, nil
}

// loopbackName keys the certificate served to clients that send no SNI,
// which is what every client does when it dials an IP address.
const loopbackName = ""

// leaf returns the certificate for name, minting it on first use. The empty
// name yields the loopback certificate (127.0.0.1, ::1, localhost).
func (c *ca) leaf(name string) (*tls.Certificate, error) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	c.mu.Lock()
	defer c.mu.Unlock()
	if cert, ok := c.leaves[name]; ok {
		return cert, nil
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(certLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	switch ip := net.ParseIP(name); {
	case name == loopbackName:
		tmpl.Subject.CommonName = "127.0.0.1"
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
		// Mercurial matches the host only against DNS names, never IP
		// addresses, so the address is a DNS name too.
		tmpl.DNSNames = []string{"localhost", "127.0.0.1"}
	case ip != nil:
		tmpl.Subject.CommonName = name
		tmpl.IPAddresses = []net.IP{ip}
		tmpl.DNSNames = []string{name}
	default:
		tmpl.Subject.CommonName = name
		tmpl.DNSNames = []string{name}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &c.leafKey.PublicKey, c.key)
	if err != nil {
		return nil, fmt.Errorf("testbed: creating certificate for %q: %w", name, err)
	}
	cert := &tls.Certificate{Certificate: [][]byte{der, c.cert.Raw}, PrivateKey: c.leafKey}
	c.leaves[name] = cert
	return cert, nil
}

// serverConfig returns a TLS configuration that presents a certificate for
// the SNI name the client sent, or the loopback certificate without SNI.
func (c *ca) serverConfig() (*tls.Config, error) {
	loopback, err := c.leaf(loopbackName)
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		// Certificates is what a client dialing an IP address (no SNI) gets;
		// GetCertificate answers every client that names a host.
		Certificates: []tls.Certificate{*loopback},
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			return c.leaf(hello.ServerName)
		},
		MinVersion: tls.VersionTLS12,
	}, nil
}
