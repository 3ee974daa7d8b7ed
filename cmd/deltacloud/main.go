// Command deltacloud works with any cloud deltacloud-go can open, from a
// shell: realms, hardware profiles, images and instances (with --wait for a
// state), the optional collections a cloud serves, its features and its
// lifecycle.
//
// Install it with
//
//	go install github.com/deltacloud-go/deltacloud/cmd/deltacloud@latest
//
// and try it on the built-in mock cloud:
//
//	deltacloud instances list
//	deltacloud instances create --image img1 --profile m1-large --memory 12288 --wait
//	deltacloud instances stop inst3 --wait
//	deltacloud states --dot | dot -Tsvg > states.svg
//
// # Choosing a cloud
//
// Each setting comes from its flag, else its environment variable, else the
// profile (--profile, or the file's "default") of the config file, else
// its default:
//
//	--driver     DELTACLOUD_DRIVER     driver name (default "mock"; see `deltacloud drivers`)
//	--provider   DELTACLOUD_PROVIDER   the driver's provider (region, endpoint, …)
//	--user       DELTACLOUD_USER       the cloud's user or key id
//	--password   DELTACLOUD_PASSWORD   its password or secret (prefer the variable:
//	                                   flags show in the process list)
//	--url        DELTACLOUD_URL        a Deltacloud REST server's API root; the command
//	                                   then uses the remote driver, and --driver and
//	                                   --provider choose the server's
//	-O key=value                       a driver option (repeatable)
//
// The config file is config.json in the "deltacloud" folder of the user
// config directory (os.UserConfigDir), or --config:
//
//	{"default": "lab",
//	 "profiles": {"lab": {"driver": "ec2", "provider": "eu-west-1",
//	                      "user": "AKIA…", "password": "…", "options": {"owner": "me"}}}}
//
// A file that holds a password must not be readable by group or others
// (mode 0600), as for ssh keys; the command refuses it otherwise.
//
// # Output
//
// Tables by default; -o json prints the documents of the REST API's JSON
// format (field names as the API reference gives them, hrefs relative to
// the API root), -o yaml the same as YAML. Errors go to standard error with
// their code and the cloud's message.
//
// # Exit codes
//
//	0    success
//	1    any other failure
//	2    usage: unknown command or flag, missing argument
//	11   not found               17   not supported
//	12   authentication failure  18   rate limited
//	13   forbidden               19   unavailable
//	14   invalid argument        20   backend failure
//	15   invalid state           21   timeout
//	16   conflict                130  cancelled (Ctrl-C)
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, terminal: isTerminal(os.Stderr),
	})
	stop()
	os.Exit(code)
}

// isTerminal reports whether f is a character device, where progress lines
// may be redrawn.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
