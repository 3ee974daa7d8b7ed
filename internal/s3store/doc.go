// Package s3store is what the drivers that speak the S3 API share: the
// buckets and blobs collections over an aws-sdk-go-v2 S3 client (Store),
// used by drivers/ec2 against Amazon S3 and by drivers/digitalocean against
// DigitalOcean Spaces, and the reading of a Retry-After header that both
// those drivers' throttled answers carry.
package s3store
