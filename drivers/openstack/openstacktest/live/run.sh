#!/bin/sh
# run.sh: one command for the live OpenStack conformance run of issue 16.
# It installs Debian bookworm's Zed packages when missing (336 packages,
# 121 MB: 2.3 min measured on a quiet 2-core machine, up to 8 under load;
# Gnocchi's 14 of them, 0.5 MB, add 4 s, 40 s at load 7),
# starts MariaDB, RabbitMQ, Keystone, Glance, Placement, Nova (fake virt
# driver), Neutron, Cinder (fake volume driver), Swift (one node, one
# replica, keystone auth) and Gnocchi 4.4.2 (API with keystone auth and
# gnocchi-metricd, its index in the MariaDB, file storage; Ceilometer's
# archive policies and instance resource type, but no Ceilometer) on
# 127.0.0.1 under $SCRATCH (2 min from zero, 1 min with its data kept,
# twice that at load 7; Gnocchi's part 14 s; PSS 2.7 GiB, of it Gnocchi
# 0.36 GiB, ~7 % of one core idle), creates the demo project, flavors, an
# image and networks, runs
#   go test -run TestLive ./drivers/openstack/
# (TestLive and TestLiveMetricValues, about 100 s) with
# DELTACLOUD_OPENSTACK_LIVE=1 and $SCRATCH/env.sh, and
# stops everything it started (7 s). Follows
# shared/recipes/openstack-local.md. Needs root (apt, uwsgi).
#
#   drivers/openstack/openstacktest/live/run.sh [go test flags…]
#
# KEEP=1 leaves the services running; STOP=1 only stops a kept run.
# CINDER=0 / SWIFT=0 / GNOCCHI=0 leave Cinder / Swift / Gnocchi out
# (env.sh then does not set DELTACLOUD_OPENSTACK_CINDER / _SWIFT /
# _GNOCCHI); GNOCCHI_PORT moves Gnocchi off 8041.
# Endpoints: Keystone :5000, Glance :9292, Placement :8778, Nova :8774,
# Neutron :9696, Cinder :8776 (catalog type volumev3), Swift proxy :8080
# (object-store, /v1/AUTH_<project id>), Gnocchi :8041 (metric); logs in
# $SCRATCH/log. To rerun groups against a kept stack:
#   . $SCRATCH/env.sh && DELTACLOUD_OPENSTACK_LIVE=1 go test -count=1 -v \
#     -run 'TestLive/(Keys|Addresses)' ./drivers/openstack/
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
SCRATCH=${SCRATCH:-/tmp/deltacloud-openstack}
PY=/usr/bin/python3
export SCRATCH PY

# tree PID: the pid and its descendants.
tree() { echo "$1"; for k in $(pgrep -P "$1" 2>/dev/null); do tree "$k"; done; }
# stop: TERM every started process and its descendants (nova-api's and
# cinder-volume's workers, neutron's rpc worker, rabbitmq's beam), wait up
# to 30 s, then KILL what is left.
stop() {
	pids=
	for f in "$SCRATCH"/run/*.pid; do
		[ -f "$f" ] || continue
		pids="$pids $(tree "$(cat "$f")")"
		rm -f "$f"
	done
	[ -n "$pids" ] || return 0
	kill $pids 2>/dev/null || true
	i=0
	while [ $i -lt 30 ]; do
		alive=
		for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
		[ -n "$alive" ] || return 0
		sleep 1
		i=$((i + 1))
	done
	kill -9 $alive 2>/dev/null || true
}
if [ "${STOP:-}" = 1 ]; then stop; exit 0; fi

if ! $PY -c 'import nova, neutron, keystone, glance, placement, cinder, swift, gnocchi' 2>/dev/null; then
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		python3-keystone python3-glance python3-placement python3-nova python3-neutron \
		python3-cinder python3-swift python3-gnocchi uwsgi-core uwsgi-plugin-python3 rabbitmq-server mariadb-server-core mariadb-client-core \
		python3-pymysql curl
fi
mkdir -p "$SCRATCH"/run "$SCRATCH"/log "$SCRATCH"/etc "$SCRATCH"/paste
if [ ! -f "$SCRATCH"/paste/cinder-api-paste.ini ]; then
	(cd "$SCRATCH"/paste && apt-get download nova-common glance-common neutron-common cinder-common \
			>"$SCRATCH"/log/apt-download.log 2>&1 &&
		for d in *.deb; do dpkg-deb -x "$d" x; done &&
		cp x/usr/share/nova-common/api-paste.ini api-paste.ini &&
		cp x/usr/share/glance-common/glance-api-paste.ini glance-api-paste.ini &&
		cp x/usr/share/neutron-common/api-paste.ini neutron-api-paste.ini &&
		cp x/usr/share/cinder-common/api-paste.ini cinder-api-paste.ini)
fi
[ "${KEEP:-}" = 1 ] || trap stop EXIT INT TERM

# A stack kept from an earlier run is stopped first: starting a second
# copy beside it left duplicate Swift servers sharing its ports.
stop
"$HERE"/start.sh
. "$SCRATCH"/env.sh
cd "$REPO"
DELTACLOUD_OPENSTACK_LIVE=1 go test -count=1 -timeout 60m -run TestLive -v ./drivers/openstack/ "$@" 2>&1 |
	tee "$SCRATCH"/log/live-test.log
