package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/deltacloud-go/deltacloud/drivers/ec2"
)

// driverOptions collects -o flags: "name=value" for the default driver or
// "driver.name=value" for another, as raw strings until the default driver
// is known.
type driverOptions map[string]string

func (o driverOptions) String() string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k+"="+o[k])
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (o driverOptions) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" || strings.HasSuffix(k, ".") || strings.HasPrefix(k, ".") {
		return fmt.Errorf("want [driver.]name=value, got %q", v)
	}
	o[k] = val
	return nil
}

// resolve returns the api.Options.DriverOptions: the mock's storage
// directory, then every -o, keyed by driver.
func (o driverOptions) resolve(defaultDriver, storage string) map[string]map[string]string {
	out := map[string]map[string]string{"mock": {"storage": storage}}
	for k, v := range o {
		driver, name, ok := strings.Cut(k, ".")
		if !ok {
			driver, name = defaultDriver, k
		}
		driver = strings.ToLower(driver)
		if out[driver] == nil {
			out[driver] = map[string]string{}
		}
		out[driver][name] = v
	}
	return out
}

// printDriverOptions ends -h with the ec2 driver's options, which -o
// passes on (as name=value with -i ec2, or ec2.name=value), so that an
// operator can point the server at an emulator or an EC2-compatible cloud
// without reading the driver's source.
func printDriverOptions(w io.Writer) {
	fmt.Fprintln(w, "\nec2 driver options (-o name=value with -i ec2, or -o ec2.name=value):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, o := range ec2.OptionDocs() {
		fmt.Fprintf(tw, "  %s\t%s\n", o.Name, o.Usage)
	}
	tw.Flush()
	fmt.Fprintln(w, "Credentials are the access key id and the secret access key (user and password);")
	fmt.Fprintln(w, "temporary credentials send the session token after the secret: password secret:token.")
}
