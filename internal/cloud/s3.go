package cloud

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

// S3Getter downloads from S3 and S3-compatible servers with
// aws-sdk-go-v2. Credentials come from the source's query options when it
// has them, else from aws_profile, else from the SDK's default chain
// (environment, shared files, SSO, IMDS; AWS_METADATA_URL points IMDS
// elsewhere, as in go-getter).
type S3Getter struct {
	// HTTPClient, when set, makes the requests (tests).
	HTTPClient *http.Client
}

// client builds an S3 client for the source.
func (g *S3Getter) client(ctx context.Context, src *Source) (*s3.Client, error) {
	o := src.s3
	opts := []func(*config.LoadOptions) error{
		// The SDK would log to stderr, and fetch-cloud's stderr is one line.
		config.WithLogger(logging.Nop{}),
		config.WithClientLogMode(0),
	}
	if o.region != "" {
		opts = append(opts, config.WithRegion(o.region))
	}
	if o.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.profile))
	}
	if o.static {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(o.keyID, o.secret, o.token)))
	} else if v := os.Getenv("AWS_METADATA_URL"); v != "" {
		opts = append(opts, config.WithEC2IMDSEndpoint(v))
	}
	if g.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(g.HTTPClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		if o.profile != "" {
			return nil, errorf(ErrNoCredentials, err, "cannot load AWS profile %q: %v: check ~/.aws/config (or AWS_CONFIG_FILE) and the aws_profile option", o.profile, err)
		}
		return nil, errorf(ErrNoCredentials, err, "cannot load the AWS configuration: %v: check AWS_PROFILE, AWS_CONFIG_FILE and ~/.aws", err)
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	if cfg.Credentials != nil {
		cfg.Credentials = credsMarker{cfg.Credentials}
	}
	return s3.NewFromConfig(cfg, func(so *s3.Options) {
		so.DisableLogOutputChecksumValidationSkipped = true
		if o.endpoint != "" {
			// Not AWS: the server is the URL's host, path style, as most
			// S3-compatible servers expect. AWS keeps the SDK's default
			// (virtual-hosted style), as in go-getter.
			so.BaseEndpoint = aws.String(o.endpoint)
			so.UsePathStyle = true
		}
	}), nil
}

// credsMarker marks a failure to find credentials, so that it reads as
// ErrNoCredentials and not as a server's answer.
type credsMarker struct{ aws.CredentialsProvider }

// Retrieve passes the call on and marks its error.
func (c credsMarker) Retrieve(ctx context.Context) (aws.Credentials, error) {
	v, err := c.CredentialsProvider.Retrieve(ctx)
	if err != nil {
		return v, &credsError{err}
	}
	return v, nil
}

type credsError struct{ err error }

func (e *credsError) Error() string { return "no credentials: " + e.err.Error() }
func (e *credsError) Unwrap() error { return e.err }

// Mode is ModeFile when the key names an object, ModeDir when objects lie
// under KEY/.
func (g *S3Getter) Mode(ctx context.Context, src *Source) (Mode, error) {
	if src.Key == "" || strings.HasSuffix(src.Key, "/") {
		return ModeDir, nil
	}
	c, err := g.client(ctx, src)
	if err != nil {
		return 0, err
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(src.Bucket), Key: aws.String(src.Key)})
	if err == nil {
		return ModeFile, nil
	}
	if err := s3Error(err, src, "checking"); !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(src.Bucket), Prefix: aws.String(dirPrefix(src.Key)), MaxKeys: aws.Int32(1)})
	if err != nil {
		return 0, s3Error(err, src, "listing")
	}
	if len(out.Contents) > 0 {
		return ModeDir, nil
	}
	return 0, errorf(ErrNotFound, nil, "no object %q and no objects under %q in bucket %s: check the key (keys are case-sensitive)", shorten(src.Key), dirPrefix(src.Key), src.Bucket)
}

// GetFile downloads the object (the version the version option names, if
// any) to req.Dst.
func (g *S3Getter) GetFile(ctx context.Context, req *Request) error {
	src := req.Source
	c, err := g.client(ctx, src)
	if err != nil {
		return err
	}
	in := &s3.GetObjectInput{Bucket: aws.String(src.Bucket), Key: aws.String(src.Key)}
	if src.s3.version != "" {
		in.VersionId = aws.String(src.s3.version)
	}
	out, err := c.GetObject(ctx, in)
	if err != nil {
		return s3Error(err, src, "downloading")
	}
	defer out.Body.Close()
	req.meter.setTotal(aws.ToInt64(out.ContentLength))
	if err := req.meter.copy(req.Dst, out.Body); err != nil {
		return s3Error(err, src, "downloading")
	}
	return nil
}

