#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fetch-lwip.sh - fetch lwIP from Debian's source package into DEST
#
# Usage: netstack/fetch-lwip.sh DEST
#
# Downloads the pinned source package lwip=$LWIP_DEB_VERSION with a private
# apt configuration under DEST/apt (the system's apt configuration and
# lists are left untouched), verifies it against Debian's archive keyring
# (apt and dpkg-source check the signatures and hashes) and unpacks it with
# Debian's patches applied into DEST/src. Idempotent: does nothing if
# DEST/.fetched exists. Needs apt-get and dpkg-source (package dpkg-dev).

set -eu

LWIP_DEB_VERSION=${LWIP_DEB_VERSION:-2.1.3+dfsg1-2}
SUITE=${LWIP_DEB_SUITE:-bookworm}
MIRROR=${LWIP_DEB_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
	echo "fetch-lwip: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: $0 DEST"
mkdir -p "$1" || die "cannot create $1"
D=$(cd "$1" && pwd)

[ -e "$D/.fetched" ] && exit 0

command -v apt-get >/dev/null || die "apt-get not found (Debian-based host needed)"
command -v dpkg-source >/dev/null ||
	die "dpkg-source not found: apt-get install dpkg-dev (or make deps)"
[ -r "$KEYRING" ] ||
	die "$KEYRING missing: apt-get install debian-archive-keyring"

mkdir -p "$D/apt/lists/partial" "$D/apt/cache/archives/partial" \
	"$D/apt/sources.list.d" "$D/dl"
echo "deb-src [signed-by=$KEYRING] $MIRROR $SUITE main" >"$D/apt/sources.list"

APTO="-o Dir::Etc::SourceList=$D/apt/sources.list"
APTO="$APTO -o Dir::Etc::SourceParts=$D/apt/sources.list.d"
APTO="$APTO -o Dir::State::Lists=$D/apt/lists -o Dir::Cache=$D/apt/cache"

DSC="lwip_${LWIP_DEB_VERSION#*:}.dsc"
if [ ! -e "$D/dl/$DSC" ]; then
	# shellcheck disable=SC2086
	apt-get $APTO update -qq ||
		die "apt-get update failed for $MIRROR $SUITE (network?)"
	# shellcheck disable=SC2086
	(cd "$D/dl" && apt-get $APTO -qq source --download-only \
		"lwip=$LWIP_DEB_VERSION") ||
		die "cannot download source package lwip=$LWIP_DEB_VERSION"
fi

rm -rf "$D/src"
(cd "$D/dl" && dpkg-source -q -x "$DSC" "$D/src") ||
	die "dpkg-source -x $DSC failed"
[ -f "$D/src/src/core/tcp.c" ] || die "unexpected layout in $D/src"
touch "$D/.fetched"
echo "fetch-lwip: lwIP $LWIP_DEB_VERSION in $D/src"
