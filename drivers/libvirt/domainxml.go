package libvirt

import (
	"libvirt.org/go/libvirtxml"
)

// The devices of a domain the driver defines: the overlay is the virtio
// disk vda, the seed the read-only virtio disk vdb (cloud-init finds it by
// its label), storage volumes SCSI disks sdX on the virtio-scsi controller
// (which QEMU unplugs without the guest's help).
const (
	rootDevice = "vda"
	seedDevice = "vdb"
)

// domainSpec is what a domain is defined from.
type domainSpec struct {
	name       string
	domainType string
	arch       string
	cpus       int
	memoryMiB  int
	network    string // "user", "none" or a libvirt network
	rootPath   string
	seedPath   string // empty: no seed
	metadata   string // the metadata element with its namespace
}

// domainXML writes a domain definition.
func domainXML(s domainSpec) (string, error) {
	zero := uint(0)
	d := libvirtxml.Domain{
		Type:     s.domainType,
		Name:     s.name,
		Metadata: &libvirtxml.DomainMetadata{XML: s.metadata},
		Memory:   &libvirtxml.DomainMemory{Value: uint(s.memoryMiB), Unit: "MiB"},
		VCPU:     &libvirtxml.DomainVCPU{Value: uint(s.cpus)},
		OS: &libvirtxml.DomainOS{
			Type:        &libvirtxml.DomainOSType{Type: "hvm", Arch: s.arch},
			BootDevices: []libvirtxml.DomainBootDevice{{Dev: "hd"}},
		},
		Features: &libvirtxml.DomainFeatureList{ACPI: &libvirtxml.DomainFeature{}, APIC: &libvirtxml.DomainFeatureAPIC{}},
		Devices: &libvirtxml.DomainDeviceList{
			Disks: []libvirtxml.DomainDisk{fileDisk(s.rootPath, "qcow2", rootDevice, "virtio", false)},
			Controllers: []libvirtxml.DomainController{
				{Type: "scsi", Index: &zero, Model: "virtio-scsi"},
			},
			Serials: []libvirtxml.DomainSerial{{Source: &libvirtxml.DomainChardevSource{Pty: &libvirtxml.DomainChardevSourcePty{}}}},
		},
	}
	if s.domainType == "test" {
		// The test driver has no controllers of its own to configure.
		d.Devices.Controllers = nil
		d.Devices.Serials = nil
	}
	if s.seedPath != "" {
		d.Devices.Disks = append(d.Devices.Disks, fileDisk(s.seedPath, "raw", seedDevice, "virtio", true))
	}
	switch s.network {
	case "none", "":
	case "user":
		d.Devices.Interfaces = []libvirtxml.DomainInterface{{
			Source: &libvirtxml.DomainInterfaceSource{User: &libvirtxml.DomainInterfaceSourceUser{}},
			Model:  &libvirtxml.DomainInterfaceModel{Type: "virtio"},
		}}
	default:
		d.Devices.Interfaces = []libvirtxml.DomainInterface{{
			Source: &libvirtxml.DomainInterfaceSource{Network: &libvirtxml.DomainInterfaceSourceNetwork{Network: s.network}},
			Model:  &libvirtxml.DomainInterfaceModel{Type: "virtio"},
		}}
	}
	return d.Marshal()
}

// fileDisk is a disk backed by a file.
func fileDisk(path, format, dev, bus string, readOnly bool) libvirtxml.DomainDisk {
	disk := libvirtxml.DomainDisk{
		Device: "disk",
		Driver: &libvirtxml.DomainDiskDriver{Name: "qemu", Type: format},
		Source: &libvirtxml.DomainDiskSource{File: &libvirtxml.DomainDiskSourceFile{File: path}},
		Target: &libvirtxml.DomainDiskTarget{Dev: dev, Bus: bus},
	}
	if readOnly {
		disk.ReadOnly = &libvirtxml.DomainDiskReadOnly{}
	}
	return disk
}

// diskXML writes one disk device, for attaching and detaching.
func diskXML(path, format, dev, bus string) (string, error) {
	d := fileDisk(path, format, dev, bus, false)
	return d.Marshal()
}
