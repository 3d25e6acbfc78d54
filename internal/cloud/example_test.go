package cloud_test

import (
	"fmt"

	"github.com/gofetch/fetch/internal/cloud"
)

// ExampleParseSource reads the three S3 URL styles and a GCS URL; the
// credentials in a query never show in Shown.
func ExampleParseSource() {
	for _, src := range []string{
		"s3::https://s3-eu-west-1.amazonaws.com/bucket/releases/v1.tar.gz",
		"s3::https://bucket.s3.eu-west-1.amazonaws.com/releases/",
		"s3::http://127.0.0.1:9000/bucket/key?region=eu-central-1&aws_access_key_id=AKID&aws_access_key_secret=SECRET",
		"gcs::https://www.googleapis.com/storage/v1/bucket/dir/file.txt#1700000000",
	} {
		s, err := cloud.ParseSource(src)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s bucket=%s key=%s (%s)\n", s.Getter, s.Bucket, s.Key, s.Shown())
	}
	// Output:
	// s3 bucket=bucket key=releases/v1.tar.gz (s3::https://s3-eu-west-1.amazonaws.com/bucket/releases/v1.tar.gz)
	// s3 bucket=bucket key=releases/ (s3::https://bucket.s3.eu-west-1.amazonaws.com/releases/)
	// s3 bucket=bucket key=key (s3::http://127.0.0.1:9000/bucket/key)
	// gcs bucket=bucket key=dir/file.txt (gcs::https://www.googleapis.com/storage/v1/bucket/dir/file.txt)
}
