package ec2

import (
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
)

// The protocols the driver can speak to CloudWatch (option
// cloudwatch_protocol). The pinned CloudWatch client speaks Smithy RPC v2
// CBOR; CloudWatch itself still answers awsQuery, the protocol it spoke
// alone before, and emulators written before CBOR answer nothing else. The
// client is the SDK's either way: its operations carry their schemas, and
// smithy-go's awsQuery protocol serialises the same inputs as form-encoded
// Action=… requests and reads the XML answers and error documents, signed
// with the same SigV4 signer and retried by the same retryer.
const (
	CloudWatchCBOR  = "cbor"
	CloudWatchQuery = "query"
)

// cloudWatchProtocols are the values the cloudwatch_protocol option takes.
var cloudWatchProtocols = []string{CloudWatchCBOR, CloudWatchQuery}

// cloudWatchQueryProtocol is the awsQuery protocol for CloudWatch's
// service (API version 2010-08-01).
func cloudWatchQueryProtocol() smithyhttp.ClientProtocol {
	return awsquery.New(schemas.GraniteServiceVersion20100801)
}
