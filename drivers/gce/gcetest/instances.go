package gcetest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"google.golang.org/api/compute/v1"
)

// nameRE is Compute's rule for resource names (RFC 1035 labels).
var nameRE = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)

func validName(w http.ResponseWriter, name string) bool {
	if !nameRE.MatchString(name) {
		googleError(w, http.StatusBadRequest, "invalid",
			fmt.Sprintf("Invalid value for field 'resource.name': '%s'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'", name))
		return false
	}
	return true
}

func alreadyExists(w http.ResponseWriter, what string) {
	googleError(w, http.StatusConflict, "alreadyExists", "The resource '"+what+"' already exists")
}

func sscanf(name string, cpus, mib *int) (int, error) {
	return fmt.Sscanf(name, "custom-%d-%d", cpus, mib)
}

// zoneOK answers 404 for a zone the project does not have.
func zoneOK(w http.ResponseWriter, r *http.Request) bool {
	if !isZone(r.PathValue("zone")) {
		notFound(w, "projects/"+Project+"/zones/"+r.PathValue("zone"))
		return false
	}
	return true
}

func (s *Server) listInstances(w http.ResponseWriter, r *http.Request) {
	// The filter is checked before the zone.
	if _, ok := parseFilter(w, r); !ok || !zoneOK(w, r) {
		return
	}
	zone := r.PathValue("zone")
	list(s, w, r, s.instances, zone+"/", func(in *compute.Instance) (string, map[string]string) { return in.Name, in.Labels },
		func(items []*compute.Instance, next string) any {
			return &compute.InstanceList{Kind: "compute#instanceList", Items: items, NextPageToken: next,
				Id: "projects/" + Project + "/zones/" + zone + "/instances"}
		})
}

func (s *Server) getInstance(w http.ResponseWriter, r *http.Request) {
	if zoneOK(w, r) {
		key, path := zonal(r, "instances")
		get(s, w, s.instances, key, path)
	}
}

func (s *Server) insertInstance(w http.ResponseWriter, r *http.Request) {
	var in compute.Instance
	if !zoneOK(w, r) || !decode(w, r, &in) || !validName(w, in.Name) {
		return
	}
	zone := r.PathValue("zone")
	s.mu.Lock()
	defer s.mu.Unlock()
	key := zone + "/" + in.Name
	if s.instances[key] != nil {
		alreadyExists(w, "projects/"+Project+"/zones/"+zone+"/instances/"+in.Name)
		return
	}
	mt := last(in.MachineType)
	if !s.machineTypeValid(mt) {
		googleError(w, http.StatusBadRequest, "invalid", "Invalid value for field 'resource.machineType': '"+in.MachineType+"'. Machine type with name '"+mt+"' does not exist in zone '"+zone+"'.")
		return
	}
	if len(in.Disks) == 0 || in.Disks[0].InitializeParams == nil {
		googleError(w, http.StatusBadRequest, "required", "Required field 'resource.disks' not specified")
		return
	}
	ip := in.Disks[0].InitializeParams
	img := s.imageByURL(ip.SourceImage)
	if img == nil {
		notFound(w, ip.SourceImage)
		return
	}
	if s.disks[key] != nil {
		alreadyExists(w, "projects/"+Project+"/zones/"+zone+"/disks/"+in.Name)
		return
	}
	for _, ni := range in.NetworkInterfaces {
		for _, ac := range ni.AccessConfigs {
			if ac.NatIP != "" {
				googleError(w, http.StatusBadRequest, "invalid", "the fake does not assign static addresses at insert")
				return
			}
		}
	}
	now := time.Now().UTC().Format(time.RFC3339)
	size := max(ip.DiskSizeGb, img.DiskSizeGb)
	disk := &compute.Disk{
		Kind: "compute#disk", Name: in.Name, SizeGb: size, Zone: s.zoneURL(zone), Status: "READY",
		SourceImage: img.SelfLink, Labels: ip.Labels, Type: s.zoneURL(zone) + "/diskTypes/pd-balanced",
		CreationTimestamp: now, SelfLink: s.zoneURL(zone) + "/disks/" + in.Name,
	}
	in.Kind, in.Id, in.Status, in.Zone = "compute#instance", uint64(len(s.instances)+5000+s.seq), "PROVISIONING", s.zoneURL(zone)
	in.CreationTimestamp, in.SelfLink = now, s.zoneURL(zone)+"/instances/"+in.Name
	in.MachineType = s.zoneURL(zone) + "/machineTypes/" + mt
	in.Disks = []*compute.AttachedDisk{{Kind: "compute#attachedDisk", Boot: true, AutoDelete: in.Disks[0].AutoDelete,
		DeviceName: "persistent-disk-0", Source: disk.SelfLink, Type: "PERSISTENT", Mode: "READ_WRITE", Index: 0}}
	disk.Users = []string{in.SelfLink}
	for i, ni := range in.NetworkInterfaces {
		ni.Name = fmt.Sprintf("nic%d", i)
		ni.NetworkIP = fmt.Sprintf("10.128.0.%d", s.seq%250+2)
		for _, ac := range ni.AccessConfigs {
			ac.Kind = "compute#accessConfig"
		}
	}
	stored := &in
	s.instances[key] = stored
	s.disks[key] = disk
	fail, lose := s.failInsert, s.loseInsert
	s.failInsert, s.loseInsert = nil, false
	op := s.startOp(zone, "insert", stored.SelfLink, func() *opFailure {
		if fail != nil {
			stored.Status = "TERMINATED"
			return &opFailure{fail.Reason, fail.Message}
		}
		stored.Status = "RUNNING"
		for _, ni := range stored.NetworkInterfaces {
			for _, ac := range ni.AccessConfigs {
				ac.NatIP = fmt.Sprintf("34.1.%d.%d", s.seq/250, s.seq%250+1)
			}
		}
		return nil
	})
	if lose {
		// Compute has the instance; its answer never reaches the client,
		// which gives up first.
		s.mu.Unlock()
		<-r.Context().Done()
		s.mu.Lock() // for the deferred Unlock
		return
	}
	writeJSON(w, op)
}

