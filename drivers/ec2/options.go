package ec2

import (
	"slices"
	"strings"
)

// OptionDoc is one driver option (Config.Options) with what it does, for
// programs that show the driver's options to their users (the example
// server's -h does).
type OptionDoc struct {
	Name, Usage string
}

// OptionDocs returns the driver's options, sorted by name. They are the
// options Open accepts: any other is InvalidArgument.
func OptionDocs() []OptionDoc { return slices.Clone(optionDocs) }

var optionDocs = []OptionDoc{
	{"cloudwatch_endpoint", "CloudWatch endpoint URL (metrics), for emulators and compatible monitoring services"},
	{"cloudwatch_protocol", "protocol spoken to CloudWatch: cbor (Smithy RPC v2 CBOR, the SDK's; default) or query (awsQuery, for emulators that predate CBOR)"},
	{"endpoint", "EC2 endpoint URL, for emulators and EC2-compatible clouds (default: the region's)"},
	{"image_owners", `comma-separated owners (account ids, self, amazon, …) whose images are listed when no owner or id filter is given; default: your own images and the newest of a curated set (Amazon Linux 2023, Ubuntu 24.04 and 22.04 LTS, Debian 12, Windows Server 2022)`},
	{"instance_types_ttl", `how long the region's instance types (hardware profiles) are kept, a Go duration up to 168h (default 1h; "0" lists them on every use)`},
	{"max_attempts", "how many times the SDK tries a request (default 3)"},
	{"name_tag", "true advertises user_name: a create's name becomes the instance's Name tag, which names it (default false, as the original)"},
	{"s3_endpoint", "S3 endpoint URL (buckets and blobs), for S3-compatible stores and emulators"},
	{"s3_part_size", "multipart upload part size in MiB, 5..5120 (default 8): the most blob content an upload holds in memory"},
	{"s3_path_style", "true addresses buckets in the path (endpoint/bucket/key) rather than the host name, as most S3-compatible stores need"},
}

// optionNames lists the option names for error messages.
func optionNames() string {
	names := make([]string, len(optionDocs))
	for i, o := range optionDocs {
		names[i] = o.Name
	}
	return strings.Join(names, ", ")
}
