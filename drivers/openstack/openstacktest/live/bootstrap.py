"""Create the loopback cloud's identities and resources over the REST APIs
(stdlib only): `bootstrap.py identity` after Keystone is up, `bootstrap.py
resources` after the other services are."""
import json
import os
import sys
import time
import urllib.error
import urllib.request

KS = "http://127.0.0.1:5000/v3"


def call(method, url, body=None, token=None, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/octet-stream" if raw is not None else "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            text = resp.read()
            return resp.headers, (json.loads(text) if text else {})
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {url}: {e.code} {e.read()[:500]!r}")


def token(user, password, project):
    h, _ = call("POST", KS + "/auth/tokens", {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {"name": user, "domain": {"name": "Default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}})
    return h["X-Subject-Token"]


def find(tok, kind, name, key=None):
    _, b = call("GET", f"{KS}/{kind}?name={name}", token=tok)
    items = b[key or kind]
    return items[0]["id"] if items else None


def ensure(tok, kind, single, name, extra):
    got = find(tok, kind, name)
    if got:
        return got
    _, b = call("POST", f"{KS}/{kind}", {single: dict(name=name, **extra)}, tok)
    return b[single]["id"]


def identity():
    tok = token("admin", "admin", "admin")
    service = ensure(tok, "projects", "project", "service", {"domain_id": "default"})
    demo = ensure(tok, "projects", "project", "demo", {"domain_id": "default"})
    admin_role = find(tok, "roles", "admin")
    service_role = ensure(tok, "roles", "role", "service", {})
    member = ensure(tok, "roles", "role", "member", {})
    cinder, swift = os.environ.get("CINDER") == "1", os.environ.get("SWIFT") == "1"
    for u in ["glance", "placement", "nova", "neutron"] + ["cinder"] * cinder + ["swift"] * swift:
        uid = ensure(tok, "users", "user", u, {"domain_id": "default", "password": "service"})
        for r in [admin_role, service_role]:
            call("PUT", f"{KS}/projects/{service}/users/{uid}/roles/{r}", token=tok)
    uid = ensure(tok, "users", "user", "demo", {"domain_id": "default", "password": "demo"})
    call("PUT", f"{KS}/projects/{demo}/users/{uid}/roles/{member}", token=tok)
    for typ, name, url in [("image", "glance", "http://127.0.0.1:9292"), ("placement", "placement", "http://127.0.0.1:8778"),
                           ("compute", "nova", "http://127.0.0.1:8774/v2.1"), ("network", "neutron", "http://127.0.0.1:9696")] + \
            [("volumev3", "cinderv3", "http://127.0.0.1:8776/v3/%(project_id)s")] * cinder + \
            [("object-store", "swift", "http://127.0.0.1:8080/v1/AUTH_%(project_id)s")] * swift:
        if find(tok, "services", name):
            continue
        _, b = call("POST", KS + "/services", {"service": {"type": typ, "name": name}}, tok)
        for iface in ["public", "internal", "admin"]:
            call("POST", KS + "/endpoints", {"endpoint": {"service_id": b["service"]["id"], "interface": iface,
                                                          "url": url, "region_id": "RegionOne"}}, tok)


def resources():
    tok = token("admin", "admin", "admin")
    nova = "http://127.0.0.1:8774/v2.1"
    mv = {"OpenStack-API-Version": "compute 2.46"}
    for fid, name, ram, disk, vcpus in [("1", "m1.tiny", 512, 1, 1), ("2", "m1.small", 2048, 20, 1)]:
        _, b = call("GET", f"{nova}/flavors/detail", token=tok)
        if not any(f["id"] == fid for f in b["flavors"]):
            call("POST", f"{nova}/flavors", {"flavor": {"id": fid, "name": name, "ram": ram, "disk": disk, "vcpus": vcpus}}, tok, mv)
    for _ in range(120):  # the scheduler maps the compute host every 2s
        _, b = call("GET", f"{nova}/os-hypervisors", token=tok)
        if b.get("hypervisors"):
            break
        time.sleep(1)
    glance = "http://127.0.0.1:9292/v2"
    _, b = call("GET", f"{glance}/images?name=cirros-fake", token=tok)
    if not b["images"]:
        _, img = call("POST", f"{glance}/images", {"name": "cirros-fake", "disk_format": "raw", "container_format": "bare",
                                                  "visibility": "public", "architecture": "x86_64", "os_distro": "cirros"}, tok)
        call("PUT", f"{glance}/images/{img['id']}/file", token=tok, raw=b"\0" * 1048576)
    neutron = "http://127.0.0.1:9696/v2.0"
    _, b = call("GET", f"{neutron}/networks?name=public", token=tok)
    if b["networks"]:
        return
    _, pub = call("POST", f"{neutron}/networks", {"network": {"name": "public", "router:external": True,
                                                               "provider:network_type": "flat", "provider:physical_network": "public"}}, tok)
    call("POST", f"{neutron}/subnets", {"subnet": {"network_id": pub["network"]["id"], "ip_version": 4, "cidr": "172.24.4.0/24",
                                                   "enable_dhcp": False}}, tok)
    demo = token("demo", "demo", "demo")
    _, priv = call("POST", f"{neutron}/networks", {"network": {"name": "private"}}, demo)
    _, sub = call("POST", f"{neutron}/subnets", {"subnet": {"network_id": priv["network"]["id"], "ip_version": 4,
                                                            "cidr": "10.0.0.0/24"}}, demo)
    _, rt = call("POST", f"{neutron}/routers", {"router": {"name": "router1",
                                                           "external_gateway_info": {"network_id": pub["network"]["id"]}}}, demo)
    call("PUT", f"{neutron}/routers/{rt['router']['id']}/add_router_interface", {"subnet_id": sub["subnet"]["id"]}, demo)


if __name__ == "__main__":
    {"identity": identity, "resources": resources}[sys.argv[1]]()
