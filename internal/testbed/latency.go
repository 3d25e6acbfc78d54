package testbed

import (
	"context"
	"net/http"
	"time"
)

// StartDelayed starts one more TLS listener on loopback that answers
// exactly as the vanity server does (pages, and git for the repositories
// the bed serves) but only after waiting delay, as a distant host would.
// Benchmarks point host names at it with --connect-to and name it in
// go-import tags (https://ADDR/NAME.git), so discovery and git both pay
// the delay on every response. It returns the listener's address,
// 127.0.0.1:PORT; Close stops it with the bed's other servers. It must not
// be called concurrently with Close.
//
// The other listeners keep answering at once: tests that do not ask for
// a delay see no change.
func (b *Bed) StartDelayed(delay time.Duration) (string, error) {
	return b.startDelayed(func(ctx context.Context) error {
		if delay <= 0 {
			return nil
		}
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}

// startDelayed serves the vanity server's answers after wait returns; a
// wait that fails (the client went away) ends the request unanswered.
func (b *Bed) startDelayed(wait func(context.Context) error) (string, error) {
	cfg, err := b.ca.serverConfig()
	if err != nil {
		return "", err
	}
	b.mu.Lock()
	srv := b.newServer(func(w http.ResponseWriter, r *http.Request) {
		if wait(r.Context()) != nil {
			return
		}
		b.serveVanity(w, r)
	}, cfg)
	b.mu.Unlock()
	srv.StartTLS()
	return srv.Listener.Addr().String(), nil
}
