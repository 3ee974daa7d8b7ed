package azure

import (
	"os"
	"regexp"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// Scope is where in Azure a provider works: one subscription, one resource
// group in it and one location (region). Everything the driver lists or
// creates lives there.
type Scope struct {
	SubscriptionID string
	ResourceGroup  string
	Location       string
}

// String formats the scope as the full provider string
// "subscription/resourceGroup/location", which ParseProvider reads back.
func (s Scope) String() string {
	return s.SubscriptionID + "/" + s.ResourceGroup + "/" + s.Location
}

var (
	guidRE     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	groupRE    = regexp.MustCompile(`^[-\w.()]{1,90}$`)
	locationRE = regexp.MustCompile(`^[a-z][a-z0-9]{1,39}$`)
	tenantRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$`)
)

// ParseProvider reads Config.Provider. The accepted forms, from most to least
// explicit, are
//
//	subscription/resourceGroup/location
//	resourceGroup/location
//	location
//	(empty)
//
// Parts the string leaves out are returned empty, for the options and the
// environment to fill (see the package documentation). The subscription must
// be a GUID, the resource group 1-90 letters, digits, '-', '_', '.', '(' or
// ')' not ending in '.', and the location an Azure location name such as
// "westeurope" (case-insensitive; returned in lower case).
func ParseProvider(provider string) (Scope, error) {
	var s Scope
	provider = strings.TrimSpace(provider)
	if provider == "" {
		return s, nil
	}
	parts := strings.Split(provider, "/")
	switch len(parts) {
	case 1:
		s.Location = parts[0]
	case 2:
		s.ResourceGroup, s.Location = parts[0], parts[1]
	case 3:
		s.SubscriptionID, s.ResourceGroup, s.Location = parts[0], parts[1], parts[2]
		if s.SubscriptionID == "" {
			return Scope{}, invalid("provider %q: the subscription is empty; want subscription/resourceGroup/location", provider)
		}
	default:
		return Scope{}, invalid("provider %q has %d parts; want subscription/resourceGroup/location, resourceGroup/location or location", provider, len(parts))
	}
	if len(parts) >= 2 && s.ResourceGroup == "" {
		return Scope{}, invalid("provider %q: the resource group is empty", provider)
	}
	if s.Location == "" {
		return Scope{}, invalid("provider %q: the location is empty", provider)
	}
	s.Location = strings.ToLower(s.Location)
	if err := s.check(); err != nil {
		return Scope{}, err
	}
	return s, nil
}

// check validates the parts that are set.
func (s Scope) check() error {
	if s.SubscriptionID != "" && !guidRE.MatchString(s.SubscriptionID) {
		return invalid("subscription %q is not a GUID", s.SubscriptionID)
	}
	if s.ResourceGroup != "" && (!groupRE.MatchString(s.ResourceGroup) || strings.HasSuffix(s.ResourceGroup, ".")) {
		return invalid("resource group %q: want 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'", s.ResourceGroup)
	}
	if s.Location != "" && !locationRE.MatchString(s.Location) {
		return invalid("location %q is not an Azure location name such as \"westeurope\"", s.Location)
	}
	return nil
}

// resolveScope completes the provider string's scope from the options
// (subscription_id, resource_group, location) and, for the subscription, the
// AZURE_SUBSCRIPTION_ID environment variable. An option that contradicts the
// provider string is an error.
func resolveScope(provider string, o options) (Scope, error) {
	s, err := ParseProvider(provider)
	if err != nil {
		return s, err
	}
	fill := func(dst *string, opt, name string, fold bool) error {
		if opt == "" {
			return nil
		}
		if fold {
			opt = strings.ToLower(opt)
		}
		if *dst != "" && !strings.EqualFold(*dst, opt) {
			return invalid("option %s=%q contradicts the provider string's %q", name, opt, *dst)
		}
		*dst = opt
		return nil
	}
	if err := fill(&s.SubscriptionID, o.subscription, "subscription_id", false); err != nil {
		return s, err
	}
	if err := fill(&s.ResourceGroup, o.group, "resource_group", false); err != nil {
		return s, err
	}
	if err := fill(&s.Location, o.location, "location", true); err != nil {
		return s, err
	}
	if s.SubscriptionID == "" {
		s.SubscriptionID = strings.TrimSpace(os.Getenv("AZURE_SUBSCRIPTION_ID"))
	}
	switch {
	case s.SubscriptionID == "":
		return s, invalid("no subscription: give Provider \"subscription/resourceGroup/location\", option subscription_id or AZURE_SUBSCRIPTION_ID")
	case s.ResourceGroup == "":
		return s, invalid("no resource group: give Provider \"resourceGroup/location\" or option resource_group")
	case s.Location == "":
		return s, invalid("no location: give Provider \"location\" or option location")
	}
	return s, s.check()
}

// ServicePrincipal is an Azure AD (Entra ID) application's client-secret
// credential.
type ServicePrincipal struct {
	TenantID string
	ClientID string
	Secret   string
}

// String never prints the secret.
func (sp ServicePrincipal) String() string { return sp.TenantID + "/" + sp.ClientID }

// ParseCredentials reads the Deltacloud credentials: User is
// "tenant/clientID" (the tenant as a GUID or a domain such as
// "contoso.onmicrosoft.com", the client id as a GUID) and Password is the
// client secret. Both empty gives ok == false: use the default credential
// chain. One without the other is an error.
func ParseCredentials(c deltacloud.Credentials) (sp ServicePrincipal, ok bool, err error) {
	user := strings.TrimSpace(c.User)
	switch {
	case user == "" && c.Password == "":
		return ServicePrincipal{}, false, nil
	case user == "":
		return ServicePrincipal{}, false, authErr("a client secret without a user; the user is \"tenant/clientID\"")
	case c.Password == "":
		return ServicePrincipal{}, false, authErr("user %q without a client secret (password)", user)
	}
	tenant, client, found := strings.Cut(user, "/")
	if !found {
		return ServicePrincipal{}, false, authErr("user %q: want \"tenant/clientID\"", user)
	}
	if !tenantRE.MatchString(tenant) || strings.Contains(tenant, "..") {
		return ServicePrincipal{}, false, authErr("user %q: the tenant must be a GUID or a domain name", user)
	}
	if !guidRE.MatchString(client) {
		return ServicePrincipal{}, false, authErr("user %q: the client id must be a GUID", user)
	}
	return ServicePrincipal{TenantID: tenant, ClientID: client, Secret: c.Password}, true, nil
}

func invalid(format string, args ...any) error {
	return deltacloud.Errorf(deltacloud.InvalidArgument, "azure: "+format, args...)
}

func authErr(format string, args ...any) error {
	return deltacloud.Errorf(deltacloud.AuthFailure, "azure: credentials: "+format, args...)
}
