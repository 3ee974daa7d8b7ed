package deltacloud_test

import (
	"context"
	"fmt"
	"log"

	"github.com/deltacloud-go/deltacloud"
)

// Choose a hardware profile for a workload that needs 2 vCPUs, 12,000 MiB of
// memory and 1,000 GB of local storage on x86_64, and launch it with the
// property values that fit: ranges and enums resolve to the smallest value
// that is enough, and every profile passed over says why.
func ExampleHardwareProfile_Fit() {
	ctx := context.Background()
	p := openMock(ctx)
	defer p.Close()

	need := deltacloud.Requirements{MinCPU: "2", MinMemoryMiB: "12000", MinStorageGB: "1000", Architecture: "x86_64"}
	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		log.Fatal(err)
	}
	var spec *deltacloud.InstanceSpec
	for _, h := range hs {
		if h.Opaque() {
			continue // the cloud decides its sizing: nothing to compare
		}
		props, err := h.Fit(need)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s fits with %v\n", h.ID, props)
		if spec == nil {
			spec = &deltacloud.InstanceSpec{ImageID: "img1", ProfileID: h.ID, Properties: props}
		}
	}
	in, err := p.CreateInstance(ctx, *spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("launched on", in.Profile.ID, in.Profile.Overrides)
	// Output:
	// deltacloud: hardware profile m1-small does not fit: cpu 1 below 2; memory 1740.8 MiB below 12000; storage 160 GB below 1000; architecture i386, not x86_64
	// m1-large fits with map[architecture:x86_64 cpu:2 memory:12000 storage:1024]
	// m1-xlarge fits with map[architecture:x86_64 cpu:4 memory:12288 storage:1024]
	// launched on m1-large map[architecture:x86_64 cpu:2 memory:12000 storage:1024]
}
