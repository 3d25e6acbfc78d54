package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
)

// gcsScope is the OAuth scope fetch-cloud asks for: read only.
const gcsScope = "https://www.googleapis.com/auth/devstorage.read_only"

// GCSGetter downloads from Google Cloud Storage through its JSON API.
// Credentials: GOOGLE_OAUTH_ACCESS_TOKEN (as go-getter reads it), else
// Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's
// file, the metadata server); with none it asks anonymously, which public
// objects allow. STORAGE_EMULATOR_HOST (host:port or a URL) sends every
// request to an emulator instead, without credentials.
type GCSGetter struct {
	// HTTPClient, when set, makes the requests, without credentials
	// (tests).
	HTTPClient *http.Client
}

// gcsClient is the state of one GCS download.
type gcsClient struct {
	http   *http.Client
	base   string // scheme://host of the JSON API
	src    *Source
	anon   bool  // no credentials were found
	credEr error // why, when anon
}

func (g *GCSGetter) client(ctx context.Context, src *Source) (*gcsClient, error) {
	c := &gcsClient{src: src, base: "https://" + src.URL.Host}
	if h := os.Getenv("STORAGE_EMULATOR_HOST"); h != "" {
		c.base = strings.TrimSuffix(h, "/")
		if !strings.Contains(c.base, "://") {
			c.base = "http://" + c.base
		}
		c.http = http.DefaultClient
	}
	if g.HTTPClient != nil {
		c.http = g.HTTPClient
	}
	if c.http != nil {
		return c, nil
	}
	var ts oauth2.TokenSource
	if tok, ok := os.LookupEnv("GOOGLE_OAUTH_ACCESS_TOKEN"); ok {
		ts = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
	} else {
		dts, err := google.DefaultTokenSource(ctx, gcsScope)
		if err != nil {
			c.anon, c.credEr, c.http = true, err, http.DefaultClient
			return c, nil
		}
		ts = dts
	}
	c.http = &http.Client{Transport: &oauth2.Transport{Source: ts, Base: http.DefaultTransport}}
	return c, nil
}

// objectURL is the JSON API URL of an object (media or metadata).
func (c *gcsClient) objectURL(name string, media bool, generation int64) string {
	u := c.base + "/storage/v1/b/" + url.PathEscape(c.src.Bucket) + "/o/" + url.PathEscape(name)
	q := url.Values{}
	if media {
		q.Set("alt", "media")
	}
	if generation > 0 {
		q.Set("generation", strconv.FormatInt(generation, 10))
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// get sends a GET and returns the response when its status is 200.
func (c *gcsClient) get(ctx context.Context, rawURL, doing, key string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, errorf(ErrFailed, err, "%s object %q: %v", doing, shorten(key), err)
	}
	req.Header.Set("User-Agent", "fetch-cloud")
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return nil, errorf(ErrNoCredentials, err, "cannot get a Google access token for bucket %s (%s): run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS", c.src.Bucket, re.ErrorCode)
		}
		return nil, errorf(ErrFailed, err, "%s %s: %v: check the network", doing, c.what(key), err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	return nil, c.statusError(resp, doing, key)
}

func (c *gcsClient) what(key string) string {
	if key == "" {
		return "bucket " + c.src.Bucket
	}
	return fmt.Sprintf("object %q in bucket %s", shorten(key), c.src.Bucket)
}

// statusError explains a response that is not 200.
func (c *gcsClient) statusError(resp *http.Response, doing, key string) error {
	var body struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body)
	msg := body.Error.Message
	if msg == "" {
		msg = resp.Status
	}
	cause := fmt.Errorf("HTTP %s: %s", resp.Status, msg)
	switch resp.StatusCode {
	case http.StatusNotFound:
		if key == "" || strings.Contains(strings.ToLower(msg), "bucket does not exist") {
			return errorf(ErrNotFound, cause, "bucket %s does not exist: check the bucket name", c.src.Bucket)
		}
		if c.src.generation > 0 {
			return errorf(ErrNotFound, cause, "%s has no generation %d: check the name and the #generation", c.what(key), c.src.generation)
		}
		return errorf(ErrNotFound, cause, "%s does not exist: check the name (names are case-sensitive)", c.what(key))
	case http.StatusUnauthorized, http.StatusForbidden:
		if c.anon {
			return errorf(ErrNoCredentials, cause, "no Google credentials found, and %s is not public: run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS", c.what(key))
		}
		return errorf(ErrDenied, cause, "access denied %s %s (%s): check that the credentials may read it", doing, c.what(key), msg)
	}
	return errorf(ErrFailed, cause, "%s %s failed: %s", doing, c.what(key), cause)
}

