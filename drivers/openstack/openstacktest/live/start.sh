#!/bin/sh
# start.sh: configure and start the loopback OpenStack (see run.sh), then
# write $SCRATCH/env.sh with the DELTACLOUD_OPENSTACK_* variables.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
S=$SCRATCH
CINDER=${CINDER:-1} SWIFT=${SWIFT:-1} GNOCCHI=${GNOCCHI:-1} GNOCCHI_PORT=${GNOCCHI_PORT:-8041}
export CINDER SWIFT GNOCCHI GNOCCHI_PORT
SOCK=$S/run/mysqld.sock
DB() { echo "mysql+pymysql://openstack:openstack@localhost/$1?unix_socket=$SOCK&charset=utf8"; }
bg() { name=$1; shift; nohup "$@" >"$S/log/$name.log" 2>&1 & echo $! >"$S/run/$name.pid"; }
waitfor() { i=0; until eval "$2" >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 180 ] || { echo "$1 did not start; see $S/log" >&2; exit 1; }; sleep 1; done; }

# MariaDB on a unix socket.
cat >"$S/etc/my.cnf" <<CNF
[mysqld]
datadir=$S/mysql
socket=$SOCK
skip-networking
skip-log-bin
innodb_flush_log_at_trx_commit=0
user=root
CNF
[ -d "$S/mysql/mysql" ] || mariadb-install-db --defaults-file="$S/etc/my.cnf" --user=root >"$S/log/mariadb-install.log"
bg mariadb mariadbd --defaults-file="$S/etc/my.cnf"
waitfor mariadb "mariadb -S $SOCK -uroot -e 'select 1'"
for d in keystone glance placement nova_api nova nova_cell0 neutron cinder gnocchi; do
	mariadb -S "$SOCK" -uroot -e "CREATE DATABASE IF NOT EXISTS $d"
done
mariadb -S "$SOCK" -uroot -e "CREATE USER IF NOT EXISTS 'openstack'@'localhost' IDENTIFIED BY 'openstack'; GRANT ALL ON *.* TO 'openstack'@'localhost'"

# RabbitMQ on loopback with its own epmd.
mkdir -p "$S/rabbit/mnesia" "$S/rabbit/log"
echo "loopback_users.guest = false" >"$S/rabbit/rabbitmq.conf"
bg epmd epmd -address 127.0.0.1 -port 5369
HOME=$S/rabbit RABBITMQ_MNESIA_BASE=$S/rabbit/mnesia RABBITMQ_LOG_BASE=$S/rabbit/log \
	RABBITMQ_CONFIG_FILE=$S/rabbit/rabbitmq RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_DIST_PORT=5679 \
	ERL_EPMD_PORT=5369 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
	bg rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
waitfor rabbitmq "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", 5672), 1)'"

POLICY="[oslo_policy]
enforce_new_defaults = false
enforce_scope = false"
AUTHTOKEN() { cat <<A
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = service
service_token_roles = service
service_token_roles_required = true
A
}

# SERVICE section user: a section with the service user's credentials.
SERVICE() { cat <<A
[$1]
auth_type = password
auth_url = http://127.0.0.1:5000/v3
project_name = service
project_domain_name = Default
username = $2
user_domain_name = Default
password = service
region_name = RegionOne
A
}

# Keystone.
mkdir -p "$S/keystone/fernet" "$S/keystone/credential"
cat >"$S/etc/keystone.conf" <<CONF
[DEFAULT]
log_dir = $S/log
[database]
connection = $(DB keystone)
[token]
provider = fernet
[fernet_tokens]
key_repository = $S/keystone/fernet
[credential]
key_repository = $S/keystone/credential
[cache]
enabled = true
backend = dogpile.cache.memory
$POLICY
CONF
export OS_KEYSTONE_CONFIG_FILES=$S/etc/keystone.conf
KM="$PY -c 'from keystone.cmd.manage import main; main()' --config-file $S/etc/keystone.conf"
eval "$KM db_sync"
eval "$KM fernet_setup --keystone-user root --keystone-group root"
eval "$KM credential_setup --keystone-user root --keystone-group root"
eval "$KM bootstrap --bootstrap-password admin --bootstrap-admin-url http://127.0.0.1:5000/v3/ \
	--bootstrap-internal-url http://127.0.0.1:5000/v3/ --bootstrap-public-url http://127.0.0.1:5000/v3/ --bootstrap-region-id RegionOne"
