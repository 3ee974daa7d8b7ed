// Package ec2 is the Amazon EC2 driver, registered as "ec2", built on
// github.com/aws/aws-sdk-go-v2. It serves the core collections: realms
// (availability zones), hardware profiles (instance types), images (AMIs)
// and instances, with EC2's state machine; and the optional ones:
// keys (key pairs), firewalls (security groups), addresses (Elastic IPs),
// storage volumes (EBS), storage snapshots, images made from instances,
// buckets and blobs through Amazon S3, and metrics through Amazon
// CloudWatch (metrics.go).
//
// Config.Provider is the region (default "us-east-1"). Credentials are the
// access key id (User) and secret access key (Password); temporary
// credentials (STS, SSO, an assumed role) add their session token to the
// password after a colon, "secret:token" (see splitSecret); when both are
// empty the SDK's default chain is used (environment, shared files,
// instance roles) — unless Config.NoAmbientCredentials is set, as the api
// handler sets it for every request: then the driver never reads the
// host's credentials, every call that needs AWS fails with ErrAuthFailure
// before a request is signed or sent, and HardwareProfiles answers from a
// built-in catalogue of common instance types (catalogue.go), as the
// original server served them to anonymous clients. Config.HTTPClient is
// used when set.
//
// Options (Config.Options; OptionDocs lists them for programs' help):
//
//	endpoint      EC2 endpoint URL, for emulators and EC2-compatible clouds
//	max_attempts  how many times the SDK tries a request (default 3)
//	image_owners  comma-separated owners whose images are listed when no
//	              owner or id filter is given; by default the caller's own
//	              images and the curated set of CuratedImages are listed
//	s3_endpoint   S3 endpoint URL, for S3-compatible stores and emulators
//	s3_path_style "true" addresses buckets in the path (endpoint/bucket/key)
//	              rather than the host name, as most S3-compatible stores need
//	s3_part_size  the multipart upload part size in MiB (default 8, at
//	              least 5): the most blob content PutBlob holds in memory
//	cloudwatch_endpoint
//	              CloudWatch endpoint URL (metrics), for emulators and
//	              compatible monitoring services
//	instance_types_ttl
//	              how long the provider keeps the region's instance types
//	              (a Go duration, default 1h, at most 168h; "0" lists them
//	              on every use): hardware profile listings, the profiles an
//	              image fits and the profile check of every create are
//	              answered from it, and a single profile is looked up with
//	              one request while the cache is empty or stale
//	cloudwatch_protocol
//	              the protocol spoken to CloudWatch: "cbor" (Smithy RPC v2
//	              CBOR, the SDK's and the default) or "query" (awsQuery:
//	              form-encoded requests and XML answers, which CloudWatch
//	              also answers and emulators that predate CBOR speak alone)
//
// Create accepts the driver option "subnet_id" in InstanceSpec.Options,
// and writes InstanceSpec.Tags as the instances' EC2 tags (the portable
// bounds are within EC2's); Instance.Tags shows every tag, Name included,
// and InstanceFilter.TagKey is sent to EC2 as a tag:Key filter.
// Provider.As hands out the SDK clients (a **ec2.Client, a **s3.Client or
// a **cloudwatch.Client) and a *RegionLister, which lists the account's
// regions from DescribeRegions, cached for RegionsTTL.
//
// Lookups by id are one Describe request naming the id (InstanceTypes,
// KeyNames, GroupIds, PublicIps, VolumeIds, SnapshotIds, ImageIds), never a
// listing; EC2's "….NotFound", InvalidInstanceType and "….Malformed"
// answers are ErrNotFound. Instance types are profiles of fixed cpu, memory
// (MiB) and instance store (decimal GB), with an enum architecture
// (default x86_64) for types that run several; images list the profiles
// their architecture runs on; an instance without a Name tag is named
// after its image, as the original Deltacloud named them; key pairs are
// AVAILABLE.
//
// Identifiers: keys are key pair names, firewalls security group ids
// (sg-…; an instance lists the ids of its groups, and InstanceSpec.Firewalls
// takes ids or names), addresses the public IPs, volumes, snapshots and
// images their EC2 ids, buckets their names and blobs their keys. Firewall
// rule ids are described in firewalls.go (RuleID).
//
// Errors: EC2 and S3 error codes map onto deltacloud codes (CodeFor);
// the SDK's error stays reachable with errors.As. A RateLimited error
// carries RetryAfter: the Retry-After header when AWS sends one, otherwise
// the backoff the SDK's standard retryer would wait before its next attempt
// (RetryAfterFor).
package ec2

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/s3store"
)

// DefaultRegion is the region used when Config.Provider is empty.
const DefaultRegion = "us-east-1"

func init() { deltacloud.Register("ec2", driver{}) }

type driver struct{}

// regions are the providers listed by Info, to callers without
// credentials (the driver list must not call AWS); others are accepted too.
// A provider lists the account's own regions with RegionLister.
var regions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
	"ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
	"ap-south-1", "sa-east-1",
}

