// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * packet.c - a packet socket on an existing interface as a frame fd
 *
 * The socket is created with protocol 0, so that it queues nothing until
 * bind() names the protocol (ETH_P_ALL) and the interface: no frame of
 * another interface, and none that the filter would have refused, is ever
 * queued. What the kernel does for us (Linux 6.18, checked on veth):
 * - PACKET_VNET_HDR: every frame read starts with a struct virtio_net_hdr
 *   built from the skb (virtio_net_hdr_from_skb(), as for a tap): TCP
 *   super-frames from the host side keep gso_type TCPV4/TCPV6, gso_size
 *   and NEEDS_CSUM with csum_start/csum_offset, UDP_SEGMENT super-frames
 *   come as gso_type UDP_L4 (tap_rx_burst() splits them), and frames the
 *   kernel cannot describe (SCTP or fraglist GSO) fail read() with EINVAL
 *   and are gone. On writev(), a NEEDS_CSUM header makes the frame
 *   CHECKSUM_PARTIAL: the device completes the sum, or the kernel does it
 *   in software before a device without checksum offload.
 * - PACKET_IGNORE_OUTGOING: our own transmissions (and the kernel's) are
 *   not looped back to us.
 * - The socket filter drops frames for other hosts (PACKET_OTHERHOST: a
 *   bridge floods unknown unicast to every port, and lwIP's ethernet_input
 *   does not check the destination MAC of unicast frames) and frames with
 *   a VLAN tag, which the kernel strips into metadata: read() would show
 *   them untagged, as if they were ours.
 * - PACKET_MR_ALLMULTI: the kernel left its IPv6 multicast groups when it
 *   lost its addresses; on a device that filters multicast (macvlan, a
 *   real NIC) NDP would no longer reach lwIP. The membership ends with the
 *   socket. Promiscuous mode stays off.
 * - No PACKET_QDISC_BYPASS: veth and macvlan have no queue anyway, and
 *   the bypass hides our frames from tcpdump (dev_queue_xmit_nit()).
 */
#include "tap.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "base.h"
#include "cleanup.h"
#include "log.h"

/* classic BPF: drop PACKET_OTHERHOST and VLAN-tagged frames, keep all of
 * every other frame */
static struct sock_filter pkt_filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OTHERHOST, 2, 0),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, 0),
    BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
};

/**
 * set_int() - setsockopt() of an int, logged on failure
 * @fd:		Socket
 * @level:	Option level
 * @opt:	Option
 * @val:	Value
 * @what:	Option name for the log
 * @ifname:	Interface, for the log
 *
 * Return: 0 or -errno
 * #syscalls:setup setsockopt
 */
static int set_int(int fd, int level, int opt, int val, const char *what,
		   const char *ifname)
{
	int r;

	if (!setsockopt(fd, level, opt, &val, sizeof(val)))
		return 0;
	r = -errno;
	err_errno(r, "tap: %s on the packet socket of %s", what, ifname);
	return r;
}

/**
 * set_buf() - Size a socket buffer, beyond the sysctl limit if allowed
 * @fd:		Socket
 * @force:	SO_RCVBUFFORCE or SO_SNDBUFFORCE (needs CAP_NET_ADMIN)
 * @plain:	SO_RCVBUF or SO_SNDBUF: the fallback, capped by rmem_max or
 *		wmem_max
 * @bytes:	Wanted size
 * #syscalls:setup setsockopt
 */
static void set_buf(int fd, int force, int plain, int bytes)
{
	if (!setsockopt(fd, SOL_SOCKET, force, &bytes, sizeof(bytes)))
		return;
	if (setsockopt(fd, SOL_SOCKET, plain, &bytes, sizeof(bytes)))
		debug_errno(-errno, "tap: packet socket buffer size");
}

/**
 * tap_packet_open() - Open a packet socket on an interface for frame I/O
 * @ifname:	Interface in the caller's network namespace (up, with no
 *		addresses of the kernel's: see ifscrape_take())
 * @fd:		Frame fd (CLOEXEC, non-blocking, with virtio-net headers:
 *		pass vnet=true to tap_adopt()), owned by the caller
 *
 * Return: 0, -ENODEV if there is no such interface, or -errno
 * #syscalls:setup socket ioctl close setsockopt bind
 */
int tap_packet_open(const char *ifname, int *fd)
{
	struct sock_fprog prog = {.len = ARRAY_SIZE(pkt_filter),
				  .filter = pkt_filter};
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL)};
	struct packet_mreq mr = {.mr_type = PACKET_MR_ALLMULTI};
	_cleanup_close_ int s = -1;
	int r;

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		r = -errno;
		err_errno(r, "tap: no interface %s", ifname);
		return r;
	}
	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0) {
		r = -errno;
		err_errno(r, "tap: packet socket for %s", ifname);
		return r;
	}
	if ((r = set_int(s, SOL_PACKET, PACKET_VNET_HDR, 1, "PACKET_VNET_HDR",
			 ifname)) < 0 ||
	    (r = set_int(s, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1,
			 "PACKET_IGNORE_OUTGOING", ifname)) < 0)
		return r;
	if (setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog))) {
		r = -errno;
		err_errno(r, "tap: socket filter on %s", ifname);
		return r;
	}
	set_buf(s, SO_RCVBUFFORCE, SO_RCVBUF, TAP_PACKET_RCVBUF);
	set_buf(s, SO_SNDBUFFORCE, SO_SNDBUF, TAP_PACKET_SNDBUF);
	mr.mr_ifindex = sll.sll_ifindex;
	if (setsockopt(s, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))
		warn_errno(-errno, "tap: all-multicast on %s", ifname);
	if (bind(s, (struct sockaddr *)&sll, sizeof(sll))) {
		r = -errno;
		err_errno(r, "tap: binding a packet socket to %s", ifname);
		return r;
	}
	*fd = TAKE_FD(s);
	return 0;
}
