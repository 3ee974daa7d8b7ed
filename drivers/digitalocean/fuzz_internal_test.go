package digitalocean

import (
	"net/http"
	"strings"
	"testing"

	"github.com/digitalocean/godo"
)

// FuzzFirewallOf feeds firewalls as the API might describe them: rules
// with any port text and addresses, and description tags of any content.
func FuzzFirewallOf(f *testing.F) {
	f.Add("tcp", "22", "10.0.0.0/8", "deltacloud-desc:6869")
	f.Add("udp", "8000-9000", "192.0.2.1", "deltacloud-desc:zz")
	f.Add("icmp", "", "::/0", "web")
	f.Add("tcp", "all", "garbage", "deltacloud-desc:")
	f.Fuzz(func(t *testing.T, proto, ports, addr, tag string) {
		fw := firewallOf(godo.Firewall{ID: "fw", Name: "n", Tags: []string{tag},
			InboundRules:  []godo.InboundRule{{Protocol: proto, PortRange: ports, Sources: &godo.Sources{Addresses: []string{addr}}}},
			OutboundRules: []godo.OutboundRule{{Protocol: proto, PortRange: ports, Destinations: &godo.Destinations{Addresses: []string{addr}}}}})
		if len(fw.Rules) != 2 || fw.Rules[0].ID == fw.Rules[1].ID {
			t.Fatalf("rules %+v: want two with distinct ids", fw.Rules)
		}
		for _, r := range fw.Rules {
			for _, s := range r.Sources {
				if !s.Prefix.IsValid() {
					t.Errorf("rule %s has an invalid source %v", r.ID, s)
				}
			}
		}
	})
}

// FuzzErrorID feeds error bodies to the transport's reading of the error
// id: whatever the body, the id passed on is a plain name or nothing.
func FuzzErrorID(f *testing.F) {
	f.Add(`{"id":"not_found","message":"x"}`)
	f.Add(`{"id":"a\r\nSet-Cookie: x"}`)
	f.Add(`<html>502</html>`)
	f.Fuzz(func(t *testing.T, body string) {
		tr := &tokenTransport{token: "t", next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 500, Header: http.Header{}, Body: ioNop(body), Request: r}, nil
		})}
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if id := resp.Header.Get(errorIDHeader); id != "" && !plainName(id, 64) {
			t.Errorf("error id %q passed on", id)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type nopBody struct{ *strings.Reader }

func (nopBody) Close() error { return nil }

func ioNop(s string) nopBody { return nopBody{strings.NewReader(s)} }
