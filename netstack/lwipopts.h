/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lwipopts.h - lwIP 2.1.3 options for the sandbox's stack
 *
 * One thread, no OS layer (NO_SYS=1), raw API only, dual-stack IPv4+IPv6
 * over one Ethernet netif plus lwIP's loopback netif. Memory comes from the
 * C heap (MEM_LIBC_MALLOC, MEMP_MEM_MALLOC) so the number of connections is
 * not capped by static pools.
 *
 * TCP sizing: the link MTU may be up to NS_MTU_MAX (16384, netstack.h), so
 * TCP_MSS is 16384 - 40. The effective MSS of each connection follows the
 * MTU of the netif it uses (TCP_CALCULATE_EFF_SEND_MSS). init.c requires
 * TCP_SNDLOWAT < 0xffff - 4 * TCP_MSS (= 159): TCP_SNDLOWAT only matters to
 * the netconn API, which we do not build, so it is set low. Windows are
 * 1 MiB with window scaling (shift 7, as Linux); TCP_SND_QUEUELEN allows a
 * full send buffer of small (1460-byte MSS) segments.
 */
#pragma once

/* --- system ---------------------------------------------------------- */
#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_TIMERS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_NETIF_API 0
#define LWIP_ALTCP 0
#define LWIP_SINGLE_NETIF 0
#define LWIP_STATS 0
#define LWIP_STATS_DISPLAY 0

/* --- memory: the C heap, no fixed pools -------------------------------- */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT 8
#define MEMP_NUM_TCP_PCB 4096
/* TIME_WAIT lasts 2 * TCP_MSL: 60 s, as Linux's TCP_TIMEWAIT_LEN */
#define TCP_MSL 30000UL
#define MEMP_NUM_TCP_PCB_LISTEN 1024
#define MEMP_NUM_TCP_SEG 8192
#define MEMP_NUM_UDP_PCB 1024
#define MEMP_NUM_ARP_QUEUE 256
#define MEMP_NUM_ND6_QUEUE 256
#define MEMP_NUM_REASSDATA 16
/* fragments held for reassembly (all datagrams): one 64 KiB UDP datagram
 * at MTU 1500 is 45 of them */
#define IP_REASS_MAX_PBUFS 128
#define PBUF_POOL_SIZE 0

/* --- link layer ------------------------------------------------------- */
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define ARP_QUEUEING 1
#define ETHARP_TABLE_SIZE 64
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_HAVE_LOOPIF 1
#define LWIP_LOOPBACK_MAX_PBUFS 0
#define LWIP_NETIF_TX_SINGLE_PBUF 0
#define LWIP_NETIF_HOSTNAME 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0

/* --- IPv4 ------------------------------------------------------------- */
#define LWIP_IPV4 1
#define IP_FORWARD 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define IP_DEFAULT_TTL 64
#define LWIP_ICMP 1
/* raw ICMP/ICMPv6 pcbs: errors for UDP sockets (netstack/udp.c), ping and
 * raw ICMP sockets (netstack/icmp.c) */
#define LWIP_RAW 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 0

/* --- IPv6 ------------------------------------------------------------- */
#define LWIP_IPV6 1
#define LWIP_IPV6_FORWARD 0
#define LWIP_IPV6_NUM_ADDRESSES 3
#define LWIP_IPV6_AUTOCONFIG 0
#define LWIP_IPV6_DHCP6 0
#define LWIP_IPV6_SEND_ROUTER_SOLICIT 0
/* addresses are static and usable at once (no DAD delay) */
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS 0
/* no MLD reports: solicited-node multicast is still accepted for ND */
#define LWIP_IPV6_MLD 0
#define LWIP_IPV6_FRAG 1
#define LWIP_IPV6_REASS 1
#define IPV6_FRAG_COPYHEADER 1 /* required on 64-bit hosts */
#define LWIP_ICMP6 1
#define LWIP_ND6_NUM_NEIGHBORS 64
#define LWIP_ND6_NUM_DESTINATIONS 64 /* lwIP indexes these with s8_t: < 128 */
#define LWIP_ND6_QUEUEING 1
/* the configured IPv6 gateway (ns_if_config.gw6) as the off-link next hop */
#define LWIP_HOOK_ND6_GET_GW(netif, dest) ns_nd6_get_gw((netif), (dest))

/* --- UDP, TCP --------------------------------------------------------- */
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_CALLBACK_API 1
#define LWIP_EVENT_API 0
#define TCP_TTL 64
#define TCP_MSS (16384 - 40)
#define TCP_CALCULATE_EFF_SEND_MSS 1
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 7
#define TCP_WND (1024 * 1024)
#define TCP_SND_BUF (1024 * 1024)
#define TCP_SND_QUEUELEN 4096
#define TCP_SNDQUEUELOWAT 2048
#define TCP_SNDLOWAT 128
#define TCP_QUEUE_OOSEQ 1
#define LWIP_TCP_SACK_OUT 0
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 0xff
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_TCP_TIMESTAMPS 0
#define TCP_MAXRTX 12
#define TCP_SYNMAXRTX 6
#define SO_REUSE 1
#define SO_REUSE_RXTOALL 0
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1
/* RFC 6528 initial sequence numbers (keyed hash of the 4-tuple + clock) */
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport)                              \
	ns_tcp_isn((lip), (lport), (rip), (rport))

/* --- checksums: generated and checked in software ----------------------- */
/* per-netif control: lo and offloading links skip TCP/UDP checksums */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_ICMP 1
#define CHECKSUM_GEN_ICMP6 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_ICMP 1
#define CHECKSUM_CHECK_ICMP6 1

/* --- hooks (netstack/port/ns_hooks.h) ---------------------------------- */
#define LWIP_HOOK_FILENAME "ns_hooks.h"
/* loopback capture (ns_set_loop_tap): sees packets, never takes them */
#define LWIP_HOOK_IP4_INPUT(p, inp) ns_ip_input_hook((p), (inp), 0x0800)
#define LWIP_HOOK_IP6_INPUT(p, inp) ns_ip_input_hook((p), (inp), 0x86dd)
/* lo owns all of 127.0.0.0/8 for UDP, as Linux's does (Docker's embedded
 * DNS is 127.0.0.11): lwIP's own lo accepts only 127.0.0.1. Expanded in
 * ip4_input(), whose input netif is "inp"; the port is not read. */
#define LWIP_IP_ACCEPT_UDP_PORT(port) ns_ip4_accept_lo(inp)

/* --- debugging: off ------------------------------------------------------ */
#define LWIP_DEBUG 0
