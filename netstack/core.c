// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core.c - lwIP start-up and shutdown, timers, counters, platform glue
 *
 * lwIP has process-wide state (pcb lists, timers, the loopback netif), so
 * lwip_init() runs once per process, on the first ns_init(). ns_fini()
 * takes the stack back to that fresh state - every socket and pcb gone,
 * eth0 removed, loopback queues drained - so that ns_init() may be called
 * again with another configuration (the unit tests do this per test).
 * lwIP's cyclic timers and the loopback netif stay.
 *
 * The platform functions lwIP needs with NO_SYS=1 live here too: sys_now(),
 * LWIP_RAND() and the assertion hook (port/arch/cc.h), and the RFC 6528
 * initial sequence number hook.
 */

#include "netstack.h"
#include "internal.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include "base.h"
#include "log.h"

static_assert(TCP_MSS == NS_MTU_MAX - 40, "TCP_MSS must follow NS_MTU_MAX");

struct ns_core ns = {
    .socks = {&ns.socks, &ns.socks},
    .tw_socks = {&ns.tw_socks, &ns.tw_socks},
    .udps = {&ns.udps, &ns.udps},
    .icmps = {&ns.icmps, &ns.icmps},
};

/* PRNG state and the ISN secret, seeded from getrandom() on first use */
static uint64_t rand_state;
static uint64_t isn_key[2];

/**
 * seed() - Seed the PRNG and the ISN key once
 */
static void seed(void)
{
	uint64_t b[3] = {0};
	size_t got = 0;
	ssize_t n;

	if (rand_state)
		return;
	while (got < sizeof(b)) {
		n = getrandom((char *)b + got, sizeof(b) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* no entropy source: still start somewhere distinct */
			b[0] ^= (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)&n;
			break;
		}
		got += (size_t)n;
	}
	rand_state = b[0] | 1;
	isn_key[0] = b[1];
	isn_key[1] = b[2];
}

/**
 * ns_lwip_rand() - LWIP_RAND(): xorshift64* seeded by getrandom()
 *
 * Used by lwIP for initial ephemeral ports and similar; not for secrets.
 *
 * Return: 32 pseudo-random bits
 * #syscalls:sentry getrandom
 */
uint32_t ns_lwip_rand(void)
{
	seed();
	rand_state ^= rand_state >> 12;
	rand_state ^= rand_state << 25;
	rand_state ^= rand_state >> 27;
	return (uint32_t)((rand_state * 0x2545F4914F6CDD1DULL) >> 32);
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1;                                                      \
		v1 = ROTL(v1, 13);                                             \
		v1 ^= v0;                                                      \
		v0 = ROTL(v0, 32);                                             \
		v2 += v3;                                                      \
		v3 = ROTL(v3, 16);                                             \
		v3 ^= v2;                                                      \
		v0 += v3;                                                      \
		v3 = ROTL(v3, 21);                                             \
		v3 ^= v0;                                                      \
		v2 += v1;                                                      \
		v1 = ROTL(v1, 17);                                             \
		v1 ^= v2;                                                      \
		v2 = ROTL(v2, 32);                                             \
	} while (0)

/**
 * siphash() - SipHash-2-4 of whole 64-bit words
 * @m:	Words
 * @n:	Number of words
 *
 * Return: the 64-bit hash under isn_key
 */
