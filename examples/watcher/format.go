package main

import (
	"fmt"
	"maps"
	"slices"

	"github.com/deltacloud-go/deltacloud"
)

// formatSnapshot summarises the first listing: a header with the number of
// instances, then one "  STATE: count" line per state, sorted by state name.
func formatSnapshot(ins []deltacloud.Instance) []string {
	counts := map[deltacloud.State]int{}
	for _, in := range ins {
		counts[in.State]++
	}
	lines := []string{fmt.Sprintf("Found %d instances in the following states:", len(ins))}
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		lines = append(lines, fmt.Sprintf("  %s: %d", s, counts[s]))
	}
	return lines
}

// formatEvent describes one watch event after the snapshot in one line,
// naming instances by ID (names are often empty). An EventError becomes
// "error: <err>", meant for standard error; an EventSnapshot gives only the
// header line of formatSnapshot.
func formatEvent(ev deltacloud.Event) string {
	switch ev.Kind {
	case deltacloud.EventChanged:
		return fmt.Sprintf("%s changed from %s to %s", ev.Instance.ID, ev.From, ev.Instance.State)
	case deltacloud.EventCreated:
		return fmt.Sprintf("%s was created and is now %s", ev.Instance.ID, ev.Instance.State)
	case deltacloud.EventRemoved:
		return fmt.Sprintf("%s was destroyed", ev.Instance.ID)
	case deltacloud.EventError:
		return fmt.Sprintf("error: %v", ev.Err)
	case deltacloud.EventSnapshot:
		return formatSnapshot(ev.Instances)[0]
	}
	return fmt.Sprintf("%s event for %s", ev.Kind, ev.Instance.ID)
}
