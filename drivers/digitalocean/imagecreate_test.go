package digitalocean_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean/dotest"
)

// images are the fake's snapshot images.
func images(s *dotest.Server) []string {
	return slices.DeleteFunc(s.Resources(), func(r string) bool { return !strings.HasPrefix(r, "image ") })
}

// runningDroplet makes one of the provider's droplets and waits until it
// runs.
func runningDroplet(t *testing.T, p *deltacloud.Provider) *deltacloud.Instance {
	t.Helper()
	in, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "ubuntu-24-04-x64", Name: "web-1"})
	if err != nil {
		t.Fatal(err)
	}
	in, err = p.WaitFor(t.Context(), in.ID, deltacloud.StateRunning)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestCreateImage: a snapshot names and owns its image; a failed, refused,
// lost or cancelled one leaves no image behind.
func TestCreateImage(t *testing.T) {
	ownerTag := digitalocean.TagOwnerPrefix + digitalocean.DefaultOwner
	cases := []struct {
		name    string
		step    time.Duration
		inject  func(s *dotest.Server)
		spec    deltacloud.ImageSpec
		cancel  bool // cancel the create once the snapshot action started
		want    error
		wantImg deltacloud.Image // ID is not compared
		prefix  string           // the name's prefix, when it is made up
	}{
		{name: "named", spec: deltacloud.ImageSpec{Name: "web image"},
			wantImg: deltacloud.Image{Name: "web image", Owner: digitalocean.DefaultOwner, Architecture: "x86_64",
				State: "AVAILABLE", RootType: "persistent"}},
		{name: "named after the droplet", prefix: "web-1-image-",
			wantImg: deltacloud.Image{Owner: digitalocean.DefaultOwner, Architecture: "x86_64", State: "AVAILABLE", RootType: "persistent"}},
		{name: "action errored", inject: func(s *dotest.Server) { s.SnapshotFails(true) }, want: deltacloud.ErrBackend},
		{name: "refused", inject: func(s *dotest.Server) { s.Fail("POST", "/v2/droplets/", 1, 422, "unprocessable_entity") },
			want: deltacloud.ErrInvalidState},
		{name: "answer lost", inject: func(s *dotest.Server) { s.FailAfter("POST", "/v2/droplets/", 1, 500, "server_error") },
			want: deltacloud.ErrBackend},
		{name: "tagging fails", inject: func(s *dotest.Server) { s.Fail("POST", "/v2/tags/", 1, 500, "server_error") },
			want: deltacloud.ErrBackend},
		{name: "cancelled while waiting", step: 300 * time.Millisecond, cancel: true, want: context.Canceled},
		{name: "name too long", spec: deltacloud.ImageSpec{Name: strings.Repeat("n", 256)}, want: deltacloud.ErrInvalidArgument},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := dotest.NewServer(t)
			if c.step > 0 {
				s.Step = c.step
			}
			p := openT(t, s)
			in := runningDroplet(t, p)
			if c.inject != nil {
				c.inject(s)
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if c.cancel {
				// Cancel on the event, not after a fixed time: once the
				// wait for the snapshot action (steps of 300 ms) asks for
				// it the first time.
				const polls = "GET /v2/actions/{aid}"
				polled := s.Reached(polls, s.Calls(polls)+1)
				go func() {
					select {
					case <-polled:
					case <-ctx.Done():
					}
					cancel()
				}()
			}
			spec := c.spec
			spec.InstanceID = in.ID
			img, err := p.CreateImage(ctx, spec)
			if c.want != nil {
				if !errors.Is(err, c.want) {
					t.Errorf("CreateImage = %v, want %v", err, c.want)
				}
				p.Close()  // waits for a background clean-up
				s.Settle() // an action still running makes its image now
				if got := images(s); len(got) != 0 {
					t.Errorf("left behind: %q", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateImage: %v", err)
			}
			if c.prefix != "" {
				if !strings.HasPrefix(img.Name, c.prefix) {
					t.Errorf("image name %q, want the prefix %q", img.Name, c.prefix)
				}
				c.wantImg.Name = img.Name
			}
			if d := cmp.Diff(c.wantImg, *img, cmpIgnoreImage); d != "" {
				t.Errorf("CreateImage (-want +got):\n%s", d)
			}
			got, err := p.Image(t.Context(), img.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(*img, *got); d != "" {
				t.Errorf("Image after CreateImage (-created +read):\n%s", d)
			}
			if d := cmp.Diff([]string{"image " + img.ID}, images(s)); d != "" {
				t.Errorf("images (-want +got):\n%s", d)
			}
			if !slices.Contains(s.ImageTags(img.ID), ownerTag) {
				t.Errorf("image %s has tags %q, want the owner tag", img.ID, s.ImageTags(img.ID))
			}
		})
	}
}

// cmpIgnoreImage leaves out what the fake makes up.
var cmpIgnoreImage = cmp.FilterPath(func(p cmp.Path) bool {
	n := p.Last().String()
	return n == ".ID" || n == ".CreationTime"
}, cmp.Ignore())

// TestDestroyImage: only images carrying the owner tag are deleted.
func TestDestroyImage(t *testing.T) {
	s := dotest.NewServer(t)
	p := openT(t, s)
	mine := strconv.Itoa(s.AddImage("mine", digitalocean.TagOwnerPrefix+digitalocean.DefaultOwner))
	others := strconv.Itoa(s.AddImage("others", digitalocean.TagOwnerPrefix+"other"))
	untagged := strconv.Itoa(s.AddImage("untagged"))
	cases := []struct {
		id        string
		wantOwner string // as Image shows it before
		want      error
		gone      bool
	}{
		{id: others, want: deltacloud.ErrForbidden},
		{id: untagged, want: deltacloud.ErrForbidden},
		{id: "ubuntu-24-04-x64", wantOwner: digitalocean.OwnerDigitalOcean, want: deltacloud.ErrForbidden},
		{id: "99999", want: deltacloud.ErrNotFound},
		{id: "no-such-slug", want: deltacloud.ErrNotFound},
		{id: mine, wantOwner: digitalocean.DefaultOwner, gone: true},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			before, err := p.Image(t.Context(), c.id)
			if c.want == deltacloud.ErrNotFound {
				if !errors.Is(err, deltacloud.ErrNotFound) {
					t.Errorf("Image(%s) = %v, want ErrNotFound", c.id, err)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if before.Owner != c.wantOwner {
				t.Errorf("Image(%s).Owner = %q, want %q", c.id, before.Owner, c.wantOwner)
			}
			err = p.DestroyImage(t.Context(), c.id)
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("DestroyImage(%s) = %v, want %v", c.id, err, c.want)
			}
			_, err = p.Image(t.Context(), c.id)
			if gone := errors.Is(err, deltacloud.ErrNotFound); gone != (c.gone || c.want == deltacloud.ErrNotFound) {
				t.Errorf("after DestroyImage(%s), Image = %v", c.id, err)
			}
		})
	}
	if d := cmp.Diff([]string{"image " + others, "image " + untagged}, images(s)); d != "" {
		t.Errorf("images left (-want +got):\n%s", d)
	}
}
