#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# images.sh - build the test images with `docker import` (no registry is
# reachable here)
#
#   tests/docker/images.sh [--force]      (root; starts dockerd if needed)
#
# runsc-busybox:latest    the host's static busybox as /bin/busybox, a symlink
#                         in /bin for every applet (sh ls cat echo sleep ip wget
#                         nslookup id hostname ps tty true false httpd ...),
#                         /etc/passwd and /etc/group with root and nobody,
#                         /var/www/index.html holding $E2E_BB_MARKER
# test-apache-app:latest  Debian bookworm minbase + apache2 (mpm_event) from
#                         debootstrap; CMD /usr/local/bin/apache2-foreground
#                         (sources /etc/apache2/envvars, execs apache2 -D
#                         FOREGROUND); keep-alive on (unlimited requests,
#                         30 s), sendfile on, no access log, errors to stderr;
#                         /var/www/html/index.html holds $E2E_APACHE_MARKER,
#                         /var/www/html/big.bin is 100 MiB of random bytes and
#                         /var/www/html/big.sha256 its `sha256sum` line
#
# Each image carries the label runsc.e2e.hash: a hash of the code that builds
# it (and of the host's busybox). An image with the current hash is left
# alone; otherwise the root file system is built (or taken from the cache
# /var/tmp/runsc-images/NAME-HASH.tar) and imported. --force rebuilds both.

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/docker/lib.sh
. "$HERE/lib.sh"

IMG_CACHE=${IMG_CACHE:-/var/tmp/runsc-images}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
FORCE=0
[ "${1:-}" = --force ] && FORCE=1
BUSYBOX=/bin/busybox

build_busybox_rootfs() {	# DIR
	local d=$1 a
	mkdir -p "$d"/bin "$d"/sbin "$d"/usr/bin "$d"/usr/sbin "$d"/etc "$d"/dev \
		"$d"/proc "$d"/sys "$d"/tmp "$d"/root "$d"/run "$d"/var/www || return 1
	chmod 1777 "$d/tmp"
	chmod 700 "$d/root"
	cp "$BUSYBOX" "$d/bin/busybox" || return 1
	for a in $("$BUSYBOX" --list); do
		[ "$a" = busybox ] || ln -s busybox "$d/bin/$a" || return 1
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$d/etc/passwd"
	printf 'root:x:0:\nnobody:x:65534:\n' >"$d/etc/group"
	# docker bind-mounts its own over these
	: >"$d/etc/hosts"
	: >"$d/etc/hostname"
	: >"$d/etc/resolv.conf"
	echo "$E2E_BB_MARKER" >"$d/var/www/index.html"
}

