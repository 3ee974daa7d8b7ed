package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

func (c *cli) realmsCommand() *cobra.Command {
	return collectionCommand("realms", "Realms: where instances can run", []string{"realm"},
		lister(c, "List the realms (zones, regions, hosts)", (*deltacloud.Provider).Realms, c.printRealms),
		shower(c, "show REALM", "Show one realm", (*deltacloud.Provider).Realm, c.printRealms))
}

func (c *cli) printRealms(rs []deltacloud.Realm, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "NAME", "STATE", "LIMIT"}}
	for _, r := range rs {
		limit := ""
		if r.Limit > 0 {
			limit = strconv.Itoa(r.Limit)
		}
		t.add(r.ID, r.Name, string(r.State), limit)
	}
	if one {
		return pr.print(t, wire.NewRealm("", rs[0]).ShowJSON())
	}
	return pr.print(t, wire.NewRealms("", rs).JSON())
}

func (c *cli) profilesCommand() *cobra.Command {
	var arch string
	list := &cobra.Command{
		Use: "list", Short: "List the hardware profiles, with their ranges and choices", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{Architecture: arch})
				if err != nil {
					return err
				}
				return c.printProfiles(hs, false)
			})
		},
	}
	list.Flags().StringVar(&arch, "architecture", "", "only profiles for this architecture (x86_64, i386, …)")
	show := &cobra.Command{
		Use: "show PROFILE", Short: "Show one hardware profile", Args: exactArgs("PROFILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				h, err := p.HardwareProfile(ctx, args[0])
				if err != nil {
					return err
				}
				return c.printProfiles([]deltacloud.HardwareProfile{*h}, true)
			})
		},
	}
	return collectionCommand("profiles", "Hardware profiles: the sizes instances come in", []string{"profile", "hardware_profiles"}, list, show)
}

// profileCell is a property as a table shows it: "1024 MB" when fixed,
// "1 to 6 (default 2)" for ranges and choices.
func profileCell(h deltacloud.HardwareProfile, name string) string {
	pr, ok := h.Property(name)
	if !ok {
		return ""
	}
	if pr.Kind == deltacloud.Fixed {
		return pr.Allowed()
	}
	return pr.Allowed() + " (default " + pr.Default + ")"
}

func (c *cli) printProfiles(hs []deltacloud.HardwareProfile, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "CPU", "MEMORY", "STORAGE", "ARCHITECTURE"}}
	for _, h := range hs {
		t.add(h.ID, profileCell(h, deltacloud.PropertyCPU), profileCell(h, deltacloud.PropertyMemory),
			profileCell(h, deltacloud.PropertyStorage), profileCell(h, deltacloud.PropertyArchitecture))
	}
	if one {
		return pr.print(t, wire.NewHardwareProfile("", hs[0]).ShowJSON())
	}
	return pr.print(t, wire.NewHardwareProfiles("", hs).JSON())
}

func (c *cli) imagesCommand() *cobra.Command {
	var f deltacloud.ImageFilter
	list := &cobra.Command{
		Use: "list", Short: "List images (--owner self: your own)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				imgs, err := p.Images(ctx, f)
				if err != nil {
					return err
				}
				return c.printImages(p, imgs, false)
			})
		},
	}
	list.Flags().StringVar(&f.Owner, "owner", "", "only images of this owner (self: the caller's)")
	list.Flags().StringVar(&f.Architecture, "architecture", "", "only images of this architecture")
	show := &cobra.Command{
		Use: "show IMAGE", Short: "Show one image", Args: exactArgs("IMAGE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				img, err := p.Image(ctx, args[0])
				if err != nil {
					return err
				}
				return c.printImages(p, []deltacloud.Image{*img}, true)
			})
		},
	}
	return collectionCommand("images", "Images: what instances start from", []string{"image"}, list, show)
}

func (c *cli) printImages(p *deltacloud.Provider, imgs []deltacloud.Image, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "NAME", "OWNER", "ARCHITECTURE", "STATE", "PROFILES"}}
	for _, img := range imgs {
		t.add(img.ID, img.Name, img.Owner, img.Architecture, img.State, strings.Join(img.HardwareProfiles, ","))
	}
	opts := wire.ImageOptions{CreateInstance: true, DestroyImage: p.Supports(deltacloud.CapabilityDestroyImage)}
	if one {
		return pr.print(t, wire.NewImage("", imgs[0], opts).ShowJSON())
	}
	return pr.print(t, wire.NewImages("", imgs, opts).JSON())
}
