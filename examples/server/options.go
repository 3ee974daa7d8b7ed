package main

import (
	"fmt"
	"sort"
	"strings"
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
