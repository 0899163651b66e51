// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netif.c - the Ethernet netif: frames in from the sentry, frames out
 *
 * eth0 is an lwIP Ethernet netif (ARP, IPv4, IPv6 with ND). Received frames
 * are copied into one PBUF_RAM pbuf and given to ethernet_input(); frames
 * lwIP sends leave through the output callback as an iovec over the pbuf
 * chain, without a copy. Traffic to eth0's own addresses loops back inside
 * lwIP (LWIP_NETIF_LOOPBACK) and is delivered by ns_poll().
 *
 * Before a frame reaches lwIP, a bare SYN is checked against the TIME_WAIT
 * pcbs: lwIP 2.1.3 answers such a SYN with an ACK or RST, which stalls a
 * client that reuses its port until the 2*MSL timer ends (120 s). Like
 * Linux we accept the new connection: the TIME_WAIT pcb is dropped first.
 */

#include "netstack.h"
#include "internal.h"

#include <errno.h>
#include <string.h>

#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/ip.h"
#include "lwip/nd6.h"
#include "netif/ethernet.h"

#include "base.h"

#define ETH_HLEN 14
#define IOV_MAX_FRAME 32

/**
 * frame_get() - Bounds-checked view into a received frame
 * @f:		Frame
 * @len:	Frame length
 * @off:	Offset of the wanted bytes
 * @size:	Number of bytes wanted
 *
 * Return: pointer to @size bytes at @off, or NULL if the frame is too short
 */
static const uint8_t *frame_get(const uint8_t *f, size_t len, size_t off,
				size_t size)
{
	if (off > len || size > len - off)
		return NULL;
	return f + off;
}

/**
 * be16() - Read a big-endian 16-bit value
 * @p:	Two bytes
 *
 * Return: the value in host order
 */
static u16_t be16(const uint8_t *p)
{
	return (u16_t)(p[0] << 8 | p[1]);
}

/**
 * tw_check() - Recycle a TIME_WAIT pcb if @f is a bare SYN for it
 * @f:		Ethernet frame
 * @len:	Its length
 */
static void tw_check(const uint8_t *f, size_t len)
{
	const uint8_t *eth, *l3, *th;
	ip_addr_t src, dst;
	size_t l4;

	if (!tcp_tw_pcbs)
		return;
	eth = frame_get(f, len, 0, ETH_HLEN);
	if (!eth)
		return;
	if (be16(eth + 12) == 0x0800) {
		l3 = frame_get(f, len, ETH_HLEN, 20);
		if (!l3 || (l3[0] >> 4) != 4 || l3[9] != IP_PROTO_TCP ||
		    (be16(l3 + 6) & 0x3fff)) /* fragment */
			return;
		l4 = ETH_HLEN + (size_t)(l3[0] & 0xf) * 4;
		IP_ADDR4(&src, l3[12], l3[13], l3[14], l3[15]);
		IP_ADDR4(&dst, l3[16], l3[17], l3[18], l3[19]);
	} else if (be16(eth + 12) == 0x86dd) {
		l3 = frame_get(f, len, ETH_HLEN, 40);
		if (!l3 || (l3[0] >> 4) != 6 || l3[6] != IP_PROTO_TCP)
			return;
		l4 = ETH_HLEN + 40;
		ip_addr_copy_from_ip6_packed(src,
					     *(const ip6_addr_p_t *)(l3 + 8));
		ip_addr_copy_from_ip6_packed(dst,
					     *(const ip6_addr_p_t *)(l3 + 24));
	} else {
		return;
	}
	th = frame_get(f, len, l4, 20);
	/* SYN without ACK, RST or FIN */
	if (!th ||
	    (th[13] & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) != TCP_SYN)
		return;
	ns_tw_recycle(&src, be16(th), &dst, be16(th + 2));
}

#define L4_CHECK (NETIF_CHECKSUM_CHECK_TCP | NETIF_CHECKSUM_CHECK_UDP)
#define L4_GEN (NETIF_CHECKSUM_GEN_TCP | NETIF_CHECKSUM_GEN_UDP)

static bool csum_offload; /* eth0 leaves TCP/UDP checksums to the link */

