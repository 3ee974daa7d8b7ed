package vsphere

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// Defaults of the options.
const (
	DefaultOwner           = "deltacloud"
	DefaultShutdownTimeout = 2 * time.Minute
	DefaultMaxUserData     = 64 << 10
	// maxUserDataLimit bounds the max_user_data option: guestinfo values
	// live in the VM's .vmx file, which vSphere keeps small.
	maxUserDataLimit = 1 << 20
	// maxOptionLen bounds every option value and the provider string.
	maxOptionLen = 4096
	// maxProfiles bounds the profiles option.
	maxProfiles = 64
	// logoutTimeout bounds the logout of Close.
	logoutTimeout = 10 * time.Second
)

// options are the parsed Config.Options.
type options struct {
	datacenter      string
	resourcePool    string
	folder          string
	datastore       string
	network         string
	insecure        bool
	owner           string
	allVMs          bool
	profiles        []FixedProfile
	powerOff        bool
	shutdownTimeout time.Duration
	maxUserData     int
}

// FixedProfile is a hardware profile an operator declares with the profiles
// option: a name with a fixed cpu count and memory size.
type FixedProfile struct {
	Name      string
	CPU       int
	MemoryMiB int
}

var knownOptions = "datacenter, resource_pool, folder, datastore, network, insecure, owner, all_vms, profiles, stop, shutdown_timeout, max_user_data"

// invalid builds an InvalidArgument error.
func invalid(format string, args ...any) error {
	return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "vsphere: " + fmt.Sprintf(format, args...)}
}

// parseOptions reads Config.Options; an unknown key or a bad value is
// ErrInvalidArgument.
func parseOptions(m map[string]string) (options, error) {
	o := options{owner: DefaultOwner, shutdownTimeout: DefaultShutdownTimeout, maxUserData: DefaultMaxUserData}
	for k, v := range m {
		if len(v) > maxOptionLen {
			return o, invalid("option %s is %d bytes long; at most %d", k, len(v), maxOptionLen)
		}
		v = strings.TrimSpace(v)
		var err error
		switch k {
		case "datacenter":
			o.datacenter = v
		case "resource_pool":
			o.resourcePool = v
		case "folder":
			o.folder = v
		case "datastore":
			o.datastore = v
		case "network":
			o.network = v
		case "insecure":
			o.insecure, err = parseBool(k, v)
		case "all_vms":
			o.allVMs, err = parseBool(k, v)
		case "owner":
			if v == "" || len(v) > 256 {
				return o, invalid("option owner=%q: want 1-256 characters", v)
			}
			o.owner = v
		case "profiles":
			o.profiles, err = ParseProfiles(v)
		case "stop":
			switch v {
			case "guest":
				o.powerOff = false
			case "power_off":
				o.powerOff = true
			default:
				return o, invalid("option stop=%q: want guest or power_off", v)
			}
		case "shutdown_timeout":
			d, perr := time.ParseDuration(v)
			if perr != nil || d < 0 || d > time.Hour {
				return o, invalid("option shutdown_timeout=%q: want a Go duration from 0 to 1h", v)
			}
			o.shutdownTimeout = d
		case "max_user_data":
			n, perr := strconv.Atoi(v)
			if perr != nil || n < 0 || n > maxUserDataLimit {
				return o, invalid("option max_user_data=%q: want 0 to %d bytes", v, maxUserDataLimit)
			}
			o.maxUserData = n
		default:
			return o, invalid("unknown option %q (known: %s)", k, knownOptions)
		}
		if err != nil {
			return o, err
		}
	}
	return o, nil
}

func parseBool(k, v string) (bool, error) {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, invalid("option %s=%q: want true or false", k, v)
	}
	return b, nil
}

// ParseProfiles reads the profiles option: comma-separated
// "name=cpu:memoryMiB" entries, memory a multiple of 4 MiB. Names are
// letters, digits, '-', '_' and '.', and unique; "custom" is the driver's.
func ParseProfiles(s string) ([]FixedProfile, error) {
	var out []FixedProfile
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if len(out) == maxProfiles {
			return nil, invalid("option profiles: more than %d profiles", maxProfiles)
		}
		name, size, ok := strings.Cut(entry, "=")
		cpu, mem, ok2 := strings.Cut(size, ":")
		if !ok || !ok2 {
			return nil, invalid("option profiles: %q is not name=cpu:memoryMiB", entry)
		}
		name = strings.TrimSpace(name)
		if !validProfileName(name) || name == customProfile {
			return nil, invalid("option profiles: %q is not a profile name (letters, digits, - _ ., at most 64, not %q)", name, customProfile)
		}
		if slices.ContainsFunc(out, func(p FixedProfile) bool { return p.Name == name }) {
			return nil, invalid("option profiles: %q is declared twice", name)
		}
		p := FixedProfile{Name: name}
		var err1, err2 error
		p.CPU, err1 = strconv.Atoi(strings.TrimSpace(cpu))
		p.MemoryMiB, err2 = strconv.Atoi(strings.TrimSpace(mem))
		if err1 != nil || err2 != nil || p.CPU < 1 || p.CPU > maxCPU || p.MemoryMiB < memoryStep ||
			p.MemoryMiB > maxMemoryMiB || p.MemoryMiB%memoryStep != 0 {
			return nil, invalid("option profiles: %q: want 1-%d CPUs and %d-%d MiB of memory in multiples of %d",
				entry, maxCPU, memoryStep, maxMemoryMiB, memoryStep)
		}
		out = append(out, p)
	}
	return out, nil
}

func validProfileName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// ParseProvider reads Config.Provider: an http or https URL of vCenter's
// SDK endpoint, or a bare host name (with an optional port), which means
// https://host/sdk. A URL without a path gets "/sdk". It returns the URL
// without user information, and that user information apart (zero when
// there is none), so it is never printed with the URL.
func ParseProvider(p string) (*url.URL, deltacloud.Credentials, error) {
	var creds deltacloud.Credentials
	p = strings.TrimSpace(p)
	if p == "" {
		return nil, creds, invalid("the provider is empty; want the vCenter SDK URL, https://host/sdk")
	}
	if len(p) > maxOptionLen {
		return nil, creds, invalid("the provider is %d bytes long; at most %d", len(p), maxOptionLen)
	}
	if !strings.Contains(p, "://") {
		p = "https://" + p
	}
	u, err := url.Parse(p)
	if err != nil {
		// url's error quotes the whole URL, user information included.
		return nil, creds, invalid("the provider %q is not a URL", deltacloud.RedactProvider(p))
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, creds, invalid("the provider's scheme is %q; want https (or http)", u.Scheme)
	}
	if u.Hostname() == "" || u.Opaque != "" {
		return nil, creds, invalid("the provider %q names no host", deltacloud.RedactProvider(p))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, creds, invalid("the provider %q has a query or fragment", deltacloud.RedactProvider(p))
	}
	if u.User != nil {
		creds.User = u.User.Username()
		creds.Password, _ = u.User.Password()
		u.User = nil
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/sdk"
	}
	return u, creds, nil
}
