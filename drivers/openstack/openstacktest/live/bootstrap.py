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
    gnocchi = os.environ.get("GNOCCHI") == "1"
    # ceilometer: no Ceilometer runs; the live test plays it, posting
    # measures as that service user (admin in service, as devstack has it).
    for u in ["glance", "placement", "nova", "neutron"] + ["cinder"] * cinder + ["swift"] * swift + \
            ["gnocchi", "ceilometer"] * gnocchi:
        uid = ensure(tok, "users", "user", u, {"domain_id": "default", "password": "service"})
        for r in [admin_role, service_role]:
            call("PUT", f"{KS}/projects/{service}/users/{uid}/roles/{r}", token=tok)
    uid = ensure(tok, "users", "user", "demo", {"domain_id": "default", "password": "demo"})
    call("PUT", f"{KS}/projects/{demo}/users/{uid}/roles/{member}", token=tok)
    wanted = [("image", "glance", "http://127.0.0.1:9292", True), ("placement", "placement", "http://127.0.0.1:8778", True),
              ("compute", "nova", "http://127.0.0.1:8774/v2.1", True), ("network", "neutron", "http://127.0.0.1:9696", True),
              ("volumev3", "cinderv3", "http://127.0.0.1:8776/v3/%(project_id)s", cinder),
              ("object-store", "swift", "http://127.0.0.1:8080/v1/AUTH_%(project_id)s", swift),
              ("metric", "gnocchi", "http://127.0.0.1:" + os.environ.get("GNOCCHI_PORT", "8041"), gnocchi)]
    for typ, name, url, on in wanted:
        sid = find(tok, "services", name)
        if not on:
            # An earlier run's service this run leaves out: out of the
            # catalog, so the driver does not reach for it.
            if sid:
                call("DELETE", f"{KS}/services/{sid}", token=tok)
            continue
        if sid:
            # Kept from an earlier run: its endpoints follow this run's URL
            # (GNOCCHI_PORT may differ).
            _, b = call("GET", f"{KS}/endpoints?service_id={sid}", token=tok)
            for ep in b["endpoints"]:
                if ep["url"] != url:
                    call("PATCH", f"{KS}/endpoints/{ep['id']}", {"endpoint": {"url": url}}, tok)
            continue
        _, b = call("POST", KS + "/services", {"service": {"type": typ, "name": name}}, tok)
        for iface in ["public", "internal", "admin"]:
            call("POST", KS + "/endpoints", {"endpoint": {"service_id": b["service"]["id"], "interface": iface,
                                                          "url": url, "region_id": "RegionOne"}}, tok)


def resources():
    tok = token("admin", "admin", "admin")
    nova = "http://127.0.0.1:8774/v2.1"
    mv = {"OpenStack-API-Version": "compute 2.46"}
    # m1.medium's two vCPUs let the metric test tell a share of the
    # flavor's vCPUs from one of a single vCPU.
    for fid, name, ram, disk, vcpus in [("1", "m1.tiny", 512, 1, 1), ("2", "m1.small", 2048, 20, 1),
                                        ("3", "m1.medium", 4096, 40, 2)]:
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
    if os.environ.get("GNOCCHI") == "1":
        gnocchi_types(tok, "http://127.0.0.1:" + os.environ.get("GNOCCHI_PORT", "8041") + "/v1")
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


# Ceilometer's archive policies (ceilometer/publisher/data/
# gnocchi_resources.yaml of Ceilometer 19, Zed), which its Gnocchi publisher
# creates, and its instance resource type (ceilometer/gnocchi_client.py:
# resources_initial, then the resources_update_operations on instance), which
# ceilometer-upgrade creates.
ARCHIVE_POLICIES = [
    {"name": "ceilometer-low", "aggregation_methods": ["mean"], "back_window": 0,
     "definition": [{"granularity": "5 minutes", "timespan": "30 days"}]},
    {"name": "ceilometer-low-rate", "aggregation_methods": ["mean", "rate:mean"], "back_window": 0,
     "definition": [{"granularity": "5 minutes", "timespan": "30 days"}]},
    {"name": "ceilometer-high", "aggregation_methods": ["mean"], "back_window": 0,
     "definition": [{"granularity": "1 second", "timespan": "1 hour"},
                    {"granularity": "1 minute", "timespan": "1 day"},
                    {"granularity": "1 hour", "timespan": "365 days"}]},
    {"name": "ceilometer-high-rate", "aggregation_methods": ["mean", "rate:mean"], "back_window": 0,
     "definition": [{"granularity": "1 second", "timespan": "1 hour"},
                    {"granularity": "1 minute", "timespan": "1 day"},
                    {"granularity": "1 hour", "timespan": "365 days"}]},
]


def _string(required):
    return {"type": "string", "min_length": 0, "max_length": 255, "required": required}


INSTANCE_TYPE = {"name": "instance", "attributes": {
    "flavor_id": _string(True), "image_ref": _string(False), "host": _string(True),
    "display_name": _string(True), "server_group": _string(False)}}
INSTANCE_UPDATES = [
    [{"op": "add", "path": "/attributes/flavor_name", "value": dict(_string(True), options={"fill": ""})}],
    [{"op": "add", "path": "/attributes/launched_at", "value": {"type": "datetime", "required": False}},
     {"op": "add", "path": "/attributes/created_at", "value": {"type": "datetime", "required": False}},
     {"op": "add", "path": "/attributes/deleted_at", "value": {"type": "datetime", "required": False}}],
    [{"op": "add", "path": "/attributes/availability_zone", "value": _string(False)}],
]


def gnocchi_types(tok, gnocchi):
    _, have = call("GET", f"{gnocchi}/archive_policy", token=tok)
    for ap in ARCHIVE_POLICIES:
        if not any(h["name"] == ap["name"] for h in have):
            call("POST", f"{gnocchi}/archive_policy", ap, tok)
    _, types = call("GET", f"{gnocchi}/resource_type", token=tok)
    rt = next((t for t in types if t["name"] == "instance"), None)
    if rt is None:
        _, rt = call("POST", f"{gnocchi}/resource_type", INSTANCE_TYPE, tok)
    for ops in INSTANCE_UPDATES:
        if ops[0]["path"].removeprefix("/attributes/") not in rt["attributes"]:
            _, rt = call("PATCH", f"{gnocchi}/resource_type/instance", ops, tok,
                         {"Content-Type": "application/json-patch+json"})


if __name__ == "__main__":
    {"identity": identity, "resources": resources}[sys.argv[1]]()