func (driver) Info() deltacloud.DriverInfo {
	ps := make([]deltacloud.ProviderInfo, len(regions))
	for i, r := range regions {
		ps[i] = deltacloud.ProviderInfo{ID: r, Entrypoints: entrypoints(r)}
	}
	return deltacloud.DriverInfo{Description: "EC2", Providers: ps}
}

// entrypoints are a region's service endpoints by the kinds the original
// server listed: compute (ec2), storage (s3), load balancing (elb) and
// monitoring (mon). S3 is given in the dotted form every region answers to;
// the original's dashed s3-<region> form is not served by newer regions.
func entrypoints(region string) map[string]string {
	return map[string]string{
		"ec2": "ec2." + region + ".amazonaws.com",
		"s3":  "s3." + region + ".amazonaws.com",
		"elb": "elasticloadbalancing." + region + ".amazonaws.com",
		"mon": "monitoring." + region + ".amazonaws.com",
	}
}

// options are the parsed Config.Options.
type options struct {
	endpoint    string
	maxAttempts int
	owners      []string
	s3Endpoint  string
	pathStyle   bool
	partSize    int
	cwEndpoint  string
	typesTTL    time.Duration
	cwProtocol  string
	nameTag     bool
}

// DefaultPartSize is the multipart upload part size PutBlob uses unless
// the s3_part_size option says otherwise; MinPartSize is S3's minimum.
const (
	DefaultPartSize = s3store.DefaultPartSize
	MinPartSize     = s3store.MinPartSize
)

func parseOptions(m map[string]string) (options, error) {
	o := options{partSize: DefaultPartSize, typesTTL: DefaultInstanceTypesTTL}
	for k, v := range m {
		switch k {
		case "endpoint":
			o.endpoint = v
		case "max_attempts":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return o, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: option max_attempts=%q: want a positive integer", v)
			}
			o.maxAttempts = n
		case "s3_endpoint":
			o.s3Endpoint = v
		case "cloudwatch_endpoint":
			o.cwEndpoint = v
		case "cloudwatch_protocol":
			if !slices.Contains(cloudWatchProtocols, v) {
				return o, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: option cloudwatch_protocol=%q: want one of %s",
					v, strings.Join(cloudWatchProtocols, ", "))
			}
			o.cwProtocol = v
		case "name_tag":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return o, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: option name_tag=%q: want true or false", v)
			}
			o.nameTag = b
		case "s3_path_style":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return o, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: option s3_path_style=%q: want true or false", v)
			}
			o.pathStyle = b
		case "s3_part_size":
			n, err := strconv.Atoi(v)
			if err != nil || n < MinPartSize>>20 || n > 5<<10 {
				return o, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: option s3_part_size=%q: want MiB in 5..5120", v)
			}
			o.partSize = n << 20
		case "instance_types_ttl":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > maxInstanceTypesTTL {
				return o, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: option instance_types_ttl=%q: want a duration from 0 to 168h", v)
			}
			o.typesTTL = d
		case "image_owners":
			o.owners = nil
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					o.owners = append(o.owners, s)
				}
			}
			if o.owners == nil {
				// No owners would list every public AMI.
				return o, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: option image_owners=%q names no owner", v)
			}
		default:
			return o, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: unknown option %q (known: %s)", k, optionNames())
		}
	}
	return o, nil
}

// Open builds the SDK client; it does not call AWS.
func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	o, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	region := cfg.Provider
	if region == "" {
		region = DefaultRegion
	}
	loads := []func(*config.LoadOptions) error{config.WithRegion(region)}
	anonymous := cfg.Credentials.IsZero() && cfg.NoAmbientCredentials
	switch {
	case anonymous:
		loads = append(loads, config.WithCredentialsProvider(noCredentials{}))
	case !cfg.Credentials.IsZero():
		secret, token := splitSecret(cfg.Credentials.Password)
		loads = append(loads, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.Credentials.User, secret, token)))
	}
	if cfg.NoAmbientCredentials {
		// Nothing from the host's credential files, not even a profile's
		// credential_process or role to assume.
		loads = append(loads, config.WithSharedConfigFiles([]string{}), config.WithSharedCredentialsFiles([]string{}))
	}
	if o.maxAttempts > 0 {
		loads = append(loads, config.WithRetryMaxAttempts(o.maxAttempts))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, loads...)
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "ec2: cannot load the AWS configuration", Err: err}
	}
	client := ec2.NewFromConfig(awsCfg, func(eo *ec2.Options) {
		if o.endpoint != "" {
			eo.BaseEndpoint = aws.String(o.endpoint)
		}
		if cfg.HTTPClient != nil {
			eo.HTTPClient = cfg.HTTPClient
		}
	})
	s3c := s3.NewFromConfig(awsCfg, func(so *s3.Options) {
		if o.s3Endpoint != "" {
			so.BaseEndpoint = aws.String(o.s3Endpoint)
		}
		so.UsePathStyle = o.pathStyle
		// S3-compatible stores often send no checksums; that is no news.
		so.DisableLogOutputChecksumValidationSkipped = true
		if cfg.HTTPClient != nil {
			so.HTTPClient = cfg.HTTPClient
		}
	})
	cw := cloudwatch.NewFromConfig(awsCfg, func(co *cloudwatch.Options) {
		if o.cwEndpoint != "" {
			co.BaseEndpoint = aws.String(o.cwEndpoint)
		}
		if o.cwProtocol == CloudWatchQuery {
			co.Protocol = cloudWatchQueryProtocol()
		}
		if cfg.HTTPClient != nil {
			co.HTTPClient = cfg.HTTPClient
		}
		co.HTTPClient = bufferedDoer{next: co.HTTPClient}
	})
	attempts := o.maxAttempts
	if attempts == 0 {
		attempts = awsCfg.RetryMaxAttempts
	}
	if attempts == 0 {
		attempts = defaultAttempts
	}
	c := &conn{client: client, s3: s3c, cw: cw, owners: o.owners, region: region,
		attempts: attempts, anonymous: anonymous, types: &typeCache{ttl: o.typesTTL, now: time.Now},
		nameTag: o.nameTag, regionKey: regionKeyOf(o.endpoint, cfg.Credentials)}
	// Buckets and blobs are the shared S3 code's (internal/s3store).
	c.Store = &s3store.Store{Client: s3c, Name: "ec2", Region: region, BareRegion: "us-east-1",
		PartSize: o.partSize, Wrap: c.wrap}
	return c, nil
}