// Get downloads every object under the prefix KEY/ below req.Dst.
func (g *S3Getter) Get(ctx context.Context, req *Request) error {
	src := req.Source
	c, err := g.client(ctx, src)
	if err != nil {
		return err
	}
	t, err := newTree(req.Dst, src)
	if err != nil {
		return err
	}
	// List everything first: the total is known before the first byte, and
	// an unsafe key fails the download before anything is fetched.
	type object struct {
		key, rel string
	}
	var objects []object
	var total int64
	listed := 0
	// The SDK's paginator would follow a server's tokens round a loop
	// forever; this loop remembers them.
	var next *string
	seen := pageTokens{}
	for {
		page, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(src.Bucket), Prefix: aws.String(t.prefix), ContinuationToken: next})
		if err != nil {
			return s3Error(err, src, "listing")
		}
		for _, o := range page.Contents {
			listed++
			if err := req.listedOne(listed, t.prefix); err != nil {
				return err
			}
			key := aws.ToString(o.Key)
			rel, ok, err := t.relPath(key)
			if err != nil {
				return err
			}
			if ok {
				objects = append(objects, object{key, rel})
				total += aws.ToInt64(o.Size)
			}
		}
		token := aws.ToString(page.NextContinuationToken)
		if !aws.ToBool(page.IsTruncated) || token == "" {
			break
		}
		if err := seen.next(src, token); err != nil {
			return err
		}
		next = aws.String(token)
	}
	if listed == 0 {
		return notFoundPrefix(src, t.prefix)
	}
	req.meter.setTotal(total)
	for _, o := range objects {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(src.Bucket), Key: aws.String(o.key)})
		if err != nil {
			return s3Error(err, &Source{Getter: src.Getter, URL: src.URL, Bucket: src.Bucket, Key: o.key}, "downloading")
		}
		err = t.write(req.meter, o.key, o.rel, out.Body)
		out.Body.Close()
		if err != nil {
			return s3Error(err, src, "downloading")
		}
	}
	return nil
}

// s3Error turns an SDK error into an *Error whose line says what to do.
// Errors that already are *Error pass through.
func s3Error(err error, src *Source, doing string) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	var ce *credsError
	if errors.As(err, &ce) {
		return errorf(ErrNoCredentials, err, "no AWS credentials found for bucket %s: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add aws_profile=NAME to the source", src.Bucket)
	}
	code := ""
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	switch {
	case code == "NoSuchBucket":
		return errorf(ErrNotFound, err, "bucket %s does not exist at %s: check the bucket name and the region", src.Bucket, endpointOf(src))
	case code == "NoSuchKey" || code == "NoSuchVersion" || code == "NotFound" || status == http.StatusNotFound:
		if src.s3.version != "" {
			return errorf(ErrNotFound, err, "%s has no version %q: check the key and the version option", keyWord(src), src.s3.version)
		}
		return errorf(ErrNotFound, err, "%s does not exist: check the key (keys are case-sensitive)", keyWord(src))
	case code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "ExpiredToken" || code == "InvalidToken":
		return errorf(ErrDenied, err, "the server refused the AWS credentials (%s) for bucket %s: check the access key, the secret and the session token", code, src.Bucket)
	case code == "AccessDenied" || code == "Forbidden" || status == http.StatusForbidden:
		return errorf(ErrDenied, err, "access denied %s %s: check that the credentials may read it", doing, keyWord(src))
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	}
	if code != "" {
		msg := code
		if ae.ErrorMessage() != "" {
			msg += ": " + ae.ErrorMessage()
		}
		return errorf(ErrFailed, err, "%s %s failed: %s", doing, keyWord(src), msg)
	}
	return errorf(ErrFailed, err, "%s %s failed: %v: check the network and the endpoint %s", doing, keyWord(src), err, endpointOf(src))
}

// endpointOf names the server for messages.
func endpointOf(src *Source) string {
	if src.s3.endpoint != "" {
		return src.s3.endpoint
	}
	return src.URL.Host
}