bg keystone uwsgi-core --plugins python3 --http-socket 127.0.0.1:5000 --processes 1 --threads 4 --lazy-apps --die-on-term \
	--add-header 'Connection: close' --wsgi-file /usr/bin/keystone-wsgi-public
waitfor keystone "curl -sf http://127.0.0.1:5000/v3"
$PY "$HERE/bootstrap.py" identity

# Glance.
mkdir -p "$S/glance/images" "$S/glance/staging" "$S/glance/tasks"
cat >"$S/etc/glance-api.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
log_file = $S/log/glance-api-service.log
enabled_backends = fs:file
[database]
connection = $(DB glance)
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $S/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $S/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $S/glance/tasks
[paste_deploy]
flavor = keystone
config_file = $S/paste/glance-api-paste.ini
$(AUTHTOKEN glance)
$POLICY
CONF
$PY -c 'from glance.cmd.manage import main; main()' --config-file "$S/etc/glance-api.conf" db_sync >"$S/log/glance-manage.log" 2>&1
bg glance $PY -c 'from glance.cmd.api import main; main()' --config-file "$S/etc/glance-api.conf"

# Placement.
cat >"$S/etc/placement.conf" <<CONF
[placement_database]
connection = $(DB placement)
[api]
auth_strategy = keystone
$(AUTHTOKEN placement)
$POLICY
CONF
export OS_PLACEMENT_CONFIG_DIR=$S/etc
$PY -c 'from placement.cmd.manage import main; main()' --config-file "$S/etc/placement.conf" db sync
bg placement uwsgi-core --plugins python3 --http-socket 127.0.0.1:8778 --processes 1 --threads 2 --lazy-apps --die-on-term \
	--add-header 'Connection: close' --wsgi-file /usr/bin/placement-api

# Nova with the fake virt driver.
cat >"$S/etc/nova.conf" <<CONF
[DEFAULT]
compute_driver = fake.FakeDriver
graceful_shutdown_timeout = 5
transport_url = rabbit://guest:guest@127.0.0.1:5672/
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_workers = 1
host = host-ovs-filter-active
state_path = $S/nova
log_dir = $S/log
[api_database]
connection = $(DB nova_api)
[database]
connection = $(DB nova)
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 2
[wsgi]
api_paste_config = $S/paste/api-paste.ini
[vnc]
enabled = false
[glance]
api_servers = http://127.0.0.1:9292
$(SERVICE placement placement)
$(SERVICE neutron neutron)
$(SERVICE service_user nova)
send_service_user_token = true
$(SERVICE cinder nova)
os_region_name = RegionOne
$(AUTHTOKEN nova)
$POLICY
CONF
mkdir -p "$S/nova"
NM="$PY -c 'from nova.cmd.manage import main; main()' --config-file $S/etc/nova.conf"
eval "$NM api_db sync"
eval "$NM cell_v2 map_cell0 --database_connection '$(DB nova_cell0)'" || true
eval "$NM cell_v2 create_cell --name cell1" || true
eval "$NM db sync"
for svc in api conductor scheduler compute; do
	bg nova-$svc $PY -c "from nova.cmd.$svc import main; main()" --config-file "$S/etc/nova.conf"
done

# Neutron: ml2 with the in-tree test mechanism driver, under python3 -O.
cat >"$S/etc/neutron.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
core_plugin = ml2
graceful_shutdown_timeout = 5
service_plugins = router
api_workers = 1
rpc_workers = 0
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
transport_url = rabbit://guest:guest@127.0.0.1:5672/
api_paste_config = $S/paste/neutron-api-paste.ini
log_dir = $S/log
state_path = $S/neutron
[database]
connection = $(DB neutron)
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = test
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
[ml2_type_vxlan]
vni_ranges = 1:1000
$(AUTHTOKEN neutron)
$POLICY
CONF
mkdir -p "$S/neutron"
$PY - "$S/etc/neutron.conf" <<'PYEOF'
import sys
from oslo_config import cfg
from oslo_db import options
options.set_defaults(cfg.CONF)  # registers [database]
cfg.CONF(["--config-file", sys.argv[1]], project="neutron")
import sqlalchemy
from neutron.db.migration.models import head
engine = sqlalchemy.create_engine(cfg.CONF.database.connection)
head.get_metadata().create_all(engine)
PYEOF
$PY -c 'from neutron.db.migration.cli import main; main()' --config-file "$S/etc/neutron.conf" stamp heads >"$S/log/neutron-db.log" 2>&1
bg neutron $PY -O -c 'from neutron.cmd.eventlet.server import main; main()' --config-file "$S/etc/neutron.conf"

