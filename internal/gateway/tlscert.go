package gateway

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// ErrCertificate is the error of TLS certificate or key files that do not
// load: bad configuration, which the operator fixes.
var ErrCertificate = errors.New("TLS certificate")

// certificate is the TLS certificate the API serves, read from its PEM
// files at start and again on Reload, so that a renewed certificate is
// served without a restart (SIGHUP, as for citynode's allowlist).
type certificate struct {
	certFile, keyFile string
	cur               atomic.Pointer[tls.Certificate]
}

// loadCertificate reads the certificate chain and its key; a failure says
// which files and what to give instead.
func loadCertificate(certFile, keyFile string) (*certificate, error) {
	c := &certificate{certFile: certFile, keyFile: keyFile}
	if _, err := c.reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// reload re-reads the files. On failure the certificate served stays; on
// success it returns the new leaf's expiry.
func (c *certificate) reload() (time.Time, error) {
	pair, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w %s with key %s: %v: give PEM files of the certificate chain and its private key (--tls.cert, --tls.key)", ErrCertificate, c.certFile, c.keyFile, err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return time.Time{}, fmt.Errorf("%w %s: %v", ErrCertificate, c.certFile, err)
	}
	pair.Leaf = leaf
	c.cur.Store(&pair)
	return leaf.NotAfter, nil
}

// get is tls.Config's GetCertificate: the certificate last read.
func (c *certificate) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return c.cur.Load(), nil
}

// config is the API listener's TLS configuration.
func (c *certificate) config() *tls.Config {
	return &tls.Config{GetCertificate: c.get, MinVersion: tls.VersionTLS12}
}
