package ec2test

import (
	"fmt"
	"net/http"
	"slices"
)

// Address is what the fake knows of one Elastic IP.
type Address struct {
	PublicIP, AllocationID string
	// InstanceID and AssociationID are set while the address is associated.
	InstanceID, AssociationID string
}

// Addresses returns copies of the allocated addresses, in allocation order.
func (s *Server) Addresses() []Address {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Address, len(s.addrs))
	for i, a := range s.addrs {
		out[i] = *a
	}
	return out
}

// SetAddressLimit sets how many addresses may be allocated at once (default
// 5, EC2's default quota); more is AddressLimitExceeded.
func (s *Server) SetAddressLimit(n int) { s.mu.Lock(); s.addrLimit = n; s.mu.Unlock() }

func (s *Server) addrBy(ip, alloc string) *Address {
	for _, a := range s.addrs {
		if (ip != "" && a.PublicIP == ip) || (alloc != "" && a.AllocationID == alloc) {
			return a
		}
	}
	return nil
}

// addressOf returns the address associated with an instance, if any.
func (s *Server) addressOf(instanceID string) *Address {
	for _, a := range s.addrs {
		if a.InstanceID == instanceID {
			return a
		}
	}
	return nil
}

// targetAddress finds the address a request names by AllocationId or
// PublicIp.
func (s *Server) targetAddress(r *http.Request) (*Address, *apiError) {
	ip, alloc := r.Form.Get("PublicIp"), r.Form.Get("AllocationId")
	switch {
	case alloc != "":
		if a := s.addrBy("", alloc); a != nil {
			return a, nil
		}
		return nil, errf(400, "InvalidAllocationID.NotFound", "The allocation ID '%s' does not exist", alloc)
	case ip != "":
		if a := s.addrBy(ip, ""); a != nil {
			return a, nil
		}
		return nil, errf(400, "InvalidAddress.NotFound", "Address '%s' not found.", ip)
	}
	return nil, errf(400, "MissingParameter", "Either public IP or allocation id must be specified")
}

func renderAddress(a *Address) xAddress {
	return xAddress{PublicIP: a.PublicIP, AllocationID: a.AllocationID, Domain: "vpc", InstanceID: a.InstanceID, AssociationID: a.AssociationID}
}

// describeAddresses answers DescribeAddresses, which EC2 does not paginate.
func (s *Server) describeAddresses(r *http.Request) (any, *apiError) {
	ips, allocs := list(r, "PublicIp"), list(r, "AllocationId")
	fs := filters(r)
	for _, ip := range ips {
		if s.addrBy(ip, "") == nil {
			return nil, errf(400, "InvalidAddress.NotFound", "Address '%s' not found.", ip)
		}
	}
	for _, id := range allocs {
		if s.addrBy("", id) == nil {
			return nil, errf(400, "InvalidAllocationID.NotFound", "The allocation ID '%s' does not exist", id)
		}
	}
	resp := describeAddressesResponse{head: newHead()}
	for _, a := range s.addrs {
		if (len(ips) == 0 || slices.Contains(ips, a.PublicIP)) && (len(allocs) == 0 || slices.Contains(allocs, a.AllocationID)) &&
			match(fs, "public-ip", a.PublicIP) && match(fs, "instance-id", a.InstanceID) {
			resp.Addresses = append(resp.Addresses, renderAddress(a))
		}
	}
	return resp, nil
}

func (s *Server) allocateAddress(r *http.Request) (any, *apiError) {
	if d := r.Form.Get("Domain"); d != "" && d != "vpc" {
		return nil, errf(400, "InvalidParameterValue", "Invalid value '%s' for domain.", d)
	}
	if len(s.addrs) >= s.addrLimit {
		return nil, errf(400, "AddressLimitExceeded", "The maximum number of addresses has been reached.")
	}
	s.seq++
	s.addrSeq++
	a := &Address{PublicIP: fmt.Sprintf("198.51.100.%d", s.addrSeq%254+1), AllocationID: fmt.Sprintf("eipalloc-%017x", s.seq)}
	for s.addrBy(a.PublicIP, "") != nil {
		s.addrSeq++
		a.PublicIP = fmt.Sprintf("198.51.100.%d", s.addrSeq%254+1)
	}
	s.addrs = append(s.addrs, a)
	return allocateAddressResponse{head: newHead(), xAddress: renderAddress(a)}, nil
}

func (s *Server) releaseAddress(r *http.Request) (any, *apiError) {
	a, e := s.targetAddress(r)
	if e != nil {
		return nil, e
	}
	if a.AssociationID != "" {
		return nil, errf(400, "InvalidIPAddress.InUse", "Address %s is in use.", a.PublicIP)
	}
	s.addrs = slices.DeleteFunc(s.addrs, func(x *Address) bool { return x == a })
	return returnResponse{XMLName: xmlName("ReleaseAddressResponse"), head: newHead(), Return: true}, nil
}

// associateAddress points an address at a running instance, moving it from
// another instance only when AllowReassociation is set, as EC2 does.
func (s *Server) associateAddress(r *http.Request) (any, *apiError) {
	a, e := s.targetAddress(r)
	if e != nil {
		return nil, e
	}
	id := r.Form.Get("InstanceId")
	if id == "" {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter InstanceId")
	}
	if e := s.lookup(id); e != nil {
		return nil, e
	}
	if st := s.instances[id].State; st != "running" {
		return nil, errf(400, "IncorrectInstanceState", "The instance '%s' is not in a valid state for this operation (%s).", id, st)
	}
	if a.AssociationID != "" && r.Form.Get("AllowReassociation") != "true" {
		return nil, errf(400, "Resource.AlreadyAssociated", "resource %s is already associated with associate-id %s", a.AllocationID, a.AssociationID)
	}
	if old := s.addressOf(id); old != nil && old != a {
		old.InstanceID, old.AssociationID = "", ""
	}
	s.seq++
	a.InstanceID, a.AssociationID = id, fmt.Sprintf("eipassoc-%017x", s.seq)
	return associateAddressResponse{head: newHead(), Return: true, AssociationID: a.AssociationID}, nil
}

func (s *Server) disassociateAddress(r *http.Request) (any, *apiError) {
	var a *Address
	if assoc := r.Form.Get("AssociationId"); assoc != "" {
		i := slices.IndexFunc(s.addrs, func(x *Address) bool { return x.AssociationID == assoc })
		if i < 0 {
			return nil, errf(400, "InvalidAssociationID.NotFound", "The association ID '%s' does not exist", assoc)
		}
		a = s.addrs[i]
	} else {
		var e *apiError
		if a, e = s.targetAddress(r); e != nil {
			return nil, e
		}
		if a.AssociationID == "" {
			return nil, errf(400, "InvalidAssociationID.NotFound", "Address %s is not associated", a.PublicIP)
		}
	}
	a.InstanceID, a.AssociationID = "", ""
	return returnResponse{XMLName: xmlName("DisassociateAddressResponse"), head: newHead(), Return: true}, nil
}