# Cinder with the in-tree fake volume driver (no storage behind it).
if [ "$CINDER" = 1 ]; then
	mkdir -p "$S/cinder/lock"
	cat >"$S/etc/cinder.conf" <<CONF
[DEFAULT]
transport_url = rabbit://guest:guest@127.0.0.1:5672/
auth_strategy = keystone
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = 8776
osapi_volume_workers = 1
api_paste_config = $S/paste/cinder-api-paste.ini
enabled_backends = fake
graceful_shutdown_timeout = 5
default_volume_type = __DEFAULT__
glance_api_servers = http://127.0.0.1:9292
my_ip = 127.0.0.1
state_path = $S/cinder
log_dir = $S/log
[database]
connection = $(DB cinder)
[oslo_concurrency]
lock_path = $S/cinder/lock
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
target_helper = fake
$(SERVICE nova cinder)
$(AUTHTOKEN cinder)
$POLICY
CONF
	$PY -c 'from cinder.cmd.manage import main; main()' --config-file "$S/etc/cinder.conf" db sync >"$S/log/cinder-manage.log" 2>&1
	for svc in api scheduler volume; do
		bg cinder-$svc $PY -c "from cinder.cmd.$svc import main; main()" --config-file "$S/etc/cinder.conf"
	done
fi

# Swift: one node, one replica, plain directories, keystone auth, the
# usual middleware (bulk, tempurl, formpost, quotas, SLO/DLO, versioning,
# symlinks; no memcache, so no ratelimit), no replicators or auditors. Swift reads /etc/swift/swift.conf from a
# constant: the launcher (swift-server.py) points it here.
if [ "$SWIFT" = 1 ]; then
	SW=$S/etc/swift
	mkdir -p "$SW" "$S/swift/node/d1" "$S/swift/recon"
	[ -f "$SW/swift.conf" ] || cat >"$SW/swift.conf" <<CONF
