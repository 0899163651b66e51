#!/bin/bash
# docker-demo.sh - the operator's demo: test-apache-app under Docker with
# --runtime=runsc. Installs Debian's docker.io if missing, uses a running
# dockerd or starts one (and stops it again), builds the images from Debian
# packages (no registry is reachable), registers build/runsc as the runtime
# "runsc-demo" with `runsc install`, serves Apache's page through -p on
# 127.0.0.1 and shows that the container's sockets are the sentry's: its
# network namespace holds eth0 without a kernel address, and the guest
# itself sees a namespace with nothing in it. Everything it made is
# removed at the end.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
if [ "$(id -u)" != 0 ]; then echo "docker-demo: run as root" >&2; exit 1; fi
E2E_DIR=/var/tmp/runsc-demo
. tests/docker/lib.sh
make -s || exit 1
RT=runsc-demo
cid=
finish() {
	[ -n "$cid" ] && dk rm -f "$cid" >/dev/null 2>&1
	unregister_all
	docker_down
}
trap finish EXIT
docker_up || exit 1
tests/docker/images.sh >/dev/null || exit 1
register_runtime "$RT" "$PWD/build/runsc" || exit 1
port=$(free_port)
echo "+ docker run -d --runtime=$RT -p 127.0.0.1:$port:80 test-apache-app"
cid=$(dk run -d --runtime="$RT" -p "127.0.0.1:$port:80" test-apache-app) || exit 1
for i in $(seq 100); do
	curl -sf -m 2 "http://127.0.0.1:$port/" >/dev/null && break
	sleep 0.1
done
echo "+ curl http://127.0.0.1:$port/"
curl -sS -m 5 "http://127.0.0.1:$port/" | head -n 5
pid=$(dk inspect -f '{{.State.Pid}}' "$cid")
echo "+ the container's network namespace (the sentry's): addresses left to the kernel"
nsenter -t "$pid" -n ip -br addr
echo "+ what the guest sees (ip addr inside, answered by the sentry)"
dk exec "$cid" sh -c 'command -v ip >/dev/null && ip -br addr || cat /proc/net/dev' 2>/dev/null |
	head -n 5
echo "+ docker top"
dk top "$cid" | cut -c1-100
echo "+ docker stop"
dk stop -t 2 "$cid" >/dev/null && dk rm "$cid" >/dev/null && cid=
echo "demo done"
