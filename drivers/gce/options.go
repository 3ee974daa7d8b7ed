package gce

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Defaults of the options.
const (
	DefaultOwner       = "deltacloud"
	DefaultMachineType = "e2-small"
	DefaultSSHUser     = "deltacloud"
	DefaultDiskType    = "pd-balanced"
	DefaultNetwork     = "global/networks/default"
	// DefaultBlobChunkMiB is the size of one chunk of a resumable upload,
	// the most blob content PutBlob holds in memory.
	DefaultBlobChunkMiB = 8
)

// DefaultImages are the public image families listed as images when the
// images option is not set, as "project/family".
var DefaultImages = []string{
	"debian-cloud/debian-12",
	"debian-cloud/debian-12-arm64",
	"ubuntu-os-cloud/ubuntu-2404-lts-amd64",
	"ubuntu-os-cloud/ubuntu-2404-lts-arm64",
	"rocky-linux-cloud/rocky-linux-9",
	"cos-cloud/cos-stable",
	"windows-cloud/windows-2022",
}

// labelValueRE is Compute Engine's rule for label values the driver
// writes (lower-case letters, digits, _ and -, at most 63).
var labelValueRE = regexp.MustCompile(`^[a-z0-9_-]{1,63}$`)

// familyRE is "project/family".
var familyRE = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]/[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)

// options are the parsed Config.Options.
type options struct {
	project         string
	computeEndpoint string
	storageEndpoint string
	tokenEndpoint   string
	owner           string
	families        []string
	machineType     string
	network         string
	publicIP        bool
	sshUser         string
	diskType        string
	blobChunk       int
	buckets         bool
}

const knownOptions = "project, compute_endpoint, storage_endpoint, token_endpoint, owner, images, machine_type, network, public_ip, ssh_user, disk_type, blob_chunk_size, buckets"

// maxOptionLen bounds one option's value.
const maxOptionLen = 4096

// parseOptions reads Config.Options; every value is checked, and an
// unknown name is InvalidArgument.
func parseOptions(m map[string]string) (options, error) {
	o := options{owner: DefaultOwner, families: DefaultImages, machineType: DefaultMachineType,
		network: DefaultNetwork, publicIP: true, sshUser: DefaultSSHUser, diskType: DefaultDiskType,
		blobChunk: DefaultBlobChunkMiB << 20, buckets: true}
	for k, v := range m {
		v = strings.TrimSpace(v)
		if len(v) > maxOptionLen {
			return o, invalid("option %s is %d characters long; at most %d", truncate(k), len(v), maxOptionLen)
		}
		switch k {
		case "project":
			if err := checkProject(v); err != nil {
				return o, err
			}
			o.project = v
		case "compute_endpoint", "storage_endpoint", "token_endpoint":
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
				return o, invalid("option %s: want an http(s) URL without user information", k)
			}
			switch k {
			case "compute_endpoint":
				o.computeEndpoint = strings.TrimSuffix(v, "/") + "/"
			case "storage_endpoint":
				o.storageEndpoint = strings.TrimSuffix(v, "/") + "/"
			default:
				o.tokenEndpoint = v
			}
		case "owner":
			if !labelValueRE.MatchString(v) {
				return o, invalid("option owner=%q: want 1-63 lower-case letters, digits, _ or -", truncate(v))
			}
			o.owner = v
		case "images":
			o.families = nil
			for _, f := range strings.Split(v, ",") {
				if f = strings.TrimSpace(f); f == "" {
					continue
				}
				if !familyRE.MatchString(f) {
					return o, invalid("option images: %q is not project/family", truncate(f))
				}
				o.families = append(o.families, f)
			}
		case "machine_type":
			if !nameRE.MatchString(v) {
				return o, invalid("option machine_type=%q is not a machine type name", truncate(v))
			}
			o.machineType = v
		case "network":
			if v == "" || strings.ContainsAny(v, " ?#") {
				return o, invalid("option network: want a network URL or global/networks/NAME")
			}
			o.network = v
		case "public_ip", "buckets":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return o, invalid("option %s=%q: want true or false", k, truncate(v))
			}
			if k == "public_ip" {
				o.publicIP = b
			} else {
				o.buckets = b
			}
		case "ssh_user":
			if !sshUserRE.MatchString(v) {
				return o, invalid("option ssh_user=%q: want a Linux user name", truncate(v))
			}
			o.sshUser = v
		case "disk_type":
			if !nameRE.MatchString(v) {
				return o, invalid("option disk_type=%q is not a disk type", truncate(v))
			}
			o.diskType = v
		case "blob_chunk_size":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 256 {
				return o, invalid("option blob_chunk_size=%q: want MiB from 1 to 256", truncate(v))
			}
			o.blobChunk = n << 20
		default:
			return o, invalid("unknown option %q (known: %s)", truncate(k), knownOptions)
		}
	}
	return o, nil
}

// nameRE is Compute Engine's rule for resource names.
var nameRE = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)

var sshUserRE = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
