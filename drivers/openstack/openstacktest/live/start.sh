#!/bin/sh
# start.sh: configure and start the loopback OpenStack (see run.sh), then
# write $SCRATCH/env.sh with the DELTACLOUD_OPENSTACK_* variables.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
S=$SCRATCH
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
for d in keystone glance placement nova_api nova nova_cell0 neutron; do
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
bg keystone uwsgi-core --plugins python3 --http-socket 127.0.0.1:5000 --processes 1 --threads 4 --lazy-apps \
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
bg placement uwsgi-core --plugins python3 --http-socket 127.0.0.1:8778 --processes 1 --threads 2 --lazy-apps \
	--add-header 'Connection: close' --wsgi-file /usr/bin/placement-api

# Nova with the fake virt driver.
cat >"$S/etc/nova.conf" <<CONF
[DEFAULT]
compute_driver = fake.FakeDriver
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
from neutron.common import config
cfg.CONF(["--config-file", sys.argv[1]])
import sqlalchemy
from neutron.db.migration.models import head
engine = sqlalchemy.create_engine(cfg.CONF.database.connection)
head.get_metadata().create_all(engine)
PYEOF
$PY -c 'from neutron.db.migration.cli import main; main()' --config-file "$S/etc/neutron.conf" stamp heads >"$S/log/neutron-db.log" 2>&1
bg neutron $PY -O -c 'from neutron.cmd.eventlet.server import main; main()' --config-file "$S/etc/neutron.conf"

waitfor glance "curl -s http://127.0.0.1:9292/"
waitfor placement "curl -s http://127.0.0.1:8778/"
waitfor nova-api "curl -sf http://127.0.0.1:8774/v2.1/"
waitfor neutron "curl -s http://127.0.0.1:9696/"
$PY "$HERE/bootstrap.py" resources
cat >"$S/env.sh" <<ENV
export DELTACLOUD_OPENSTACK_URL=http://127.0.0.1:5000/v3
export DELTACLOUD_OPENSTACK_USER=demo
export DELTACLOUD_OPENSTACK_PASSWORD=demo
export DELTACLOUD_OPENSTACK_PROJECT=demo
export DELTACLOUD_OPENSTACK_FLAVOR=1
export DELTACLOUD_OPENSTACK_NETWORK=private
ENV
echo "OpenStack is up; env in $S/env.sh"
