package main

import (
	"context"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The optional collections: each command answers "not supported" (exit 17)
// on a cloud that does not serve its collection (see `deltacloud features`).

func (c *cli) keysCommand() *cobra.Command {
	var spec deltacloud.KeySpec
	var publicKeyFile string
	create := &cobra.Command{
		Use: "create NAME", Short: "Create a key (the cloud makes one and shows its private part once) or import --public-key",
		Args: exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec.Name = args[0]
			if publicKeyFile != "" {
				data, err := readBounded(c.stdin, publicKeyFile, 16<<10)
				if err != nil {
					return err
				}
				spec.PublicKey = string(data)
			}
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				k, err := p.CreateKey(ctx, spec)
				if err != nil {
					return err
				}
				return c.printKeys([]deltacloud.Key{*k}, true)
			})
		},
	}
	create.Flags().StringVar(&publicKeyFile, "public-key", "", "import this public key file (- for standard input)")
	return collectionCommand("keys", "Keys: credentials to log in to instances", []string{"key"},
		lister(c, "List keys", (*deltacloud.Provider).Keys, c.printKeys),
		shower(c, "show KEY", "Show one key", (*deltacloud.Provider).Key, c.printKeys),
		create,
		c.destroyer("key", "destroy KEY", "Destroy a key", (*deltacloud.Provider).DestroyKey),
	)
}

func (c *cli) printKeys(ks []deltacloud.Key, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "NAME", "TYPE", "FINGERPRINT"}}
	for _, k := range ks {
		t.add(k.ID, k.Name, string(k.Type), k.Fingerprint)
	}
	if one {
		if ks[0].PrivateKey != "" && pr.format == "table" {
			// The cloud shows it once, and a table cell would mangle it.
			if err := pr.print(t, nil); err != nil {
				return err
			}
			_, err := c.stdout.Write([]byte("\nprivate key (shown only now):\n" + ks[0].PrivateKey + "\n"))
			return err
		}
		return pr.print(t, wire.NewKey("", ks[0]).ShowJSON())
	}
	return pr.print(t, wire.NewKeys("", ks).JSON())
}

func (c *cli) volumesCommand() *cobra.Command {
	var spec deltacloud.StorageVolumeSpec
	create := &cobra.Command{
		Use: "create", Short: "Create a storage volume", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				v, err := p.CreateStorageVolume(ctx, spec)
				if err != nil {
					return err
				}
				return c.printVolumes([]deltacloud.StorageVolume{*v}, true)
			})
		},
	}
	create.Flags().IntVar(&spec.Capacity, "capacity", 0, "size in GB")
	create.Flags().StringVar(&spec.Name, "name", "", "volume name")
	create.Flags().StringVar(&spec.Description, "description", "", "description")
	create.Flags().StringVar(&spec.RealmID, "realm", "", "realm id")
	create.Flags().StringVar(&spec.SnapshotID, "snapshot", "", "create from this snapshot")
	var device string
	attach := &cobra.Command{
		Use: "attach VOLUME INSTANCE", Short: "Attach a volume to an instance", Args: exactArgs("VOLUME", "INSTANCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				v, err := p.AttachStorageVolume(ctx, args[0], args[1], device)
				if err != nil {
					return err
				}
				return c.printVolumes([]deltacloud.StorageVolume{*v}, true)
			})
		},
	}
	attach.Flags().StringVar(&device, "device", "/dev/sdf", "device name on the instance")
	return collectionCommand("volumes", "Storage volumes: block storage", []string{"volume", "storage_volumes"},
		lister(c, "List storage volumes", (*deltacloud.Provider).StorageVolumes, c.printVolumes),
		shower(c, "show VOLUME", "Show one volume", (*deltacloud.Provider).StorageVolume, c.printVolumes),
		create, attach,
		c.idCommand("detach VOLUME", "Detach a volume from its instance", func(ctx context.Context, p *deltacloud.Provider, id string) error {
			v, err := p.DetachStorageVolume(ctx, id)
			if err != nil {
				return err
			}
			return c.printVolumes([]deltacloud.StorageVolume{*v}, true)
		}),
		c.destroyer("volume", "destroy VOLUME", "Destroy a volume", (*deltacloud.Provider).DestroyStorageVolume),
	)
}

