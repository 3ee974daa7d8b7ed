package digitalocean

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/s3store"
)

// spacesOptions are the options of buckets and blobs.
type spacesOptions struct {
	key, secret, endpoint string
	partSize              int
}

// parseSpacesOption reads one Spaces option; false for another name.
func parseSpacesOption(o *spacesOptions, k, v string) (bool, error) {
	switch k {
	case "spaces_key":
		o.key = v
	case "spaces_secret":
		o.secret = v
	case "spaces_endpoint":
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
			return true, invalid("option spaces_endpoint: want an http(s) URL without user information")
		}
		o.endpoint = v
	case "spaces_part_size":
		n, err := strconv.Atoi(v)
		if err != nil || n < s3store.MinPartSize>>20 || n > 5<<10 {
			return true, invalid("option spaces_part_size=%q: want MiB in 5..5120", v)
		}
		o.partSize = n << 20
	default:
		return false, nil
	}
	return true, nil
}

// errNoSpacesKeys is why a provider without a token does not use the
// operator's Spaces keys.
var errNoSpacesKeys = errors.New("digitalocean: no API token given, so the operator's Spaces keys may not be used (Config.NoAmbientCredentials)")

// refusingKeys is the credentials provider of a provider that may not use
// the Spaces keys: the SDK asks it before signing, and nothing is sent.
type refusingKeys struct{}

func (refusingKeys) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, errNoSpacesKeys
}

// newSpaces builds the buckets store, or nil without spaces_key. With
// Config.NoAmbientCredentials and no token the keys are refused, as the
// token is: they are the operator's identity, not the caller's.
func (c *conn) newSpaces(o spacesOptions, hc *http.Client, refuse bool) (*s3store.Store, error) {
	if o.key == "" {
		if o.secret != "" || o.endpoint != "" {
			return nil, invalid("options spaces_secret and spaces_endpoint need spaces_key")
		}
		return nil, nil
	}
	if o.secret == "" {
		return nil, invalid("option spaces_key needs spaces_secret")
	}
	endpoint := o.endpoint
	if endpoint == "" {
		endpoint = "https://" + c.region + ".digitaloceanspaces.com"
	}
	var creds aws.CredentialsProvider = credentials.NewStaticCredentialsProvider(o.key, o.secret, "")
	if refuse {
		creds = refusingKeys{}
	}
	client := s3.New(s3.Options{
		// Spaces ignores the signing region; the SDK needs one.
		Region: "us-east-1", BaseEndpoint: aws.String(endpoint), UsePathStyle: true,
		Credentials: creds, HTTPClient: hc, DisableLogOutputChecksumValidationSkipped: true,
	})
	return &s3store.Store{Client: client, Name: "digitalocean", Region: c.region, BareRegion: c.region,
		PartSize: o.partSize, Wrap: c.wrapSpaces}, nil
}

// Collections are the core and optional collections, with buckets only
// when Spaces keys are configured.
func (c *conn) Collections() []deltacloud.Collection {
	cs := []deltacloud.Collection{deltacloud.CollectionRealms, deltacloud.CollectionHardwareProfiles,
		deltacloud.CollectionImages, deltacloud.CollectionInstances, deltacloud.CollectionInstanceStates,
		deltacloud.CollectionKeys, deltacloud.CollectionFirewalls, deltacloud.CollectionAddresses,
		deltacloud.CollectionStorageVolumes, deltacloud.CollectionStorageSnapshots, deltacloud.CollectionMetrics}
	if c.Store != nil {
		cs = append(cs, deltacloud.CollectionBuckets)
	}
	return cs
}

// wrapSpaces maps a Spaces (S3 API) error: S3's error code where it has
// one (s3store.CodeFor), else the HTTP status as for the API (CodeFor).
func (c *conn) wrapSpaces(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code := deltacloud.CodeUnknown
	msg := "digitalocean: spaces"
	var api smithy.APIError
	if errors.As(err, &api) {
		code = s3store.CodeFor(api.ErrorCode())
		msg += ": " + truncate(api.ErrorCode(), 64)
		if m := api.ErrorMessage(); m != "" {
			msg += ": " + truncate(m, 200)
		}
	}
	var re *awshttp.ResponseError
	if code == deltacloud.CodeUnknown && errors.As(err, &re) {
		code = CodeFor(re.HTTPStatusCode(), "")
	}
	if code == deltacloud.CodeUnknown && errors.Is(err, errNoSpacesKeys) {
		code = deltacloud.AuthFailure
	}
	if code == deltacloud.CodeUnknown {
		code = classify(err)
	}
	if code == deltacloud.CodeUnknown {
		code = deltacloud.Backend
	}
	e := &deltacloud.Error{Code: code, Message: msg, Err: err}
	if code == deltacloud.RateLimited && errors.As(err, &re) && re.Response != nil {
		e.RetryAfter = RetryAfter(re.Response.Header, time.Now())
	}
	return e
}

// spacesHost is the Spaces endpoint host of a region, for Info.
func spacesHost(region string) string { return strings.ToLower(region) + ".digitaloceanspaces.com" }