/**
 * eth0_csum_flags() - eth0's checksum control word
 * @check:	Verify TCP/UDP checksums of input
 *
 * Return: NETIF_CHECKSUM_* flags
 */
static u16_t eth0_csum_flags(bool check)
{
	u16_t f = NETIF_CHECKSUM_ENABLE_ALL;

	if (!check)
		f &= (u16_t)~L4_CHECK;
	/* TCP only: a UDP datagram may be fragmented here, and fragments
	 * cannot have their checksum completed by the link */
	if (csum_offload)
		f &= (u16_t)~NETIF_CHECKSUM_GEN_TCP;
	return f;
}

/**
 * ns_netif_csum_check() - Verify TCP/UDP checksums of eth0's next input?
 * @on:	true for frames from outside that nobody vouched for
 *
 * Set before each frame (and before looped-back packets, which are our
 * own) since lwIP reads the per-netif flags at input time.
 */
void ns_netif_csum_check(bool on)
{
	if (ns.cfg.present)
		NETIF_SET_CHECKSUM_CTRL(&ns.eth0, eth0_csum_flags(on));
}

/**
 * ns_set_csum_offload() - Leave eth0's TCP/UDP checksums to the link
 * @on:	The output callback completes partial checksums
 */
void ns_set_csum_offload(bool on)
{
	csum_offload = on;
	ns_netif_csum_check(true);
}

/**
 * ns_netif_lo_setup() - lo never leaves the sandbox: no TCP/UDP checksums
 */
void ns_netif_lo_setup(void)
{
	struct netif *n;

	NETIF_FOREACH(n)
	{
		if (n->name[0] == 'l' && n->name[1] == 'o')
			NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_ENABLE_ALL &
						       ~(L4_CHECK | L4_GEN));
	}
}

/**
 * ns_netif_input() - Give a received frame to eth0
 * @frame:	Ethernet frame (copied)
 * @len:	Length in bytes
 */
void ns_netif_input(const void *frame, size_t len)
{
	struct pbuf *p;

	if (len < ETH_HLEN || len > 0xffff) {
		ns.stats.rx_drops++;
		return;
	}
	tw_check(frame, len);
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
	if (!p) {
		ns.stats.rx_drops++;
		return;
	}
	memcpy(p->payload, frame, len);
	if (ns.eth0.input(p, &ns.eth0) != ERR_OK) {
		pbuf_free(p);
		ns.stats.rx_drops++;
	}
}

/**
 * linkoutput() - netif->linkoutput: hand one frame to the output callback
 * @netif:	eth0
 * @p:		Frame as a pbuf chain; lwIP keeps ownership
 *
 * Return: ERR_OK, or ERR_IF when there is no output callback (ns_fini())
 */
static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
	static uint8_t flat[0x10000];
	struct iovec iov[IOV_MAX_FRAME];
	struct pbuf *q;
	int n = 0;

	if (!ns.out)
		return ERR_IF;
	for (q = p; q && n < IOV_MAX_FRAME; q = q->next) {
		if (!q->len)
			continue;
		iov[n].iov_base = q->payload;
		iov[n++].iov_len = q->len;
	}
	if (q) {
		/* unusually long chain: flatten it */
		iov[0].iov_base = flat;
		iov[0].iov_len = pbuf_copy_partial(p, flat, p->tot_len, 0);
		n = 1;
	}
	ns.out(ns.out_ctx, iov, n);
	ns.stats.tx_frames++;
	return ERR_OK;
}

/**
 * eth0_init() - netif init callback for eth0
 * @netif:	The netif being added
 *
 * Return: ERR_OK
 */
static err_t eth0_init(struct netif *netif)
{
	const struct ns_if_config *cfg = netif->state;

	netif->name[0] = 'e';
	netif->name[1] = 't';
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, cfg->mac, ETH_HWADDR_LEN);
	netif->mtu = (u16_t)cfg->mtu;
	netif->mtu6 = (u16_t)cfg->mtu;
	netif->flags =
	    NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = linkoutput;
	return ERR_OK;
}

/**
 * prefix_mask() - IPv4 netmask from a prefix length
 * @prefix:	0..32
 *
 * Return: the mask, network order
 */
