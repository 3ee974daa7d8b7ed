package gcetest

import (
	"net/http"
	"strings"
	"time"

	"google.golang.org/api/compute/v1"
)

// The fixtures every server starts with.
const (
	// FixtureImage is an image of the project's own, made by nobody's
	// driver.
	FixtureImage = "golden-image"
	// FixtureFirewall is a firewall rule of the project's own.
	FixtureFirewall = "default-allow-ssh"
)

// machineTypes are the fixture's machine types: name, vCPUs, MiB, and
// architecture.
var machineTypes = []struct {
	name string
	cpus int64
	mib  int64
	arch string
}{
	{"e2-micro", 2, 1024, "X86_64"},
	{"e2-small", 2, 2048, "X86_64"},
	{"e2-medium", 2, 4096, "X86_64"},
	{"n1-standard-1", 1, 3840, "X86_64"},
	{"n2-standard-2", 2, 8192, "X86_64"},
	{"t2a-standard-1", 1, 4096, "ARM64"},
}

func (s *Server) fixtures() {
	for _, m := range machineTypes {
		s.machineType[m.name] = &compute.MachineType{
			Kind: "compute#machineType", Name: m.name, GuestCpus: m.cpus, MemoryMb: m.mib, Architecture: m.arch,
			Description: m.name, IsSharedCpu: strings.HasPrefix(m.name, "e2-micro"),
		}
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	for _, img := range []*compute.Image{
		{Name: "debian-12-bookworm-v20250101", Family: "debian-12", Architecture: "X86_64", Description: "Debian, Debian GNU/Linux, 12 (bookworm), amd64", DiskSizeGb: 10, Status: "READY", CreationTimestamp: now},
		{Name: "debian-12-bookworm-arm64-v20250101", Family: "debian-12-arm64", Architecture: "ARM64", Description: "Debian, Debian GNU/Linux, 12 (bookworm), arm64", DiskSizeGb: 10, Status: "READY", CreationTimestamp: now},
		{Name: "ubuntu-2404-noble-amd64-v20250101", Family: "ubuntu-2404-lts-amd64", Architecture: "X86_64", Description: "Canonical, Ubuntu, 24.04 LTS, amd64", DiskSizeGb: 10, Status: "READY", CreationTimestamp: now},
		{Name: "ubuntu-2004-focal-v20200101", Family: "ubuntu-2004-lts", Architecture: "X86_64", Status: "READY", CreationTimestamp: now,
			Deprecated: &compute.DeprecationStatus{State: "DEPRECATED"}},
	} {
		project := "debian-cloud"
		if strings.HasPrefix(img.Name, "ubuntu") {
			project = "ubuntu-os-cloud"
		}
		s.addImage(project, img)
	}
	s.addImage(Project, &compute.Image{Name: FixtureImage, Architecture: "X86_64", Description: "the team's golden image", DiskSizeGb: 20, Status: "READY", CreationTimestamp: now})
	s.firewalls[FixtureFirewall] = &compute.Firewall{
		Kind: "compute#firewall", Name: FixtureFirewall, Network: s.globalURL() + "/networks/default", Direction: "INGRESS", Priority: 1000,
		Allowed: []*compute.FirewallAllowed{{IPProtocol: "tcp", Ports: []string{"22"}}}, SourceRanges: []string{"0.0.0.0/0"},
		SelfLink: s.globalURLFor(Project) + "/firewalls/" + FixtureFirewall,
	}
}

func (s *Server) addImage(project string, img *compute.Image) {
	img.Kind = "compute#image"
	img.SelfLink = s.globalURLFor(project) + "/images/" + img.Name
	s.images[project+"/"+img.Name] = img
}

// globalURLFor is a project's global URL; before the server starts it is a
// path, which the fixtures fill in later.
func (s *Server) globalURLFor(project string) string {
	base := ""
	if s.srv != nil {
		base = s.srv.URL
	}
	return base + "/compute/v1/projects/" + project + "/global"
}

func (s *Server) zoneObject(z string) *compute.Zone {
	region := Region
	if z == OtherZone {
		region = "europe-west1"
	}
	status := "UP"
	if z == Zones[2] {
		status = "UP"
	}
	return &compute.Zone{Kind: "compute#zone", Name: z, Status: status, Description: z,
		Region: s.regionURL(region), SelfLink: s.zoneURL(z)}
}

func (s *Server) listZones(w http.ResponseWriter, r *http.Request) {
	all := append(append([]string{}, Zones...), OtherZone)
	from, to, next, ok := s.page(w, r, len(all))
	if !ok {
		return
	}
	out := &compute.ZoneList{Kind: "compute#zoneList", NextPageToken: next}
	for _, z := range all[from:to] {
		out.Items = append(out.Items, s.zoneObject(z))
	}
	writeJSON(w, out)
}

func (s *Server) getZone(w http.ResponseWriter, r *http.Request) {
	z := r.PathValue("zone")
	if !isZone(z) {
		notFound(w, "projects/"+Project+"/zones/"+z)
		return
	}
	writeJSON(w, s.zoneObject(z))
}

func (s *Server) listMachineTypes(w http.ResponseWriter, r *http.Request) {
	if !isZone(r.PathValue("zone")) {
		notFound(w, "zones/"+r.PathValue("zone"))
		return
	}
	s.mu.Lock()
	names := sortedKeys(s.machineType)
	s.mu.Unlock()
	from, to, next, ok := s.page(w, r, len(names))
	if !ok {
		return
	}
	out := &compute.MachineTypeList{Kind: "compute#machineTypeList", NextPageToken: next}
	s.mu.Lock()
	for _, n := range names[from:to] {
		m := clone(s.machineType[n])
		m.Zone = r.PathValue("zone")
		m.SelfLink = s.zoneURL(m.Zone) + "/machineTypes/" + n
		out.Items = append(out.Items, m)
	}
	s.mu.Unlock()
	writeJSON(w, out)
}

func (s *Server) getMachineType(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	m := s.machineType[r.PathValue("name")]
	s.mu.Unlock()
	if m == nil || !isZone(r.PathValue("zone")) {
		notFound(w, "machineTypes/"+r.PathValue("name"))
		return
	}
	m = clone(m)
	m.Zone = r.PathValue("zone")
	m.SelfLink = s.zoneURL(m.Zone) + "/machineTypes/" + m.Name
	writeJSON(w, m)
}

// machineTypeValid reports whether a zone offers a machine type: a
// predefined one, or a custom N1 type custom-CPUS-MIB.
func (s *Server) machineTypeValid(name string) bool {
	if s.machineType[name] != nil {
		return true
	}
	var cpus, mib int
	if n, _ := sscanf(name, &cpus, &mib); n == 2 && cpus >= 1 && mib%256 == 0 {
		return true
	}
	return false
}

// imageByURL finds an image by its URL or partial URL (…projects/P/global/
// images/NAME or …/images/family/FAMILY). Called with s.mu held.
func (s *Server) imageByURL(u string) *compute.Image {
	i := strings.Index(u, "projects/")
	if i < 0 {
		return nil
	}
	parts := strings.Split(u[i:], "/")
	if len(parts) == 5 && parts[2] == "global" && parts[3] == "images" {
		return s.images[parts[1]+"/"+parts[4]]
	}
	if len(parts) == 6 && parts[2] == "global" && parts[3] == "images" && parts[4] == "family" {
		return s.familyImage(parts[1], parts[5])
	}
	return nil
}

// familyImage is the newest non-deprecated image of a family.
func (s *Server) familyImage(project, family string) *compute.Image {
	var best *compute.Image
	for _, k := range sortedKeys(s.images) {
		img := s.images[k]
		if strings.HasPrefix(k, project+"/") && img.Family == family && img.Deprecated == nil {
			best = img
		}
	}
	return best
}

func (s *Server) listImages(w http.ResponseWriter, r *http.Request) {
	list(s, w, r, s.images, r.PathValue("project")+"/", func(img *compute.Image) (string, map[string]string) { return img.Name, img.Labels },
		func(items []*compute.Image, next string) any {
			return &compute.ImageList{Kind: "compute#imageList", Items: items, NextPageToken: next}
		})
}

func (s *Server) getImage(w http.ResponseWriter, r *http.Request) {
	project, name := r.PathValue("project"), r.PathValue("name")
	get(s, w, s.images, project+"/"+name, "projects/"+project+"/global/images/"+name)
}

func (s *Server) imageFromFamily(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	img := s.familyImage(r.PathValue("project"), r.PathValue("family"))
	if img != nil {
		img = clone(img)
	}
	s.mu.Unlock()
	if img == nil {
		notFound(w, "projects/"+r.PathValue("project")+"/global/images/family/"+r.PathValue("family"))
		return
	}
	writeJSON(w, img)
}

func (s *Server) insertImage(w http.ResponseWriter, r *http.Request) {
	var img compute.Image
	if !decode(w, r, &img) || !validName(w, img.Name) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.images[Project+"/"+img.Name] != nil {
		alreadyExists(w, "images/"+img.Name)
		return
	}
	d := s.diskByURL(img.SourceDisk)
	if d == nil {
		notFound(w, img.SourceDisk)
		return
	}
	if len(d.Users) > 0 && r.URL.Query().Get("forceCreate") != "true" {
		googleError(w, http.StatusBadRequest, "resourceInUseByAnotherResource",
			"The disk resource '"+d.Name+"' is already being used by '"+d.Users[0]+"'")
		return
	}
	img.Status, img.DiskSizeGb = "PENDING", d.SizeGb
	img.CreationTimestamp = time.Now().UTC().Format(time.RFC3339)
	s.addImage(Project, &img)
	s.insertOp(w, "global", img.SelfLink, &img.Status, "READY")
}

func (s *Server) deleteImage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if r.PathValue("project") != Project { // another project's images are not the caller's to delete
		notFound(w, "images/"+name)
		return
	}
	deleteOp(s, w, s.images, Project+"/"+name, "images/"+name, "global",
		func(img *compute.Image) string { return img.SelfLink }, nil)
}
