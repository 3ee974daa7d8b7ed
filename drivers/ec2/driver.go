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
// access key id (User) and secret access key (Password); when both are
// empty the SDK's default chain is used (environment, shared files,
// instance roles) — unless Config.NoAmbientCredentials is set, as the api
// handler sets it for every request: then the driver never reads the
// host's credentials, every call that needs AWS fails with ErrAuthFailure
// before a request is signed or sent, and HardwareProfiles answers from a
// built-in catalogue of common instance types (catalogue.go), as the
// original server served them to anonymous clients. Config.HTTPClient is
// used when set.
//
// Options (Config.Options):
//
//	endpoint      EC2 endpoint URL, for emulators and EC2-compatible clouds
//	max_attempts  how many times the SDK tries a request (default 3)
//	image_owners  comma-separated owners listed when no owner filter is
//	              given (default "self,amazon")
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
//
// Create accepts the driver option "subnet_id" in InstanceSpec.Options.
// Provider.As hands out the SDK clients: target must be a **ec2.Client, a
// **s3.Client or a **cloudwatch.Client.
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
)

// DefaultRegion is the region used when Config.Provider is empty.
const DefaultRegion = "us-east-1"

func init() { deltacloud.Register("ec2", driver{}) }

type driver struct{}

// regions are the providers listed by Info; others are accepted too.
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
}

// DefaultPartSize is the multipart upload part size PutBlob uses unless
// the s3_part_size option says otherwise; MinPartSize is S3's minimum.
const (
	DefaultPartSize = 8 << 20
	MinPartSize     = 5 << 20
)

func parseOptions(m map[string]string) (options, error) {
	o := options{owners: []string{"self", "amazon"}, partSize: DefaultPartSize, typesTTL: DefaultInstanceTypesTTL}
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
		default:
			return o, deltacloud.Errorf(deltacloud.InvalidArgument,
				"ec2: unknown option %q (known: endpoint, max_attempts, image_owners, s3_endpoint, s3_path_style, s3_part_size, cloudwatch_endpoint, instance_types_ttl)", k)
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
		loads = append(loads, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.Credentials.User, cfg.Credentials.Password, "")))
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
		if cfg.HTTPClient != nil {
			co.HTTPClient = cfg.HTTPClient
		}
	})
	attempts := o.maxAttempts
	if attempts == 0 {
		attempts = awsCfg.RetryMaxAttempts
	}
	if attempts == 0 {
		attempts = defaultAttempts
	}
	return &conn{client: client, s3: s3c, cw: cw, owners: o.owners, region: region, partSize: o.partSize,
		attempts: attempts, anonymous: anonymous, types: &typeCache{ttl: o.typesTTL, now: time.Now}}, nil
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
	client   *ec2.Client
	s3       *s3.Client
	cw       *cloudwatch.Client
	owners   []string
	region   string
	partSize int
	// attempts is how many times the SDK tries a request, for RetryAfter.
	attempts int
	// anonymous: no credentials and no host identity; see noCredentials.
	anonymous bool
	// types caches the region's instance types (typecache.go).
	types *typeCache
}

// features are what the driver honours: the original ec2 driver's list, plus
// import_key (key pairs can be imported) and volume_name (the Name tag).
var features = deltacloud.MustFeatures(
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
)

func (c *conn) Lifecycle() *deltacloud.StateMachine { return lifecycle }

func (c *conn) Features() deltacloud.Features { return features.Clone() }

// As hands out the SDK clients: target must be a **ec2.Client, a
// **s3.Client or a **cloudwatch.Client.
func (c *conn) As(target any) bool {
	switch p := target.(type) {
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
