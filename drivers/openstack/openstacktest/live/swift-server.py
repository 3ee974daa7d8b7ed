"""Run one Swift WSGI server (or the container updater) in the foreground,
with swift.conf taken from argv[1] instead of the hard-coded
/etc/swift/swift.conf:
    swift-server.py SWIFT_CONF SERVER_CONF SECTION
SECTION is object-server, container-server, account-server, proxy-server
or container-updater (which reads [container-updater] of SERVER_CONF)."""
import sys

import swift.common.utils as utils

utils.SWIFT_CONF_FILE = sys.argv[1]

# Imported after SWIFT_CONF_FILE is set: they read it on import.
from swift.common.daemon import run_daemon  # noqa: E402
from swift.common.wsgi import run_wsgi  # noqa: E402

conf, section = sys.argv[2], sys.argv[3]
if section == "container-updater":
    from swift.container.updater import ContainerUpdater

    sys.exit(run_daemon(ContainerUpdater, conf, section_name=section, verbose=True))
kwargs = {"verbose": True}
if section == "object-server":
    from swift.obj import server

    kwargs["global_conf_callback"] = server.global_conf_callback
sys.exit(run_wsgi(conf, section, **kwargs))
