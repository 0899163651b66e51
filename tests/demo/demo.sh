#!/bin/bash
# demo.sh - the README's first command: build, then serve a page from a
# sandboxed busybox httpd and fetch it three ways. Everything happens in a
# network namespace this script creates (runsc-demo) and removes again.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then echo "demo: run as root" >&2; exit 1; fi
if ! command -v busybox >/dev/null || ! command -v curl >/dev/null ||
   ! dpkg -s libseccomp-dev libcmocka-dev dpkg-dev >/dev/null 2>&1; then
	apt-get update -qq
	make deps
fi
make -s
NS=runsc-demo-$$
SRV=/var/tmp/runsc-demo-$$
pid=
cleanup() {
	set +e
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$SRV"
}
trap cleanup EXIT
mkdir -p "$SRV"
echo "<h1>hello from a runsc sandbox</h1>" > "$SRV/index.html"
ip netns add "$NS"
ip -n "$NS" link set lo up
echo "+ ip netns exec $NS runsc do -p 127.0.0.1:8080:80 -- busybox httpd -f -p 80 -h $SRV"
ip netns exec "$NS" build/runsc do -p 127.0.0.1:8080:80 -- \
	busybox httpd -f -p 80 -h "$SRV" &
pid=$!
for _ in $(seq 50); do
	ip netns exec "$NS" curl -s -o /dev/null http://127.0.0.1:8080/ && break
	sleep 0.1
done
echo "+ curl http://127.0.0.1:8080/     (published port, relayed by the sentry)"
ip netns exec "$NS" curl -sS http://127.0.0.1:8080/
echo "+ curl http://10.88.0.2/          (the sandbox's address on the tap)"
ip netns exec "$NS" curl -sS http://10.88.0.2/
echo "+ curl http://[fd00:88::2]/       (IPv6)"
ip netns exec "$NS" curl -sS "http://[fd00:88::2]/"
echo "+ runsc do -- busybox wget (the guest as a client, to a server on the host side)"
ip netns exec "$NS" python3 -m http.server 9000 --bind 0.0.0.0 --directory "$SRV" >/dev/null 2>&1 &
hs=$!
sleep 0.5
ip netns exec "$NS" build/runsc do --tap=rdemo1 --subnet=10.89.0.0/24 --subnet6=fd00:89::/64 -- \
	sh -c 'busybox wget -q -O- http://10.89.0.1:9000/; echo "guest /proc/net/tcp: $(tail -n +2 /proc/net/tcp | wc -l) kernel sockets"'
kill $hs; wait $hs 2>/dev/null || true
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
echo "demo: ok (the sandbox, its tap and namespace are gone again)"
