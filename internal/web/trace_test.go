package web

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/gofetch/fetch/trace"
)

// TestTraceEvents checks the events of a Get, in order, and that no
// credential reaches an event or an error.
func TestTraceEvents(t *testing.T) {
	w := newWorld(t)
	netrc := writeFile(t, "netrc", "machine vanity.test login aladdin password netrcpass\n")
	secrets := []string{"secret", "netrcpass", "tok3n", "YWxhZGRpbjpuZXRyY3Bhc3M"}
	tests := []struct {
		name    string
		url     string
		mode    SecurityMode
		want    []string
		wantErr string
	}{
		{
			name: "a redirect is reported between its two requests",
			url:  "https://user:secret@vanity.test/to-mirror",
			want: []string{
				"request https://user:REDACTED@vanity.test/to-mirror",
				"redirect https://user:REDACTED@vanity.test/to-mirror 301 Moved Permanently -> https://mirror.test/pkg",
				"request https://mirror.test/pkg",
				"response https://user:REDACTED@vanity.test/to-mirror 200 OK",
			},
		},
		{
			name: "a lone user name is redacted as a token",
			url:  "//tok3n@vanity.test/pkg",
			want: []string{
				"request https://REDACTED@vanity.test/pkg",
				"response https://REDACTED@vanity.test/pkg 200 OK",
			},
		},
		{
			name: "a retry after a 4xx is explained",
			url:  "//vanity.test/missing",
			want: []string{
				"request https://vanity.test/missing",
				"note https://vanity.test/missing 404 Not Found: retrying once after 404 Not Found, as the Go command does (with netrc credentials)",
				"request https://vanity.test/missing",
				"response https://vanity.test/missing 404 Not Found",
			},
		},
		{
			name: "a failed https attempt is reported before the http fallback",
			url:  "//down.test/pkg",
			mode: Insecure,
			want: []string{
				"request https://down.test/pkg",
				"failure https://down.test/pkg: Get \"https://down.test/pkg\": dial tcp 127.0.0.1:" + w.closed + ": connect: connection refused",
				"request http://down.test/pkg",
				"response http://down.test/pkg 200 OK",
			},
		},
		{
			name: "a failure with credentials is redacted in the event and the error",
			url:  "//user:secret@down.test/pkg",
			want: []string{
				"request https://user:REDACTED@down.test/pkg",
				"failure https://user:REDACTED@down.test/pkg: Get \"https://user:REDACTED@down.test/pkg\": dial tcp 127.0.0.1:" + w.closed + ": connect: connection refused",
			},
			wantErr: "https fetch: Get \"https://user:REDACTED@down.test/pkg\": dial tcp 127.0.0.1:" + w.closed + ": connect: connection refused",
		},
		{
			name: "a failure with a token user is redacted in the event and the error",
			url:  "//tok3n@down.test/pkg",
			want: []string{
				"request https://REDACTED@down.test/pkg",
				"failure https://REDACTED@down.test/pkg: Get \"https://REDACTED@down.test/pkg\": dial tcp 127.0.0.1:" + w.closed + ": connect: connection refused",
			},
			wantErr: "https fetch: Get \"https://REDACTED@down.test/pkg\": dial tcp 127.0.0.1:" + w.closed + ": connect: connection refused",
		},
		{
			name: "a refused downgrade names the hop, redacted",
			url:  "//user:secret@vanity.test/to-http",
			want: []string{
				"request https://user:REDACTED@vanity.test/to-http",
				"redirect https://user:REDACTED@vanity.test/to-http 302 Found -> http://plain.test/pkg",
				"failure https://user:REDACTED@vanity.test/to-http: Get \"http://plain.test/pkg\": redirected from secure URL https://user:REDACTED@vanity.test/to-http to insecure URL http://plain.test/pkg",
			},
			wantErr: "https fetch: Get \"http://plain.test/pkg\": redirected from secure URL https://user:REDACTED@vanity.test/to-http to insecure URL http://plain.test/pkg",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c := w.client(t, func(o *Options) { o.Netrc = netrc })
			c = c.WithTrace(rec.Emit)
			resp, err := c.Get(context.Background(), mustParse(t, tt.url), tt.mode)
			if err == nil {
				resp.Body.Close()
			}
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantErr {
				t.Errorf("Get error = %q, want %q", gotErr, tt.wantErr)
			}
			// net/http keeps a lone user name in its *url.Error, which
			// callers reach with errors.As.
			var ue *url.Error
			if errors.As(err, &ue) {
				for _, s := range secrets {
					if strings.Contains(ue.URL, s) || strings.Contains(ue.Error(), s) {
						t.Errorf("errors.As gives a *url.Error %q holding the secret %q", ue, s)
					}
				}
			}
			var got []string
			for _, e := range rec.All() {
				// Dials depend on connection reuse, which is net/http's
				// business; TestConnectToVerifiesTheOriginalName checks them.
				if !strings.HasPrefix(e.Message, "connect-to:") {
					got = append(got, format(e))
				}
				for _, s := range secrets {
					if strings.Contains(fmt.Sprintf("%+v", e), s) {
						t.Errorf("event %+v contains the secret %q", e, s)
					}
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("events:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
			}
		})
	}
}

// format renders the fields of an event that the test can predict.
func format(e trace.Event) string {
	switch e.Kind {
	case trace.Request:
		return "request " + e.URL
	case trace.Redirect:
		return fmt.Sprintf("redirect %s %s -> %s", e.URL, e.StatusText, e.Location)
	case trace.Response:
		if e.Duration <= 0 {
			return "response without a duration"
		}
		return fmt.Sprintf("response %s %s", e.URL, e.StatusText)
	case trace.Failure:
		return fmt.Sprintf("failure %s: %s", e.URL, e.Err)
	case trace.Note:
		if e.URL != "" {
			return fmt.Sprintf("note %s %s: %s", e.URL, e.StatusText, e.Message)
		}
		return "note " + e.Message
	}
	return fmt.Sprintf("unexpected %+v", e)
}