[swift-hash]
swift_hash_path_suffix = deltacloud-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
swift_hash_path_prefix = live
[storage-policy:0]
name = Policy-0
default = yes
CONF
	for ring in object:8203 container:8201 account:8202; do
		r=${ring%%:*} port=${ring#*:}
		if [ ! -f "$SW/$r.ring.gz" ]; then
			RB="$PY -c 'import sys; from swift.cli.ringbuilder import main; main([\"swift-ring-builder\"] + sys.argv[1:])'"
			eval "$RB $SW/$r.builder create 8 1 1" >/dev/null
			eval "$RB $SW/$r.builder add r1z1-127.0.0.1:$port/d1 1" >/dev/null
			eval "$RB $SW/$r.builder rebalance" >/dev/null || [ -f "$SW/$r.ring.gz" ]
		fi
		cat >"$SW/$r-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
workers = 0
user = root
swift_dir = $SW
devices = $S/swift/node
mount_check = false
recon_cache_path = $S/swift/recon
[pipeline:main]
pipeline = $r-server
[app:$r-server]
use = egg:swift#$r
[container-updater]
interval = 5
concurrency = 1
CONF
	done
	cat >"$SW/proxy-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = 8080
workers = 0
user = root
swift_dir = $SW
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging listing_formats bulk tempurl formpost authtoken keystoneauth copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:bulk]
use = egg:swift#bulk
[filter:tempurl]
use = egg:swift#tempurl
[filter:formpost]
use = egg:swift#formpost
[filter:container-quotas]
use = egg:swift#container_quotas
[filter:account-quotas]
use = egg:swift#account_quotas
[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true
allow_object_versioning = true
[filter:symlink]
use = egg:swift#symlink
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = true
www_authenticate_uri = http://127.0.0.1:5000
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = swift
password = service
CONF
	for r in object container account proxy; do
		bg swift-$r $PY "$HERE/swift-server.py" "$SW/swift.conf" "$SW/$r-server.conf" $r-server
	done
	# The one background daemon: it carries container counts and bytes
	# into the account's listing (every 5 s).
	bg swift-container-updater $PY "$HERE/swift-server.py" "$SW/swift.conf" "$SW/container-server.conf" container-updater
fi

# Gnocchi (catalog type "metric"): the API under uwsgi with Keystone auth
# (keystonemiddleware reads [keystone_authtoken] from the file the paste
# pipeline names, not from the API's own --config-file), gnocchi-metricd
# aggregating every 5 s; the indexer is a database of the stack's MariaDB
# (and tooz's coordination too, by default: no second database server,
# whose package and ~170 MB a PostgreSQL would add), the storage plain
# files. Ceilometer's archive policies and instance type: bootstrap.py.
if [ "$GNOCCHI" = 1 ]; then
	if $PY -c "import socket; socket.create_connection(('127.0.0.1', $GNOCCHI_PORT), 1)" 2>/dev/null; then
		echo "127.0.0.1:$GNOCCHI_PORT is taken; GNOCCHI_PORT=… picks another port, GNOCCHI=0 leaves Gnocchi out" >&2
		exit 1
	fi
	mkdir -p "$S/gnocchi/storage"
	awk -v f="$S/etc/gnocchi.conf" '{ print } /^oslo_config_project = / { print "oslo_config_file = " f }' \
		/usr/lib/python3/dist-packages/gnocchi/rest/api-paste.ini >"$S/etc/gnocchi-api-paste.ini"
	cat >"$S/etc/gnocchi.conf" <<CONF
[DEFAULT]
parallel_operations = 2
[api]
auth_mode = keystone
host = 127.0.0.1
port = $GNOCCHI_PORT
paste_config = $S/etc/gnocchi-api-paste.ini
[indexer]
url = $(DB gnocchi)
[storage]
driver = file
file_basepath = $S/gnocchi/storage
[incoming]
driver = file
file_basepath = $S/gnocchi/storage
[metricd]
workers = 1
metric_processing_delay = 5
$(AUTHTOKEN gnocchi)
$POLICY
CONF
	$PY /usr/bin/gnocchi-upgrade --config-file "$S/etc/gnocchi.conf" >"$S/log/gnocchi-upgrade.log" 2>&1
	bg gnocchi-api uwsgi-core --plugins python3 --http-socket 127.0.0.1:$GNOCCHI_PORT --processes 1 --threads 4 --lazy-apps \
		--die-on-term --add-header 'Connection: close' --buffer-size 65535 \
		--wsgi-file /usr/lib/python3/dist-packages/gnocchi/rest/wsgi.py --pyargv "--config-file $S/etc/gnocchi.conf"
	bg gnocchi-metricd $PY /usr/bin/gnocchi-metricd --config-file "$S/etc/gnocchi.conf"
fi

waitfor glance "curl -s http://127.0.0.1:9292/"
waitfor placement "curl -s http://127.0.0.1:8778/"
waitfor nova-api "curl -sf http://127.0.0.1:8774/v2.1/"
waitfor neutron "curl -s http://127.0.0.1:9696/"
[ "$CINDER" != 1 ] || waitfor cinder-api "curl -sf http://127.0.0.1:8776/"
[ "$SWIFT" != 1 ] || waitfor swift-proxy "curl -sf http://127.0.0.1:8080/healthcheck"
[ "$GNOCCHI" != 1 ] || waitfor gnocchi-api "curl -sf http://127.0.0.1:$GNOCCHI_PORT/healthcheck"
$PY "$HERE/bootstrap.py" resources
cat >"$S/env.sh" <<ENV
export DELTACLOUD_OPENSTACK_URL=http://127.0.0.1:5000/v3
export DELTACLOUD_OPENSTACK_USER=demo
export DELTACLOUD_OPENSTACK_PASSWORD=demo
export DELTACLOUD_OPENSTACK_PROJECT=demo
export DELTACLOUD_OPENSTACK_FLAVOR=1
export DELTACLOUD_OPENSTACK_NETWORK=private
ENV
[ "$CINDER" != 1 ] || echo "export DELTACLOUD_OPENSTACK_CINDER=1" >>"$S/env.sh"
[ "$SWIFT" != 1 ] || echo "export DELTACLOUD_OPENSTACK_SWIFT=1" >>"$S/env.sh"
[ "$GNOCCHI" != 1 ] || cat >>"$S/env.sh" <<ENV
export DELTACLOUD_OPENSTACK_GNOCCHI=1
export DELTACLOUD_OPENSTACK_CEILOMETER_USER=ceilometer
export DELTACLOUD_OPENSTACK_CEILOMETER_PASSWORD=service
export DELTACLOUD_OPENSTACK_CEILOMETER_PROJECT=service
ENV
echo "OpenStack is up; env in $S/env.sh"
