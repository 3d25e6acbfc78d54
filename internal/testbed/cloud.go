package testbed

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// ObjectStore is the state shared by the S3 and GCS stand-ins: one bucket
// of objects, listed in pages, with optional credentials and objects that
// stall mid-body (for interrupt tests).
type ObjectStore struct {
	// Bucket is the only bucket that exists.
	Bucket string

	mu       sync.Mutex
	pageSize int    // keys in one list page; 0 means 1000
	loop     bool   // list pages lead back to each other (LoopPages)
	secret   string // S3: the only key ID accepted; GCS: the only token
	objects  map[string][]byte
	stalls   map[string]chan struct{}
	gets     map[string]int
}

func newStore(bucket string, objects map[string][]byte) *ObjectStore {
	s := &ObjectStore{Bucket: bucket, objects: map[string][]byte{}, stalls: map[string]chan struct{}{}, gets: map[string]int{}}
	for k, v := range objects {
		s.objects[k] = v
	}
	return s
}

// SetPageSize sets how many keys one list page holds (0: 1000).
func (s *ObjectStore) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = n
}

// LoopPages makes the list hostile: every page holds the first keys
// under the prefix and names a next page, the tokens going round a
// cycle of two ("loop-a", "loop-b", "loop-a", ...), so a client that
// follows tokens without remembering them lists forever.
func (s *ObjectStore) LoopPages() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loop = true
}

// Require makes the server refuse requests without a credential: for the
// S3 stand-in, requests not signed with this access key ID; for the GCS
// one, requests without this bearer token.
func (s *ObjectStore) Require(credential string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secret = credential
}

func (s *ObjectStore) required() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.secret
}

// Put adds or replaces an object.
func (s *ObjectStore) Put(key string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[key] = body
}

// Stall makes downloads of key send the first half of its body, then wait
// until the client goes away. The channel is closed when the first such
// download has sent its half.
func (s *ObjectStore) Stall(key string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{})
	s.stalls[key] = ch
	return ch
}

// Gets is how many times the body of key was asked for.
func (s *ObjectStore) Gets(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gets[key]
}

func (s *ObjectStore) object(key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[key]
	return b, ok
}

// page returns the keys under prefix after the one named by token, at most
// PageSize of them, and the token of the next page ("" at the end).
func (s *ObjectStore) page(prefix, token string, max int) ([]string, string) {
	s.mu.Lock()
	var keys []string
	for k := range s.objects {
		if strings.HasPrefix(k, prefix) && k > token {
			keys = append(keys, k)
		}
	}
	size, loop := s.pageSize, s.loop
	s.mu.Unlock()
	sort.Strings(keys)
	if size <= 0 {
		size = 1000
	}
	if max > 0 && max < size {
		size = max
	}
	if loop {
		next := "loop-a"
		if token == "loop-a" {
			next = "loop-b"
		}
		return keys[:min(size, len(keys))], next
	}
	if len(keys) > size {
		return keys[:size], keys[size-1]
	}
	return keys, ""
}

// serve writes an object's body, stalling if asked to.
func (s *ObjectStore) serve(w http.ResponseWriter, r *http.Request, key string, body []byte) {
	s.mu.Lock()
	s.gets[key]++
	stall := s.stalls[key]
	if stall != nil {
		delete(s.stalls, key)
	}
	s.mu.Unlock()
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if stall == nil {
		w.Write(body)
		return
	}
	w.Write(body[:len(body)/2])
	w.(http.Flusher).Flush()
	close(stall)
	<-r.Context().Done()
}

// S3Server is a loopback stand-in for an S3-compatible server, path style:
// ListObjectsV2 (prefix, continuation tokens, max-keys), GetObject and
// HeadObject, with S3's XML error codes (NoSuchBucket, NoSuchKey). After
// Require(KEYID), a request signed with another key ID gets
// InvalidAccessKeyId, and an unsigned one AccessDenied; signatures are
// not checked.
type S3Server struct {
	*ObjectStore
	// URL is the endpoint, http://127.0.0.1:PORT.
	URL string
	srv *httptest.Server
}