build_apache_rootfs() {	# DIR
	local d=$1 log=$E2E_DIR/debootstrap.log f
	e2e_need debootstrap debootstrap || return 1
	e2e_note "debootstrap bookworm minbase + apache2 into $d (log: $log; ~1 min)"
	timeout -k 10 1200 debootstrap --variant=minbase --include=apache2 \
		bookworm "$d" "$DEBIAN_MIRROR" >"$log" 2>&1 || {
		e2e_err "debootstrap failed; last lines of $log:"
		tail -n 20 "$log" >&2
		return 1
	}
	# what no container needs
	case "$d" in /var/tmp/runsc-img-*) ;; *) return 1 ;; esac
	rm -rf "${d:?}"/var/cache/apt/* "${d:?}"/var/lib/apt/lists/* "${d:?}"/usr/share/doc/* \
		"${d:?}"/usr/share/man/* "${d:?}"/usr/share/info/* "${d:?}"/usr/share/locale/* \
		"${d:?}"/var/log/*.log "${d:?}"/var/log/apt/* "${d:?}"/dev/* "${d:?}"/run/*
	mkdir -m 1777 "$d/run/lock" || return 1	# /var/lock points there

	# mpm_event only
	rm -f "$d"/etc/apache2/mods-enabled/mpm_*
	for f in mpm_event.load mpm_event.conf; do
		ln -s "../mods-available/$f" "$d/etc/apache2/mods-enabled/$f" || return 1
	done
	cat >"$d/etc/apache2/conf-available/runsc-e2e.conf" <<-'EOF'
		ServerName localhost
		KeepAlive On
		MaxKeepAliveRequests 0
		KeepAliveTimeout 30
		EnableSendfile On
		ErrorLog /dev/stderr
	EOF
	ln -s ../conf-available/runsc-e2e.conf "$d/etc/apache2/conf-enabled/runsc-e2e.conf" || return 1
	cat >"$d/etc/apache2/sites-available/000-default.conf" <<-'EOF'
		<VirtualHost *:80>
			DocumentRoot /var/www/html
			ErrorLog /dev/stderr
		</VirtualHost>
	EOF
	cat >"$d/usr/local/bin/apache2-foreground" <<-'EOF'
		#!/bin/sh
		# CMD of test-apache-app: Debian's environment for apache2, then
		# apache2 itself as the container's PID 1
		set -e
		. /etc/apache2/envvars
		mkdir -p "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR" "$APACHE_LOG_DIR"
		rm -f "$APACHE_PID_FILE"
		exec /usr/sbin/apache2 -D FOREGROUND "$@"
	EOF
	chmod 755 "$d/usr/local/bin/apache2-foreground"

	printf '<html><body><p>%s</p></body></html>\n' "$E2E_APACHE_MARKER" >"$d/var/www/html/index.html"
	head -c $((100 * 1024 * 1024)) /dev/urandom >"$d/var/www/html/big.bin" || return 1
	(cd "$d/var/www/html" && sha256sum big.bin >big.sha256) || return 1
	chmod 644 "$d"/var/www/html/*
}

# ensure_image NAME BUILD_FN KEY [CHANGE...]: NAME:latest built by BUILD_FN,
# with the Dockerfile-style CHANGEs; KEY is extra input to the hash
ensure_image() {
	local name=$1 fn=$2 key=$3 hash have tar root c t0=$SECONDS
	shift 3
	local args=()
	hash=$( {
		declare -f "$fn"
		echo "$key"
		printf '%s\n' "$@"
	} | sha256sum | cut -c1-16)
	have=$(dk image inspect -f '{{index .Config.Labels "runsc.e2e.hash"}}' "$name:latest" 2>/dev/null)
	if [ "$FORCE" = 0 ] && [ "$have" = "$hash" ]; then
		e2e_note "image $name:latest up to date ($hash)"
		return 0
	fi
	mkdir -p "$IMG_CACHE"
	tar=$IMG_CACHE/$name-$hash.tar
	if [ "$FORCE" = 1 ] || ! [ -s "$tar" ]; then
		root=$(mktemp -d "/var/tmp/runsc-img-$name.XXXXXX") || return 1
		chmod 755 "$root"
		if ! "$fn" "$root"; then
			rm -rf "$root"
			e2e_err "building the root file system of $name failed"
			return 1
		fi
		rm -f "$IMG_CACHE/$name"-*.tar
		if ! tar --numeric-owner -C "$root" -cf "$tar.part" . || ! mv "$tar.part" "$tar"; then
			rm -rf "$root" "$tar.part"
			return 1
		fi
		rm -rf "$root"
	fi
	args=(--change "LABEL runsc.e2e.hash=$hash")
	for c in "$@"; do
		args+=(--change "$c")
	done
	DK_TIMEOUT=600 dk import "${args[@]}" "$tar" "$name:latest" >/dev/null || {
		e2e_err "docker import of $tar failed"
		return 1
	}
	e2e_note "image $name:latest imported ($hash, $(du -m "$tar" | cut -f1) MiB, $((SECONDS - t0)) s)"
}

main() {
	local bbsum
	[ "$(id -u)" = 0 ] || { e2e_err "images.sh: needs root"; return 1; }
	if ! [ -x "$BUSYBOX" ] || ldd "$BUSYBOX" >/dev/null 2>&1; then
		# missing, or a dynamically linked one: the static build works in
		# any root file system
		_e2e_apt_install busybox-static || return 1
	fi
	docker_up || return 1
	trap docker_down EXIT
	bbsum=$(sha256sum "$BUSYBOX" | cut -d' ' -f1)
	ensure_image "$E2E_BB_IMAGE" build_busybox_rootfs "$bbsum $E2E_BB_MARKER" \
		'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		'CMD ["/bin/sh"]' || return 1
	ensure_image "$E2E_APACHE_IMAGE" build_apache_rootfs "$E2E_APACHE_MARKER" \
		'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		'EXPOSE 80' \
		'CMD ["/usr/local/bin/apache2-foreground"]' || return 1
}

main "$@"