// Mode is ModeFile when the name is an object, ModeDir when objects lie
// under NAME/.
func (g *GCSGetter) Mode(ctx context.Context, src *Source) (Mode, error) {
	if src.Key == "" || strings.HasSuffix(src.Key, "/") {
		return ModeDir, nil
	}
	c, err := g.client(ctx, src)
	if err != nil {
		return 0, err
	}
	resp, err := c.get(ctx, c.objectURL(src.Key, false, src.generation), "checking", src.Key)
	if err == nil {
		resp.Body.Close()
		return ModeFile, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	page, err := c.list(ctx, dirPrefix(src.Key), "", 1)
	if err != nil {
		return 0, err
	}
	if len(page.Items) > 0 {
		return ModeDir, nil
	}
	return 0, errorf(ErrNotFound, nil, "no object %q and no objects under %q in bucket %s: check the name (names are case-sensitive)", shorten(src.Key), dirPrefix(src.Key), src.Bucket)
}

// gcsPage is one page of an objects list.
type gcsPage struct {
	Items []struct {
		Name string `json:"name"`
		Size string `json:"size"`
	} `json:"items"`
	NextPageToken string `json:"nextPageToken"`
}

// list reads one page of the objects under prefix.
func (c *gcsClient) list(ctx context.Context, prefix, token string, max int) (*gcsPage, error) {
	q := url.Values{"prefix": {prefix}}
	if token != "" {
		q.Set("pageToken", token)
	}
	if max > 0 {
		q.Set("maxResults", strconv.Itoa(max))
	}
	resp, err := c.get(ctx, c.base+"/storage/v1/b/"+url.PathEscape(c.src.Bucket)+"/o?"+q.Encode(), "listing", "")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var page gcsPage
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return nil, errorf(ErrFailed, err, "listing bucket %s: the answer is not a GCS objects list (%v): check the endpoint", c.src.Bucket, err)
	}
	return &page, nil
}

// GetFile downloads the object (the generation the URL fragment names, if
// any) to req.Dst.
func (g *GCSGetter) GetFile(ctx context.Context, req *Request) error {
	src := req.Source
	c, err := g.client(ctx, src)
	if err != nil {
		return err
	}
	resp, err := c.get(ctx, c.objectURL(src.Key, true, src.generation), "downloading", src.Key)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	req.meter.setTotal(resp.ContentLength)
	return c.copyErr(ctx, req.meter.copy(req.Dst, resp.Body), src.Key)
}

// copyErr explains a failure while reading a body.
func (c *gcsClient) copyErr(ctx context.Context, err error, key string) error {
	var e *Error
	if err == nil || errors.As(err, &e) || ctx.Err() != nil {
		return err
	}
	return errorf(ErrFailed, err, "downloading %s: %v: check the network", c.what(key), err)
}

// Get downloads every object under the prefix NAME/ below req.Dst,
// following the list's page tokens.
func (g *GCSGetter) Get(ctx context.Context, req *Request) error {
	src := req.Source
	c, err := g.client(ctx, src)
	if err != nil {
		return err
	}
	t, err := newTree(req.Dst, src)
	if err != nil {
		return err
	}
	type object struct{ key, rel string }
	var objects []object
	var total int64
	listed := 0
	token := ""
	seen := pageTokens{}
	for pages := 0; ; pages++ {
		if pages > 0 && token == "" {
			break
		}
		page, err := c.list(ctx, t.prefix, token, 0)
		if err != nil {
			return err
		}
		for _, it := range page.Items {
			listed++
			if err := req.listedOne(listed, t.prefix); err != nil {
				return err
			}
			rel, ok, err := t.relPath(it.Name)
			if err != nil {
				return err
			}
			if ok {
				objects = append(objects, object{it.Name, rel})
				n, _ := strconv.ParseInt(it.Size, 10, 64)
				total += n
			}
		}
		if page.NextPageToken != "" {
			if err := seen.next(src, page.NextPageToken); err != nil {
				return err
			}
		}
		token = page.NextPageToken
	}
	if listed == 0 {
		return notFoundPrefix(src, t.prefix)
	}
	req.meter.setTotal(total)
	for _, o := range objects {
		resp, err := c.get(ctx, c.objectURL(o.key, true, 0), "downloading", o.key)
		if err != nil {
			return err
		}
		err = t.write(req.meter, o.key, o.rel, resp.Body)
		resp.Body.Close()
		if err := c.copyErr(ctx, err, o.key); err != nil {
			return err
		}
	}
	return nil
}
