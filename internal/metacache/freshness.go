package metacache

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxLifetime bounds how long any answer is kept, whatever the server
// says: a vanity page fixed today is seen again by tomorrow at the latest,
// even behind a server that sends max-age of a year.
const MaxLifetime = 24 * time.Hour

// Freshness returns how much longer a response with header h, received
// at now, may be reused by a private cache (RFC 9111 section 4.2), and
// why not when it may not. Only explicit lifetimes count: without
// max-age or Expires nothing is kept, because a discovery answer guessed
// fresh could hide a fixed page for hours. s-maxage, for shared caches
// only, is ignored, and private is no obstacle to a per-user cache.
func Freshness(h http.Header, now time.Time) (time.Duration, string) {
	cc := strings.Join(h.Values("Cache-Control"), ",")
	maxAge, maxAges := time.Duration(0), 0
	for _, dir := range strings.Split(cc, ",") {
		k, v, hasValue := strings.Cut(strings.TrimSpace(dir), "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "no-store":
			return 0, "Cache-Control: no-store"
		case "no-cache":
			// Reuse would need revalidation, and fetch never revalidates.
			return 0, "Cache-Control: no-cache"
		case "max-age":
			maxAges++
			n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(v), `"`), 10, 64)
			if !hasValue || err != nil || n < 0 {
				return 0, "Cache-Control: max-age is not a number of seconds: " + strconv.Quote(v)
			}
			maxAge = time.Duration(min(n, int64(MaxLifetime/time.Second))) * time.Second
		}
	}
	if cc == "" && strings.Contains(strings.ToLower(h.Get("Pragma")), "no-cache") {
		return 0, "Pragma: no-cache"
	}
	if maxAges > 1 {
		// RFC 9111 allows treating conflicting directives as stale.
		return 0, "Cache-Control: max-age given more than once"
	}
	var lifetime time.Duration
	switch {
	case maxAges == 1:
		lifetime = maxAge
	case len(h.Values("Expires")) > 0:
		exp, err := http.ParseTime(h.Get("Expires"))
		if err != nil || len(h.Values("Expires")) > 1 {
			// An invalid date (often "0" or "-1") means already expired.
			return 0, "Expires: " + strconv.Quote(h.Get("Expires")) + " is not a single HTTP date"
		}
		base := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			base = d
		}
		lifetime = exp.Sub(base)
	default:
		return 0, "no Cache-Control max-age and no Expires"
	}
	lifetime = min(lifetime, MaxLifetime)
	fresh := lifetime - age(h, now)
	if fresh <= 0 {
		return 0, "stale on arrival: max-age or Expires is already used up by its Age"
	}
	return fresh, ""
}

// age is how old the response already was when it arrived: the larger of
// the Age header (time spent in caches upstream) and the time since its
// Date, as RFC 9111 section 4.2.3 computes it.
func age(h http.Header, now time.Time) time.Duration {
	var a time.Duration
	if n, err := strconv.ParseInt(strings.TrimSpace(h.Get("Age")), 10, 64); err == nil && n > 0 {
		a = time.Duration(min(n, int64(MaxLifetime/time.Second))) * time.Second
	}
	if d, err := http.ParseTime(h.Get("Date")); err == nil && now.Sub(d) > a {
		a = now.Sub(d)
	}
	return a
}