// splitSecret splits a password into the secret access key and the
// session token of temporary credentials, written "secret:token". Neither
// holds a colon (secrets are 40 base64 characters, tokens base64), so the
// first colon separates them; a password without one is a long-term
// secret. The token then travels as X-Amz-Security-Token on every signed
// request, to EC2, S3 and CloudWatch alike. Over REST this is the basic
// auth password, which may hold colons, so a client of the server needs
// nothing more than a user and a password; the token is a credential like
// the secret and is never logged or shown.
func splitSecret(password string) (secret, token string) {
	secret, token, _ = strings.Cut(password, ":")
	return secret, token
}

// errNoCredentials is why an anonymous provider signs nothing.
var errNoCredentials = errors.New("ec2: no credentials given, and this provider may not use the host's (Config.NoAmbientCredentials)")

// noCredentials is the credentials provider of an anonymous provider: the
// SDK asks it before signing a request and gets an error, so the request is
// never sent.
type noCredentials struct{}

func (noCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, errNoCredentials
}

// defaultAttempts is the SDK standard retryer's default attempt count.
const defaultAttempts = 3

// conn is one opened provider.
type conn struct {
	// Store serves buckets and blobs (Amazon S3).
	*s3store.Store
	client *ec2.Client
	s3     *s3.Client
	cw     *cloudwatch.Client
	owners []string
	region string
	// attempts is how many times the SDK tries a request, for RetryAfter.
	attempts int
	// anonymous: no credentials and no host identity; see noCredentials.
	anonymous bool
	// types caches the region's instance types (typecache.go).
	types *typeCache
	// nameTag: instances are named by their Name tag (option name_tag).
	nameTag bool
	// regionKey keys the region cache (regions.go); zero when the lists
	// are not cached.
	regionKey [32]byte
}

// featureNames are what the driver honours: the original ec2 driver's list,
// plus import_key (key pairs can be imported) and volume_name (the Name
// tag).
var featureNames = []deltacloud.FeatureName{
	deltacloud.FeatureOwnerID,
	deltacloud.FeatureImageName,
	deltacloud.FeatureImageDescription,
	deltacloud.FeatureBucketLocation,
	deltacloud.FeatureImportKey,
	deltacloud.FeatureVolumeName,
	deltacloud.FeatureMetrics,
	deltacloud.FeatureRealmFilter,
	deltacloud.FeatureUserData,
	deltacloud.FeatureFirewalls,
	deltacloud.FeatureAuthenticationKey,
	deltacloud.FeatureInstanceCount,
	deltacloud.FeatureAttachSnapshot,
}

// features are those of a provider; namedFeatures add user_name, the Name
// tag, for a provider opened with name_tag=true (see nameTag).
var (
	features      = deltacloud.MustFeatures(featureNames...)
	namedFeatures = deltacloud.MustFeatures(append(slices.Clone(featureNames), deltacloud.FeatureUserName)...).
			WithConstraint(deltacloud.FeatureUserName, "max_length", strconv.Itoa(deltacloud.MaxTagValueLen))
)

func (c *conn) Lifecycle() *deltacloud.StateMachine { return lifecycle }

func (c *conn) Features() deltacloud.Features {
	if c.nameTag {
		return namedFeatures.Clone()
	}
	return features.Clone()
}

// TagsInstances: InstanceSpec.Tags become EC2 tags of the instances.
func (c *conn) TagsInstances() bool { return true }

// As hands out the SDK clients and the region list: target must be a
// **ec2.Client, a **s3.Client, a **cloudwatch.Client or a *RegionLister.
func (c *conn) As(target any) bool {
	switch p := target.(type) {
	case *RegionLister:
		*p = c
	case **ec2.Client:
		*p = c.client
	case **s3.Client:
		*p = c.s3
	case **cloudwatch.Client:
		*p = c.cw
	default:
		return false
	}
	return true
}

func (c *conn) Close() error { return nil }
