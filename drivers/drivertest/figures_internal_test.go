package drivertest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

func TestCheckFigure(t *testing.T) {
	fixed := func(cpu, mem, storage string) deltacloud.HardwareProfile {
		h := deltacloud.HardwareProfile{ID: "p", Properties: []deltacloud.Property{
			deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, cpu),
			deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, mem),
		}}
		if storage != "" {
			h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, storage))
		}
		return h
	}
	mib, gib := deltacloud.MiB, deltacloud.GiB
	tests := []struct {
		name string
		h    deltacloud.HardwareProfile
		f    ProfileFigure
		want []string
	}{
		{name: "EC2 figures agree", h: fixed("2", "8192", "75"),
			f: ProfileFigure{CPU: 2, Memory: "8192", MemoryUnit: mib, Storage: "75", StorageUnit: deltacloud.DecimalGB}},
		{name: "memory in GiB converted", h: fixed("1", "1740.8", "160"),
			f: ProfileFigure{CPU: 1, Memory: "1.7", MemoryUnit: gib, Storage: "160", StorageUnit: deltacloud.DecimalGB}},
		{name: "Azure's temporary disk, MiB shown in GiB", h: fixed("1", "512", "4"),
			f: ProfileFigure{CPU: 1, Memory: "512", MemoryUnit: mib, Storage: "4096", StorageUnit: mib, StorageGB: gib}},
		{name: "a range allows the figure", h: deltacloud.HardwareProfile{ID: "r", Properties: []deltacloud.Property{
			deltacloud.RangeProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, "7680", "15360", "10240")}},
			f: ProfileFigure{Memory: "10", MemoryUnit: gib}},
		{name: "memory in GiB where MiB are due", h: fixed("1", "1", ""),
			f:    ProfileFigure{CPU: 1, Memory: "1024", MemoryUnit: mib},
			want: []string{"memory is 1 MB, but the cloud's figure is 1024 MB (the cloud states 1024 MiB)"}},
		{name: "wrong cpu", h: fixed("2", "1024", ""),
			f:    ProfileFigure{CPU: 1, Memory: "1", MemoryUnit: gib},
			want: []string{"cpu is 2, but the cloud's figure is 1"}},
		{name: "storage truncated", h: fixed("1", "1024", "0"),
			f:    ProfileFigure{Memory: "1024", MemoryUnit: mib, Storage: "1000", StorageUnit: mib, StorageGB: gib},
			want: []string{"storage is 0 GB, but the cloud's figure is 0.9765625 GB (the cloud states 1000 MiB, and this cloud's GB are GiB)"}},
		{name: "storage where the cloud has no disk", h: fixed("1", "1024", "8"),
			f:    ProfileFigure{Memory: "1024", MemoryUnit: mib, Storage: "0"},
			want: []string{"storage is 8 GB, but the cloud states no local disk"}},
		{name: "no storage where the cloud has a disk", h: fixed("1", "1024", ""),
			f:    ProfileFigure{Memory: "1024", MemoryUnit: mib, Storage: "75", StorageUnit: deltacloud.DecimalGB},
			want: []string{"storage is missing; the cloud's figure is 75 GB (the cloud states 75 GB, and this cloud's GB are GB)"}},
		{name: "memory labelled GB", h: deltacloud.HardwareProfile{ID: "g", Properties: []deltacloud.Property{
			deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitGB, "1024")}},
			f:    ProfileFigure{Memory: "1024", MemoryUnit: mib},
			want: []string{`memory is in "GB", want "MB"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkFigure(tt.h, tt.f)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("checkFigure (-want +got):\n%s", d)
			}
		})
	}
}
