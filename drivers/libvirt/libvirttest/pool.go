package libvirttest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"
)

// The names the prepared daemon offers.
const (
	// Pool is the storage pool Prepare defines (a directory pool in the
	// daemon's directory); on the test driver it is the driver's own.
	Pool     = "default"
	TestPool = "default-pool"
	// Image is the bootable image Prepare puts in the pool.
	Image = "tiny.raw"
	// ImageSize is its size in bytes.
	ImageSize = 1 << 20
)

// BootImage is a raw disk whose boot sector disables interrupts and halts
// the CPU for good: QEMU boots it in a moment, even without KVM, and the
// domain then runs, pauses, reboots and stops like any other, without an
// operating system (so it ignores ACPI shutdown requests).
func BootImage() []byte {
	img := make([]byte, ImageSize)
	copy(img, []byte{0xfa, 0xf4, 0xeb, 0xfd}) // cli; hlt; jmp back to hlt
	img[510], img[511] = 0x55, 0xaa
	return img
}

// Connect opens a go-libvirt connection to one of the daemon's drivers
// ("qemu" or "test").
func (d *Daemon) Connect(ctx context.Context, driver string) (*golibvirt.Libvirt, error) {
	var dl net.Dialer
	c, err := dl.DialContext(ctx, "unix", d.Socket)
	if err != nil {
		return nil, err
	}
	lv := golibvirt.NewWithDialer(dialers.NewAlreadyConnected(c))
	uri := "qemu:///session"
	if driver == "test" {
		uri = "test:///default"
	}
	if err := lv.ConnectToURI(golibvirt.ConnectURI(uri)); err != nil {
		c.Close()
		return nil, err
	}
	return lv, nil
}

// Prepare defines and starts the directory pool Pool in PoolDir on the
// QEMU driver and uploads BootImage into it as Image. It is idempotent.
func (d *Daemon) Prepare(ctx context.Context) error {
	lv, err := d.Connect(ctx, "qemu")
	if err != nil {
		return err
	}
	defer lv.Disconnect()
	p, err := lv.StoragePoolLookupByName(Pool)
	if err != nil {
		xml := fmt.Sprintf("<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>", Pool, d.PoolDir)
		if p, err = lv.StoragePoolDefineXML(xml, 0); err != nil {
			return fmt.Errorf("defining pool %s: %w", Pool, err)
		}
	}
	if active, err := lv.StoragePoolIsActive(p); err != nil {
		return err
	} else if active == 0 {
		if err := lv.StoragePoolCreate(p, 0); err != nil {
			return fmt.Errorf("starting pool %s: %w", Pool, err)
		}
	}
	if _, err := lv.StorageVolLookupByName(p, Image); err == nil {
		return nil
	}
	return uploadImage(lv, p)
}

// PrepareTest puts an image volume Image into the test driver's pool
// TestPool (the test driver keeps volumes in memory, shared by the
// daemon's test:///default connections while one stays open: the returned
// connection, which the caller closes last).
func (d *Daemon) PrepareTest(ctx context.Context) (*golibvirt.Libvirt, error) {
	lv, err := d.Connect(ctx, "test")
	if err != nil {
		return nil, err
	}
	p, err := lv.StoragePoolLookupByName(TestPool)
	if err != nil {
		lv.Disconnect()
		return nil, err
	}
	if _, err := lv.StorageVolLookupByName(p, Image); err == nil {
		return lv, nil
	}
	xml := fmt.Sprintf("<volume><name>%s</name><capacity unit='bytes'>%d</capacity><target><format type='raw'/></target></volume>", Image, ImageSize)
	if _, err := lv.StorageVolCreateXML(p, xml, 0); err != nil {
		lv.Disconnect()
		return nil, fmt.Errorf("creating %s in %s: %w", Image, TestPool, err)
	}
	return lv, nil
}

func uploadImage(lv *golibvirt.Libvirt, p golibvirt.StoragePool) error {
	xml := fmt.Sprintf("<volume><name>%s</name><capacity unit='bytes'>%d</capacity><target><format type='raw'/></target></volume>", Image, ImageSize)
	v, err := lv.StorageVolCreateXML(p, xml, 0)
	if err != nil {
		return fmt.Errorf("creating %s: %w", Image, err)
	}
	img := BootImage()
	done := make(chan error, 1)
	go func() { done <- lv.StorageVolUpload(v, bytes.NewReader(img), 0, uint64(len(img)), 0) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("uploading %s: %w", Image, err)
		}
	case <-time.After(time.Minute):
		return fmt.Errorf("uploading %s: timed out", Image)
	}
	return nil
}