static u32_t prefix_mask(unsigned int prefix)
{
	return prefix ? lwip_htonl(0xffffffffu << (32 - prefix)) : 0;
}

/**
 * ns_netif_up() - Add and start eth0 with the addresses in @cfg
 * @cfg:	Interface configuration; must stay valid (it is ns.cfg)
 *
 * Return: 0, or -EINVAL for an MTU or prefix out of range
 */
int ns_netif_up(const struct ns_if_config *cfg)
{
	ip4_addr_t a, m, g;
	ip6_addr_t a6;
	s8_t idx;

	if (cfg->mtu < 576 || cfg->mtu > NS_MTU_MAX || cfg->prefix4 > 32 ||
	    cfg->prefix6 > 128)
		return -EINVAL;
	ip4_addr_set_u32(&a, cfg->addr4.s_addr);
	ip4_addr_set_u32(&m, cfg->addr4.s_addr ? prefix_mask(cfg->prefix4) : 0);
	ip4_addr_set_u32(&g, cfg->gw4.s_addr);
	memset(&ns.eth0, 0, sizeof(ns.eth0));
	if (!netif_add(&ns.eth0, &a, &m, &g, (void *)&ns.cfg, eth0_init,
		       ethernet_input))
		return -EINVAL;
	netif_create_ip6_linklocal_address(&ns.eth0, 1);
	netif_ip6_addr_set_state(&ns.eth0, 0, IP6_ADDR_PREFERRED);
	if (!IN6_IS_ADDR_UNSPECIFIED(&cfg->addr6)) {
		memcpy(&a6.addr, &cfg->addr6, sizeof(a6.addr));
		ip6_addr_clear_zone(&a6);
		if (netif_add_ip6_address(&ns.eth0, &a6, &idx) == ERR_OK)
			netif_ip6_addr_set_state(&ns.eth0, idx,
						 IP6_ADDR_PREFERRED);
	}
	netif_set_default(&ns.eth0);
	ns_netif_csum_check(true);
	netif_set_link_up(&ns.eth0);
	netif_set_up(&ns.eth0);
	return 0;
}

/**
 * ns_netif_down() - Remove eth0, if it was added
 */
void ns_netif_down(void)
{
	if (!ns.cfg.present)
		return;
	netif_set_default(NULL);
	netif_remove(&ns.eth0);
	memset(&ns.eth0, 0, sizeof(ns.eth0));
}

/**
 * ns_nd6_get_gw() - LWIP_HOOK_ND6_GET_GW: next hop for off-link IPv6
 * @netif:	Outgoing netif
 * @dest:	Destination
 *
 * Return: the configured IPv6 gateway on eth0, NULL if none
 */
const ip6_addr_t *ns_nd6_get_gw(struct netif *netif, const ip6_addr_t *dest)
{
	static ip6_addr_t gw;

	if (netif != &ns.eth0 || IN6_IS_ADDR_UNSPECIFIED(&ns.cfg.gw6))
		return NULL;
	memcpy(&gw.addr, &ns.cfg.gw6, sizeof(gw.addr));
	ip6_addr_assign_zone(&gw, IP6_UNICAST, netif);
	return &gw;
}

/**
 * ns_addr_is_local() - Is @ip one of our addresses (bind() may use it)?
 * @ip:	Address, not any
 *
 * Return: true for 127.0.0.0/8, ::1 and every address of eth0
 */
bool ns_addr_is_local(const ip_addr_t *ip)
{
	struct netif *nif;

	if (IP_IS_V4(ip)) {
		if (ip4_addr_isloopback(ip_2_ip4(ip)))
			return true;
		NETIF_FOREACH(nif)
		{
			if (ip4_addr_cmp(ip_2_ip4(ip), netif_ip4_addr(nif)))
				return true;
		}
		return false;
	}
	NETIF_FOREACH(nif)
	{
		if (netif_get_ip6_addr_match(nif, ip_2_ip6(ip)) >= 0)
			return true;
	}
	return false;
}