func (s *Server) deleteInstance(w http.ResponseWriter, r *http.Request) {
	if !zoneOK(w, r) {
		return
	}
	zone := r.PathValue("zone")
	key, path := zonal(r, "instances")
	start := func(in *compute.Instance) string {
		in.Status = "STOPPING"
		return in.SelfLink
	}
	deleteOp(s, w, s.instances, key, path, zone, start, func(in *compute.Instance) {
		for _, ad := range in.Disks {
			d := s.diskByURL(ad.Source)
			if d == nil {
				continue
			}
			d.Users = remove(d.Users, in.SelfLink)
			if ad.AutoDelete {
				delete(s.disks, zone+"/"+d.Name)
			}
		}
		for _, a := range s.addresses {
			if len(a.Users) > 0 && a.Users[0] == in.SelfLink {
				a.Users, a.Status = nil, "RESERVED"
			}
		}
	})
}

// transitions are the instance actions: the statuses an instance may be
// in, the status while the operation runs, and the one after.
var transitions = map[string]struct {
	from          []string
	during, after string
}{
	"start":   {[]string{"TERMINATED"}, "STAGING", "RUNNING"},
	"stop":    {[]string{"RUNNING", "SUSPENDED", "PROVISIONING", "STAGING"}, "STOPPING", "TERMINATED"},
	"reset":   {[]string{"RUNNING"}, "RUNNING", "RUNNING"},
	"suspend": {[]string{"RUNNING"}, "SUSPENDING", "SUSPENDED"},
	"resume":  {[]string{"SUSPENDED"}, "STAGING", "RUNNING"},
}

func (s *Server) instanceAction(w http.ResponseWriter, r *http.Request) {
	if !zoneOK(w, r) {
		return
	}
	zone, action := r.PathValue("zone"), r.PathValue("action")
	key, path := zonal(r, "instances")
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.instances[key]
	if in == nil {
		notFound(w, path)
		return
	}
	if t, ok := transitions[action]; ok {
		if !contains(t.from, in.Status) {
			googleError(w, http.StatusBadRequest, "resourceNotReady",
				fmt.Sprintf("The resource '%s' is not ready: it is %s", in.SelfLink, in.Status))
			return
		}
		in.Status = t.during
		writeJSON(w, s.startOp(zone, action, in.SelfLink, func() *opFailure {
			in.Status = t.after
			return nil
		}))
		return
	}
	switch action {
	case "attachDisk":
		s.attachDisk(w, r, zone, in)
	case "detachDisk":
		s.detachDisk(w, r, zone, in)
	case "addAccessConfig":
		s.addAccessConfig(w, r, zone, in)
	case "deleteAccessConfig":
		s.deleteAccessConfig(w, r, zone, in)
	case "setLabels":
		var req compute.InstancesSetLabelsRequest
		if !decode(w, r, &req) {
			return
		}
		writeJSON(w, s.startOp(zone, "setLabels", in.SelfLink, func() *opFailure {
			in.Labels = req.Labels
			return nil
		}))
	default:
		googleError(w, http.StatusNotFound, "notFound", "no such instance method: "+action)
	}
}