func (c *cli) printVolumes(vs []deltacloud.StorageVolume, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "NAME", "CAPACITY", "STATE", "REALM", "INSTANCE", "DEVICE"}}
	for _, v := range vs {
		t.add(v.ID, v.Name, strconv.Itoa(v.Capacity), string(v.State), v.RealmID, v.InstanceID, v.Device)
	}
	if one {
		return pr.print(t, wire.NewStorageVolume("", vs[0]).ShowJSON())
	}
	return pr.print(t, wire.NewStorageVolumes("", vs).JSON())
}

func (c *cli) snapshotsCommand() *cobra.Command {
	var spec deltacloud.StorageSnapshotSpec
	create := &cobra.Command{
		Use: "create VOLUME", Short: "Snapshot a storage volume", Args: exactArgs("VOLUME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec.VolumeID = args[0]
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				s, err := p.CreateStorageSnapshot(ctx, spec)
				if err != nil {
					return err
				}
				return c.printSnapshots([]deltacloud.StorageSnapshot{*s}, true)
			})
		},
	}
	create.Flags().StringVar(&spec.Name, "name", "", "snapshot name")
	create.Flags().StringVar(&spec.Description, "description", "", "description")
	return collectionCommand("snapshots", "Storage snapshots: copies of volumes", []string{"snapshot", "storage_snapshots"},
		lister(c, "List storage snapshots", (*deltacloud.Provider).StorageSnapshots, c.printSnapshots),
		shower(c, "show SNAPSHOT", "Show one snapshot", (*deltacloud.Provider).StorageSnapshot, c.printSnapshots),
		create,
		c.destroyer("snapshot", "destroy SNAPSHOT", "Destroy a snapshot", (*deltacloud.Provider).DestroyStorageSnapshot),
	)
}

func (c *cli) printSnapshots(ss []deltacloud.StorageSnapshot, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "NAME", "VOLUME", "STATE", "CREATED"}}
	for _, s := range ss {
		created := ""
		if !s.Created.IsZero() {
			created = s.Created.UTC().Format(time.RFC3339)
		}
		t.add(s.ID, s.Name, s.VolumeID, string(s.State), created)
	}
	if one {
		return pr.print(t, wire.NewStorageSnapshot("", ss[0]).ShowJSON())
	}
	return pr.print(t, wire.NewStorageSnapshots("", ss).JSON())
}

func (c *cli) addressesCommand() *cobra.Command {
	create := &cobra.Command{
		Use: "create", Short: "Allocate an address", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				a, err := p.CreateAddress(ctx)
				if err != nil {
					return err
				}
				return c.printAddresses([]deltacloud.IPAddress{*a}, true)
			})
		},
	}
	associate := &cobra.Command{
		Use: "associate ADDRESS INSTANCE", Short: "Associate an address with an instance", Args: exactArgs("ADDRESS", "INSTANCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				return p.AssociateAddress(ctx, args[0], args[1])
			})
		},
	}
	return collectionCommand("addresses", "Addresses: public IPs that move between instances", []string{"address"},
		lister(c, "List addresses", (*deltacloud.Provider).Addresses, c.printAddresses),
		shower(c, "show ADDRESS", "Show one address", (*deltacloud.Provider).Address, c.printAddresses),
		create, associate,
		c.idCommand("disassociate ADDRESS", "Take an address off its instance", func(ctx context.Context, p *deltacloud.Provider, id string) error {
			return p.DisassociateAddress(ctx, id)
		}),
		c.destroyer("address", "destroy ADDRESS", "Release an address", (*deltacloud.Provider).DestroyAddress),
	)
}

func (c *cli) printAddresses(as []deltacloud.IPAddress, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "IP", "INSTANCE"}}
	for _, a := range as {
		t.add(a.ID, a.IP, a.InstanceID)
	}
	if one {
		return pr.print(t, wire.NewIPAddress("", as[0]).ShowJSON())
	}
	return pr.print(t, wire.NewIPAddresses("", as).JSON())
}