/**
 * ns_ip4_accept_lo() - LWIP_IP_ACCEPT_UDP_PORT: UDP to any of 127.0.0.0/8
 * @inp:	Interface the packet came in on
 *
 * Called by ip4_input() for a UDP packet that no netif's address matched.
 * lwIP's lo owns 127.0.0.1 only; Linux's owns the whole /8, which bind()
 * already allows (ns_addr_is_local()). Only looped-back packets qualify: a
 * frame from eth0 for 127/8 stays unaccepted, as Linux drops martians.
 *
 * Return: 1 to accept the packet on @inp, else 0
 */
int ns_ip4_accept_lo(const struct netif *inp)
{
	return inp->name[0] == 'l' && inp->name[1] == 'o' &&
	       ip4_addr_isloopback(ip4_current_dest_addr());
}

/**
 * ns_route_check() - Can a connection to @dest leave at all?
 * @dest:	Destination address (IPv4 or IPv6)
 *
 * lwIP would route an off-link destination to eth0 and then fail silently
 * for lack of a gateway, so a SYN would be retried until it times out;
 * Linux fails connect() at once.
 *
 * Return: 0, or -ENETUNREACH
 */
int ns_route_check(const ip_addr_t *dest)
{
	struct netif *nif;

	if (ns_addr_is_local(dest))
		return 0;
	if (IP_IS_V4(dest)) {
		nif = ip4_route(ip_2_ip4(dest));
		if (!nif)
			return -ENETUNREACH;
		if (nif != &ns.eth0 || !ns.cfg.addr4.s_addr)
			return nif == &ns.eth0 ? -ENETUNREACH : 0;
		if (ip4_addr_netcmp(ip_2_ip4(dest), netif_ip4_addr(nif),
				    netif_ip4_netmask(nif)) ||
		    ns.cfg.gw4.s_addr)
			return 0;
		return -ENETUNREACH;
	}
	nif = ip6_route(IP6_ADDR_ANY6, ip_2_ip6(dest));
	if (!nif)
		return -ENETUNREACH;
	if (nif != &ns.eth0 || ip6_addr_islinklocal(ip_2_ip6(dest)) ||
	    !IN6_IS_ADDR_UNSPECIFIED(&ns.cfg.gw6))
		return 0;
	/* lwIP treats static addresses as /64 (nd6_is_prefix_in_netif) */
	if (!IN6_IS_ADDR_UNSPECIFIED(&ns.cfg.addr6) &&
	    !memcmp(ip_2_ip6(dest)->addr, &ns.cfg.addr6, 8))
		return 0;
	return -ENETUNREACH;
}

/**
 * ns_loop_pending() - Are looped-back packets waiting for netif_poll_all()?
 *
 * Return: true if any netif has queued loopback packets
 */
bool ns_loop_pending(void)
{
	struct netif *nif;

	NETIF_FOREACH(nif)
	{
		if (nif->loop_first)
			return true;
	}
	return false;
}

/**
 * ns_ip_input_hook() - LWIP_HOOK_IP4_INPUT / IP6_INPUT: loopback capture
 * @p:		Packet from its IP header on (lwIP keeps it)
 * @inp:	Interface it arrives on
 * @ethertype:	0x0800 or 0x86dd
 *
 * Only packets ns_poll() delivers from a loopback queue are shown: that is
 * lwIP's loopback path, whatever netif the destination address is on.
 *
 * Return: 0 (lwIP goes on with the packet)
 */
int ns_ip_input_hook(struct pbuf *p, struct netif *inp, u16_t ethertype)
{
	static uint8_t eth[ETH_HLEN];
	struct iovec iov[IOV_MAX_FRAME + 1];
	struct pbuf *q;
	int n = 1;

	(void)inp;
	if (!ns.looping || !ns.loop_tap)
		return 0;
	eth[12] = (uint8_t)(ethertype >> 8);
	eth[13] = (uint8_t)ethertype;
	iov[0].iov_base = eth;
	iov[0].iov_len = ETH_HLEN;
	for (q = p; q && n <= IOV_MAX_FRAME; q = q->next) {
		if (!q->len)
			continue;
		iov[n].iov_base = q->payload;
		iov[n++].iov_len = q->len;
	}
	if (!q)
		ns.loop_tap(ns.loop_tap_ctx, iov, n);
	return 0;
}