func (s *Server) attachDisk(w http.ResponseWriter, r *http.Request, zone string, in *compute.Instance) {
	var ad compute.AttachedDisk
	if !decode(w, r, &ad) {
		return
	}
	d := s.diskByURL(ad.Source)
	if d == nil {
		notFound(w, ad.Source)
		return
	}
	if !strings.HasSuffix(d.Zone, "/"+zone) {
		googleError(w, http.StatusBadRequest, "invalid", "Disk must be in the same zone as the instance")
		return
	}
	if len(d.Users) > 0 {
		googleError(w, http.StatusBadRequest, "resourceInUseByAnotherResource",
			"The disk resource '"+d.SelfLink+"' is already being used by '"+d.Users[0]+"'")
		return
	}
	if ad.DeviceName == "" {
		ad.DeviceName = d.Name
	}
	for _, have := range in.Disks {
		if have.DeviceName == ad.DeviceName {
			googleError(w, http.StatusBadRequest, "invalid", "Device name '"+ad.DeviceName+"' is already in use")
			return
		}
	}
	d.Users = append(d.Users, in.SelfLink)
	writeJSON(w, s.startOp(zone, "attachDisk", in.SelfLink, func() *opFailure {
		in.Disks = append(in.Disks, &compute.AttachedDisk{Kind: "compute#attachedDisk", Source: d.SelfLink,
			DeviceName: ad.DeviceName, Type: "PERSISTENT", Mode: "READ_WRITE", Index: int64(len(in.Disks))})
		return nil
	}))
}

func (s *Server) detachDisk(w http.ResponseWriter, r *http.Request, zone string, in *compute.Instance) {
	dev := r.URL.Query().Get("deviceName")
	for _, ad := range in.Disks {
		if ad.DeviceName != dev || ad.Boot {
			continue
		}
		writeJSON(w, s.startOp(zone, "detachDisk", in.SelfLink, func() *opFailure {
			for i, have := range in.Disks {
				if have == ad {
					in.Disks = append(in.Disks[:i], in.Disks[i+1:]...)
					break
				}
			}
			if d := s.diskByURL(ad.Source); d != nil {
				d.Users = remove(d.Users, in.SelfLink)
			}
			return nil
		}))
		return
	}
	googleError(w, http.StatusBadRequest, "invalid", "No attached disk found with device name '"+dev+"'")
}

func (s *Server) addAccessConfig(w http.ResponseWriter, r *http.Request, zone string, in *compute.Instance) {
	var ac compute.AccessConfig
	if !decode(w, r, &ac) {
		return
	}
	nic := nicNamed(in, r.URL.Query().Get("networkInterface"))
	if nic == nil {
		googleError(w, http.StatusBadRequest, "invalid", "No network interface named '"+r.URL.Query().Get("networkInterface")+"'")
		return
	}
	if len(nic.AccessConfigs) > 0 {
		googleError(w, http.StatusBadRequest, "badRequest", "At most one access config currently supported.")
		return
	}
	var addr *compute.Address
	if ac.NatIP != "" {
		for _, a := range s.addresses {
			if a.Address == ac.NatIP {
				addr = a
			}
		}
		if addr == nil {
			googleError(w, http.StatusBadRequest, "invalid", "The IP address '"+ac.NatIP+"' is not reserved")
			return
		}
		if len(addr.Users) > 0 {
			googleError(w, http.StatusBadRequest, "resourceInUseByAnotherResource", "The address '"+addr.Name+"' is in use")
			return
		}
		addr.Users, addr.Status = []string{in.SelfLink}, "IN_USE"
	}
	writeJSON(w, s.startOp(zone, "addAccessConfig", in.SelfLink, func() *opFailure {
		ac.Kind = "compute#accessConfig"
		nic.AccessConfigs = append(nic.AccessConfigs, &ac)
		return nil
	}))
}

func (s *Server) deleteAccessConfig(w http.ResponseWriter, r *http.Request, zone string, in *compute.Instance) {
	nic := nicNamed(in, r.URL.Query().Get("networkInterface"))
	name := r.URL.Query().Get("accessConfig")
	if nic == nil {
		googleError(w, http.StatusBadRequest, "invalid", "No network interface named '"+r.URL.Query().Get("networkInterface")+"'")
		return
	}
	for i, ac := range nic.AccessConfigs {
		if ac.Name != name {
			continue
		}
		writeJSON(w, s.startOp(zone, "deleteAccessConfig", in.SelfLink, func() *opFailure {
			nic.AccessConfigs = append(nic.AccessConfigs[:i:i], nic.AccessConfigs[i+1:]...)
			for _, a := range s.addresses {
				if a.Address == ac.NatIP {
					a.Users, a.Status = nil, "RESERVED"
				}
			}
			return nil
		}))
		return
	}
	googleError(w, http.StatusBadRequest, "invalid", "No access config named '"+name+"'")
}

func nicNamed(in *compute.Instance, name string) *compute.NetworkInterface {
	for _, ni := range in.NetworkInterfaces {
		if ni.Name == name {
			return ni
		}
	}
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func remove(ss []string, s string) []string {
	var out []string
	for _, x := range ss {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