// NewS3Server starts an S3Server with one bucket; Close stops it.
func NewS3Server(bucket string, objects map[string][]byte) *S3Server {
	s := &S3Server{ObjectStore: newStore(bucket, objects)}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *S3Server) Close() { s.srv.Close() }

func s3Fail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, code, msg)
	}
}

func (s *S3Server) handle(w http.ResponseWriter, r *http.Request) {
	if id := s.required(); id != "" {
		auth := r.Header.Get("Authorization")
		switch {
		case auth == "":
			s3Fail(w, r, http.StatusForbidden, "AccessDenied", "Access Denied")
			return
		case !strings.Contains(auth, "Credential="+id+"/"):
			s3Fail(w, r, http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
			return
		}
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if bucket != s.Bucket {
		s3Fail(w, r, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
		return
	}
	q := r.URL.Query()
	if key == "" && q.Get("list-type") == "2" {
		s.list(w, q)
		return
	}
	body, ok := s.object(key)
	if !ok {
		s3Fail(w, r, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		return
	}
	s.serve(w, r, key, body)
}

func (s *S3Server) list(w http.ResponseWriter, q url.Values) {
	type content struct {
		Key  string
		Size int
	}
	var out struct {
		XMLName               xml.Name `xml:"ListBucketResult"`
		Name                  string
		Prefix                string
		KeyCount              int
		MaxKeys               int
		IsTruncated           bool
		NextContinuationToken string `xml:",omitempty"`
		Contents              []content
	}
	max, _ := strconv.Atoi(q.Get("max-keys"))
	keys, next := s.page(q.Get("prefix"), q.Get("continuation-token"), max)
	out.Name, out.Prefix, out.KeyCount, out.MaxKeys = s.Bucket, q.Get("prefix"), len(keys), 1000
	out.IsTruncated, out.NextContinuationToken = next != "", next
	for _, k := range keys {
		b, _ := s.object(k)
		out.Contents = append(out.Contents, content{k, len(b)})
	}
	w.Header().Set("Content-Type", "application/xml")
	xml.NewEncoder(w).Encode(out)
}

// GCSServer is a loopback stand-in for Google Cloud Storage's JSON API,
// the way clients reach an emulator through STORAGE_EMULATOR_HOST: objects
// list (prefix, pageToken, maxResults), object metadata and media download
// (alt=media, generation), with the API's JSON errors. Every object is at
// generation 1. After Require(TOKEN), a request without "Authorization:
// Bearer TOKEN" gets 401.
type GCSServer struct {
	*ObjectStore
	// Host is the address for STORAGE_EMULATOR_HOST, 127.0.0.1:PORT.
	Host string
	srv  *httptest.Server
}

// NewGCSServer starts a GCSServer with one bucket; Close stops it.
func NewGCSServer(bucket string, objects map[string][]byte) *GCSServer {
	s := &GCSServer{ObjectStore: newStore(bucket, objects)}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	s.Host = strings.TrimPrefix(s.srv.URL, "http://")
	return s
}

// Close stops the server.
func (s *GCSServer) Close() { s.srv.Close() }

func gcsFail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": status, "message": msg}})
}

func (s *GCSServer) handle(w http.ResponseWriter, r *http.Request) {
	if tok := s.required(); tok != "" && r.Header.Get("Authorization") != "Bearer "+tok {
		gcsFail(w, http.StatusUnauthorized, "Anonymous caller does not have storage.objects.get access.")
		return
	}
	// The object name is one escaped path element: split the raw path.
	parts := strings.SplitN(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/", 6)
	if len(parts) < 5 || parts[0] != "storage" || parts[1] != "v1" || parts[2] != "b" || parts[4] != "o" {
		gcsFail(w, http.StatusNotFound, "Not Found")
		return
	}
	if bucket, _ := url.PathUnescape(parts[3]); bucket != s.Bucket {
		gcsFail(w, http.StatusNotFound, "The specified bucket does not exist.")
		return
	}
	q := r.URL.Query()
	if len(parts) == 5 {
		s.list(w, q)
		return
	}
	name, err := url.PathUnescape(parts[5])
	body, ok := s.object(name)
	if err != nil || !ok || (q.Get("generation") != "" && q.Get("generation") != "1") {
		gcsFail(w, http.StatusNotFound, "No such object: "+s.Bucket+"/"+name)
		return
	}
	if q.Get("alt") == "media" {
		s.serve(w, r, name, body)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"name": name, "bucket": s.Bucket, "size": strconv.Itoa(len(body)), "generation": "1"})
}

func (s *GCSServer) list(w http.ResponseWriter, q url.Values) {
	type item struct {
		Name       string `json:"name"`
		Bucket     string `json:"bucket"`
		Size       string `json:"size"`
		Generation string `json:"generation"`
	}
	var out struct {
		Kind          string `json:"kind"`
		Items         []item `json:"items,omitempty"`
		NextPageToken string `json:"nextPageToken,omitempty"`
	}
	max, _ := strconv.Atoi(q.Get("maxResults"))
	keys, next := s.page(q.Get("prefix"), q.Get("pageToken"), max)
	out.Kind, out.NextPageToken = "storage#objects", next
	for _, k := range keys {
		b, _ := s.object(k)
		out.Items = append(out.Items, item{k, s.Bucket, strconv.Itoa(len(b)), "1"})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// cloudArgs reads the arguments of s3server and gcsserver: DIR, whose
// files (relative slash paths) are the objects, then bucket=B, page=N,
// require=CRED and object=KEY:FILE (an object with any key, ".." ones
// included, holding FILE's content).
func cloudArgs(ts *testscript.TestScript, neg bool, cmd string, args []string) (string, map[string][]byte, int, string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: %s DIR [bucket=B] [page=N] [require=CREDENTIAL] [object=KEY:FILE]...", cmd)
	}
	objects, err := readTree(ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("%s: %v", cmd, err)
	}
	all := map[string][]byte{}
	for k, v := range objects {
		all[k] = []byte(v)
	}
	bucket, page, cred := "bucket", 0, ""
	for _, a := range args[1:] {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "bucket":
			bucket = v
		case "page":
			page, err = strconv.Atoi(v)
			ts.Check(err)
		case "require":
			cred = v
		case "object":
			key, file, ok := strings.Cut(v, ":")
			if !ok {
				ts.Fatalf("%s: object=%s: want object=KEY:FILE", cmd, v)
			}
			all[key] = []byte(ts.ReadFile(file))
		default:
			ts.Fatalf("%s: argument %q: want bucket=, page=, require= or object=", cmd, a)
		}
	}
	return bucket, all, page, cred
}

// cmdS3Server starts an S3Server for the script:
//
//	s3server DIR [bucket=B] [page=N] [require=KEYID] [object=KEY:FILE]...
//
// and sets $S3_ENDPOINT to its URL (sources are
// s3::$S3_ENDPOINT/BUCKET/KEY).
func cmdS3Server(ts *testscript.TestScript, neg bool, args []string) {
	bucket, objects, page, cred := cloudArgs(ts, neg, "s3server", args)
	s := NewS3Server(bucket, objects)
	ts.Defer(s.Close)
	s.SetPageSize(page)
	s.Require(cred)
	ts.Setenv("S3_ENDPOINT", s.URL)
}

// cmdGCSServer starts a GCSServer for the script:
//
//	gcsserver DIR [bucket=B] [page=N] [require=TOKEN] [object=KEY:FILE]...
//
// and sets $STORAGE_EMULATOR_HOST to its address (sources are
// gcs::https://www.googleapis.com/storage/v1/BUCKET/OBJECT).
func cmdGCSServer(ts *testscript.TestScript, neg bool, args []string) {
	bucket, objects, page, cred := cloudArgs(ts, neg, "gcsserver", args)
	s := NewGCSServer(bucket, objects)
	ts.Defer(s.Close)
	s.SetPageSize(page)
	s.Require(cred)
	ts.Setenv("STORAGE_EMULATOR_HOST", s.Host)
}
