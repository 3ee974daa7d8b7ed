package s3store

import "github.com/deltacloud-go/deltacloud"

// CodeFor classifies an S3 error code (smithy.APIError's ErrorCode), as
// Amazon S3 and S3-compatible stores such as DigitalOcean Spaces answer
// them; CodeUnknown for a code that is not S3's.
func CodeFor(apiCode string) deltacloud.Code {
	switch apiCode {
	case "NoSuchBucket", "NoSuchKey", "NotFound", "NoSuchUpload":
		return deltacloud.NotFound
	case "InvalidAccessKeyId", "ExpiredToken", "InvalidToken", "SignatureDoesNotMatch":
		return deltacloud.AuthFailure
	case "AccessDenied", "AllAccessDisabled":
		return deltacloud.Forbidden
	case "SlowDown":
		return deltacloud.RateLimited
	case "BucketNotEmpty", "OperationAborted":
		return deltacloud.InvalidState
	case "ServiceUnavailable":
		return deltacloud.Unavailable
	case "BucketAlreadyExists", "BucketAlreadyOwnedByYou", "PreconditionFailed":
		return deltacloud.Conflict
	case "EntityTooSmall", "EntityTooLarge", "MetadataTooLarge", "KeyTooLongError", "MalformedXML", "PermanentRedirect",
		"AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "InvalidBucketName", "InvalidArgument":
		return deltacloud.InvalidArgument
	case "InternalError":
		return deltacloud.Backend
	}
	return deltacloud.CodeUnknown
}
