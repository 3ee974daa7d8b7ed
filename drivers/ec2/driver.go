// Package ec2 is the Amazon EC2 driver, registered as "ec2", built on
// github.com/aws/aws-sdk-go-v2. It serves the core collections: realms
// (availability zones), hardware profiles (instance types), images (AMIs)
// and instances, with EC2's state machine (spec §8).
//
// Config.Provider is the region (default "us-east-1"). Credentials are the
// access key id (User) and secret access key (Password); when both are
// empty the SDK's default chain is used (environment, shared files,
// instance roles). Config.HTTPClient is used when set.
//
// Options (Config.Options):
//
//	endpoint      EC2 endpoint URL, for emulators and EC2-compatible clouds
//	max_attempts  how many times the SDK tries a request (default 3)
//	image_owners  comma-separated owners listed when no owner filter is
//	              given (default "self,amazon")
//
// Create accepts the driver option "subnet_id" in InstanceSpec.Options.
// Provider.As hands out the SDK client: target must be a **ec2.Client.
package ec2

import (
	"context"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

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
		ps[i] = deltacloud.ProviderInfo{ID: r, Entrypoints: map[string]string{"ec2": "ec2." + r + ".amazonaws.com"}}
	}
	return deltacloud.DriverInfo{Description: "Amazon Elastic Compute Cloud", Providers: ps}
}

// options are the parsed Config.Options.
type options struct {
	endpoint    string
	maxAttempts int
	owners      []string
}

func parseOptions(m map[string]string) (options, error) {
	o := options{owners: []string{"self", "amazon"}}
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
		case "image_owners":
			o.owners = nil
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					o.owners = append(o.owners, s)
				}
			}
		default:
			return o, deltacloud.Errorf(deltacloud.InvalidArgument,
				"ec2: unknown option %q (known: endpoint, max_attempts, image_owners)", k)
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
	if cfg.Credentials.User != "" || cfg.Credentials.Password != "" {
		loads = append(loads, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.Credentials.User, cfg.Credentials.Password, "")))
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
	return &conn{client: client, owners: o.owners}, nil
}

// conn is one opened provider.
type conn struct {
	client *ec2.Client
	owners []string
}

// features are what the driver honours (spec §6, less what needs the
// optional collections).
var features = deltacloud.MustFeatures(
	deltacloud.FeatureOwnerID,
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

// As hands out the SDK client: target must be a **ec2.Client.
func (c *conn) As(target any) bool {
	p, ok := target.(**ec2.Client)
	if ok {
		*p = c.client
	}
	return ok
}

func (c *conn) Close() error { return nil }