static uint64_t siphash(const uint64_t *m, size_t n)
{
	uint64_t v0 = isn_key[0] ^ 0x736f6d6570736575ULL;
	uint64_t v1 = isn_key[1] ^ 0x646f72616e646f6dULL;
	uint64_t v2 = isn_key[0] ^ 0x6c7967656e657261ULL;
	uint64_t v3 = isn_key[1] ^ 0x7465646279746573ULL;
	uint64_t b = (uint64_t)(n * 8) << 56;
	size_t i;

	for (i = 0; i < n; i++) {
		v3 ^= m[i];
		SIPROUND;
		SIPROUND;
		v0 ^= m[i];
	}
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/**
 * ns_tcp_isn() - LWIP_HOOK_TCP_ISN: RFC 6528 initial sequence number
 * @local_ip:	Local address
 * @local_port:	Local port, host order
 * @remote_ip:	Remote address
 * @remote_port: Remote port, host order
 *
 * Return: a keyed hash of the 4-tuple plus a 4 µs clock
 * #syscalls:sentry clock_gettime
 */
u32_t ns_tcp_isn(const ip_addr_t *local_ip, u16_t local_port,
		 const ip_addr_t *remote_ip, u16_t remote_port)
{
	uint64_t m[5] = {0};
	struct timespec ts;

	seed();
	memcpy(&m[0], local_ip, MIN(sizeof(*local_ip), 16));
	memcpy(&m[2], remote_ip, MIN(sizeof(*remote_ip), 16));
	m[4] = (uint64_t)local_port << 16 | remote_port;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u32_t)siphash(m, ARRAY_SIZE(m)) +
	       (u32_t)(((uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000) / 4);
}

/**
 * sys_now() - lwIP's clock: milliseconds, monotonic, wrapping at 2^32
 *
 * Return: current time in ms
 * #syscalls:sentry clock_gettime
 */
u32_t sys_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u32_t)((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/**
 * ns_lwip_assert() - LWIP_PLATFORM_ASSERT: an lwIP invariant failed
 * @msg:	lwIP's message
 * @file:	Source file
 * @line:	Line
 */
void ns_lwip_assert(const char *msg, const char *file, int line)
{
	base_assert_fail(msg, file, line, "lwip");
}

/**
 * ns_init() - Start the stack: loopback, and eth0 if @cfg says so
 * @cfg:	Interface configuration (copied)
 * @out:	Frame output callback, called synchronously from ns_* calls
 * @ctx:	Context for @out
 *
 * Return: 0, -EALREADY if already initialised, -EINVAL for a bad @cfg,
 * -ENOMEM
 */
int ns_init(const struct ns_if_config *cfg, ns_output_fn out, void *ctx)
{
	int ret;

	if (ns.up)
		return -EALREADY;
	if (!cfg || (cfg->present && !out))
		return -EINVAL;
	if (!ns.lwip_up) {
		seed();
		lwip_init();
		ns_netif_lo_setup();
		ns.lwip_up = true;
	}
	memset(&ns.stats, 0, sizeof(ns.stats));
	ns.cfg = *cfg;
	ns.out = out;
	ns.out_ctx = ctx;
	if (cfg->present) {
		ret = ns_netif_up(cfg);
		if (ret < 0)
			return ret;
	}
	ret = ns_udp_init();
	if (ret < 0) {
		ns_netif_down();
		return ret;
	}
	ns.up = true;
	return 0;
}

/**
 * abort_list() - tcp_abort() every pcb on an lwIP pcb list
 * @list:	Address of the list head (tcp_active_pcbs, tcp_tw_pcbs)
 */
static void abort_list(struct tcp_pcb **list)
{
	while (*list) {
		tcp_arg(*list, NULL);
		tcp_err(*list, NULL);
		tcp_abort(*list);
	}
}

/**
 * ns_fini() - Stop the stack and free everything it holds
 *
 * Sockets the caller has not closed are freed too (their pointers become
 * invalid). After this, ns_init() may be called again.
 */
void ns_fini(void)
{
	int i;

	if (!ns.up)
		return;
	ns.out = NULL; /* nothing leaves from here on */
	ns_sock_free_all();
	ns_icmp_fini();
	ns_udp_fini();
	abort_list(&tcp_active_pcbs);
	abort_list(&tcp_tw_pcbs);
	while (tcp_bound_pcbs)
		tcp_close(tcp_bound_pcbs);
	while (tcp_listen_pcbs.pcbs)
		tcp_close(tcp_listen_pcbs.pcbs);
	/* loopback queues: RSTs from the aborts above, bounded passes */
	for (i = 0; i < 16 && ns_loop_pending(); i++)
		netif_poll_all();
	ns_netif_down();
	for (i = 0; i < 16 && ns_loop_pending(); i++)
		netif_poll_all();
	ns.up = false;
}

/**
 * ns_input_frame() - Feed one received Ethernet frame to the stack
 * @frame:	Frame, from the destination MAC on (copied)
 * @len:	Length in bytes
 */
void ns_input_frame(const void *frame, size_t len)
{
	ns.stats.rx_frames++;
	if (!ns.up || !ns.cfg.present) {
		ns.stats.rx_drops++;
		return;
	}
	ns_netif_csum_check(true);
	ns_netif_input(frame, len);
}

/**
 * ns_input_frame_csum_ok() - Feed a frame whose L4 checksum needs no check
 * @frame:	Frame, from the destination MAC on (copied)
 * @len:	Length in bytes
 *
 * For frames the link marked as checksummed-by-the-host or validated
 * (virtio-net NEEDS_CSUM / DATA_VALID).
 */
void ns_input_frame_csum_ok(const void *frame, size_t len)
{
	ns.stats.rx_frames++;
	if (!ns.up || !ns.cfg.present) {
		ns.stats.rx_drops++;
		return;
	}
	ns_netif_csum_check(false);
	ns_netif_input(frame, len);
}

/**
 * ns_poll() - Run lwIP's due timers and deliver looped-back packets
 */
void ns_poll(void)
{
	int i;

	if (!ns.up)
		return;
	ns_tw_sweep();
	sys_check_timeouts();
	/* a few passes: a looped packet may produce an answer on loopback;
	 * our own packets carry no L4 checksum to check */
	ns_netif_csum_check(false);
	ns.looping = true;
	for (i = 0; i < 4 && ns_loop_pending(); i++)
		netif_poll_all();
	ns.looping = false;
	ns_tw_sweep();
}

/**
 * ns_set_loop_tap() - Show every looped-back packet to a capture callback
 * @fn:		Callback, NULL to stop
 * @ctx:	Its context
 */
void ns_set_loop_tap(ns_loop_tap_fn fn, void *ctx)
{
	ns.loop_tap = fn;
	ns.loop_tap_ctx = ctx;
}

/**
 * ns_timeout_ms() - How long the caller may sleep before ns_poll() is due
 *
 * Return: milliseconds, 0 if loopback packets wait, at most 250
 */
int ns_timeout_ms(void)
{
	u32_t t;

	if (!ns.up)
		return 250;
	if (ns_loop_pending())
		return 0;
	t = sys_timeouts_sleeptime();
	return t > 250 ? 250 : (int)t;
}

/**
 * ns_get_stats() - Copy netstack's counters
 * @st:	Filled in
 */
void ns_get_stats(struct ns_stats *st)
{
	*st = ns.stats;
}
