// Package cloud downloads S3 and GCS objects for the fetch-cloud
// executable, which fetch runs for s3:: and gcs:: sources. It lives apart
// from fetch's core so that only fetch-cloud links a cloud SDK: S3 goes
// through aws-sdk-go-v2 (service/s3, config, credentials), GCS through its
// JSON API over net/http with golang.org/x/oauth2/google credentials.
//
// Sources keep go-getter's grammar (see ParseSource). A download never
// leaves a partial destination: everything is written under DST.tmp-* next
// to it and renamed into place at the end. In directory mode every object
// under the prefix becomes a regular file; a key that would land outside
// the destination (a ".." element, an absolute path, an empty element) is
// refused, as go-getter v1.8.10 refuses it, and no symbolic link is ever
// made.
//
// The getters have the shape of go-getter v2's Getter (Get, GetFile,
// Mode) so that they can move behind it when fetch's core is on v2.
//
// Only cmd/fetch-cloud may import this package.
package cloud
