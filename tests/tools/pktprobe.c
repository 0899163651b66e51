// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pktprobe.c - drive the packet-socket link end to end, for
 * tests/integration/t_packet.sh
 *
 * Usage: pktprobe [-i IFNAME] [-t SECONDS] [-d PORT] [-s PORT] [-u PORT]
 *
 * Run as root in a network namespace holding an addressed Ethernet
 * interface (the test's stand-in for a Docker container's). It does what
 * the sentry's boot code does under Docker: ifscrape_take() (the
 * interface's addresses move from the kernel to us), tap_packet_open() +
 * tap_adopt(), ns_init() with the scraped configuration, then a poll loop
 * feeding frames to netstack for SECONDS (default 10) or until SIGTERM.
 * lwIP answers ARP, NDP, ping and RSTs; optional TCP services on the
 * scraped addresses:
 *   -d PORT	discard: read and count everything (bulk peer -> us)
 *   -s PORT	source: send zeros until the peer closes (bulk us -> peer)
 *   -u PORT	UDP sink: count datagrams and their sizes
 * Prints "cfg ..." (the scraped configuration), then "ready", and at the
 * end one "stats ..." line of counters (frames, super-frames above the
 * MTU, drops: ours and the packet socket's, bytes),
 * all on stdout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "netstack/netstack.h"
#include "sentry/ifscrape.h"
#include "tap/tap.h"

#define CONNS_MAX 16

/**
 * struct probe - the probe's state
 * @t:		Packet link
 * @cfg:	Scraped configuration
 * @lsn:	Listening sockets: discard, source (NULL if not asked)
 * @conn:	Accepted connections
 * @source:	@conn[i] came from the source listener
 * @udp:	UDP sink, or NULL
 * @big:	Frames received above MTU + Ethernet header (super-frames)
 * @max_len:	Longest frame received
 * @tcp_in:	TCP bytes discarded
 * @tcp_out:	TCP bytes sent by the source
 * @udp_n:	Datagrams received by the sink
 * @udp_max:	Longest of them
 * @udp_bytes:	Their payload bytes
 */
struct probe {
	struct tap t;
	struct ns_if_config cfg;
	struct ns_sock *lsn[2];
	struct ns_sock *conn[CONNS_MAX];
	bool source[CONNS_MAX];
	struct ns_udp *udp;
	unsigned long big, max_len;
	unsigned long long tcp_in, tcp_out;
	unsigned long udp_n, udp_max;
	unsigned long long udp_bytes;
};

static volatile sig_atomic_t stop;
static uint8_t zeros[65536];

/**
 * on_signal() - Ask the loop to end
 * @sig:	Unused
 */
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/**
 * link_out() - netstack output: one frame to the packet socket
 * @ctx:	struct tap
 * @iov:	Frame
 * @iovcnt:	Pieces
 */
static void link_out(void *ctx, const struct iovec *iov, int iovcnt)
{
	tap_tx(ctx, iov, iovcnt);
}

/**
 * listen_on() - A TCP listener on the IPv4 and IPv6 wildcard
 * @out:	Listener
 * @port:	Port
 *
 * Return: 0 or -errno
 */
static int listen_on(struct ns_sock **out, int port)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6,
				  .sin6_port = htons((uint16_t)port)};
	int r;

	r = ns_sock_new(out, AF_INET6, SOCK_STREAM);
	if (!r)
		r = ns_sock_bind(*out, (struct sockaddr *)&sa, sizeof(sa));
	if (!r)
		r = ns_sock_listen(*out, 8);
	return r;
}

/**
 * serve_tcp() - Accept, discard, source; close what ended
 * @p:	Probe
 */
static void serve_tcp(struct probe *p)
{
	struct ns_sock *c;
	struct iovec iov[16], z = {zeros, sizeof(zeros)};
	ssize_t n;
	int i, k, cnt;

	for (k = 0; k < 2; k++) {
		for (i = 0; p->lsn[k] && i < CONNS_MAX; i++) {
			if (p->conn[i])
				continue;
			if (ns_sock_accept(p->lsn[k], &c))
				break;
			p->conn[i] = c;
			p->source[i] = k == 1;
		}
	}
	for (i = 0; i < CONNS_MAX; i++) {
		if (!(c = p->conn[i]))
			continue;
		while ((cnt = ns_sock_peek(c, iov, 16)) > 0) {
			for (k = 0, n = 0; k < cnt; k++)
				n += (ssize_t)iov[k].iov_len;
			ns_sock_consume(c, (size_t)n);
			p->tcp_in += (unsigned long long)n;
		}
		while (p->source[i] && ns_sock_state(c) == NS_ST_CONNECTED &&
		       !ns_sock_eof(c) && (n = ns_sock_send(c, &z, 1)) > 0)
			p->tcp_out += (unsigned long long)n;
		if (ns_sock_eof(c) || ns_sock_state(c) == NS_ST_CLOSED)
			ns_sock_close(&p->conn[i]);
	}
}

/**
 * serve_udp() - Count the datagrams the sink got
 * @p:	Probe
 */
static void serve_udp(struct probe *p)
{
	struct ns_dgram d;
	struct iovec iov[4];

	while (p->udp && ns_udp_peek(p->udp, iov, 4, &d) > 0) {
		p->udp_n++;
		p->udp_bytes += d.len;
		if (d.len > p->udp_max)
			p->udp_max = d.len;
		ns_udp_drop(p->udp);
	}
}

/**
 * on_link() - Feed one burst of frames to netstack
 * @p:	Probe
 */
static void on_link(struct probe *p)
{
	int n, i;

	n = tap_rx_burst(&p->t);
	for (i = 0; i < n; i++) {
		if (p->t.len[i] > p->t.mtu + 14)
			p->big++;
		if (p->t.len[i] > p->max_len)
			p->max_len = p->t.len[i];
		if (p->t.csum_ok[i])
			ns_input_frame_csum_ok(tap_frame(&p->t, i),
					       p->t.len[i]);
		else
			ns_input_frame(tap_frame(&p->t, i), p->t.len[i]);
	}
}

/**
 * now_ms() - Monotonic clock
 *
 * Return: milliseconds
 */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/**
 * print_cfg() - The scraped configuration, one line
 * @ifname:	Interface
 * @c:		Configuration
 */
static void print_cfg(const char *ifname, const struct ns_if_config *c)
{
	char a4[INET_ADDRSTRLEN], g4[INET_ADDRSTRLEN];
	char a6[INET6_ADDRSTRLEN], g6[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET, &c->addr4, a4, sizeof(a4));
	inet_ntop(AF_INET, &c->gw4, g4, sizeof(g4));
	inet_ntop(AF_INET6, &c->addr6, a6, sizeof(a6));
	inet_ntop(AF_INET6, &c->gw6, g6, sizeof(g6));
	printf("cfg if=%s mac=%02x:%02x:%02x:%02x:%02x:%02x mtu=%u "
	       "addr4=%s/%u gw4=%s addr6=%s/%u gw6=%s\n",
	       ifname, c->mac[0], c->mac[1], c->mac[2], c->mac[3], c->mac[4],
	       c->mac[5], c->mtu, a4, c->prefix4, g4, a6, c->prefix6, g6);
}

/**
 * setup() - Scrape, open the link, start netstack and the services
 * @p:		Probe
 * @ifname:	Interface or NULL
 * @dport:	Discard port or 0
 * @sport:	Source port or 0
 * @uport:	UDP sink port or 0
 *
 * Return: 0 or -errno
 */
static int setup(struct probe *p, const char *ifname, int dport, int sport,
		 int uport)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6,
				  .sin6_port = htons((uint16_t)uport)};
	char name[IFNAMSIZ];
	int fd, r;

	r = ifscrape_take(ifname, &p->cfg, name, sizeof(name));
	if (r < 0) {
		fprintf(stderr, "pktprobe: ifscrape_take: %s\n", strerror(-r));
		return r;
	}
	print_cfg(name, &p->cfg);
	r = tap_packet_open(name, &fd);
	if (r < 0)
		return r;
	r = tap_adopt(&p->t, fd, p->cfg.mtu, true);
	if (r < 0) {
		close(fd);
		return r;
	}
	r = ns_init(&p->cfg, link_out, &p->t);
	if (r < 0)
		return r;
	ns_set_csum_offload(true);
	if (dport && (r = listen_on(&p->lsn[0], dport)) < 0)
		return r;
	if (sport && (r = listen_on(&p->lsn[1], sport)) < 0)
		return r;
	if (uport) {
		r = ns_udp_new(&p->udp, AF_INET6);
		if (!r)
			r = ns_udp_bind(p->udp, (struct sockaddr *)&sa,
					sizeof(sa));
		if (r < 0)
			return r;
	}
	printf("ready\n");
	fflush(stdout);
	return 0;
}

/**
 * main() - Parse options, set up, loop, print counters
 * @argc:	Argument count
 * @argv:	Arguments
 *
 * Return: 0, or 1 on a setup failure
 */
int main(int argc, char **argv)
{
	static struct probe p = {.t = {.fd = -1}};
	struct sigaction sa = {.sa_handler = on_signal};
	int secs = 10, dport = 0, sport = 0, uport = 0, c, i, to;
	const char *ifname = NULL;
	struct tpacket_stats ps = {.tp_drops = 0};
	socklen_t pslen = sizeof(ps);
	struct ns_stats st;
	long long end;
	struct pollfd pfd;

	while ((c = getopt(argc, argv, "i:t:d:s:u:")) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 't':
			secs = atoi(optarg);
			break;
		case 'd':
			dport = atoi(optarg);
			break;
		case 's':
			sport = atoi(optarg);
			break;
		case 'u':
			uport = atoi(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: pktprobe [-i IFNAME] [-t SECONDS]"
				" [-d PORT] [-s PORT] [-u PORT]\n");
			return 2;
		}
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (setup(&p, ifname, dport, sport, uport) < 0)
		return 1;
	end = now_ms() + (long long)secs * 1000;
	while (!stop && now_ms() < end) {
		to = ns_timeout_ms();
		pfd = (struct pollfd){.fd = p.t.fd, .events = POLLIN};
		if (poll(&pfd, 1, to < 0 || to > 100 ? 100 : to) > 0)
			on_link(&p);
		ns_poll();
		serve_tcp(&p);
		serve_udp(&p);
		tap_tx_flush(&p.t); /* before poll() sleeps */
	}
	for (i = 0; i < CONNS_MAX; i++)
		if (p.conn[i])
			ns_sock_abort(&p.conn[i]);
	for (i = 0; i < 2; i++)
		if (p.lsn[i])
			ns_sock_close(&p.lsn[i]);
	if (p.udp)
		ns_udp_close(&p.udp);
	tap_tx_flush(&p.t); /* the RSTs of the aborts */
	ns_get_stats(&st);
	if (getsockopt(p.t.fd, SOL_PACKET, PACKET_STATISTICS, &ps, &pslen))
		ps.tp_drops = 0;
	printf("stats rx=%llu tx=%llu tx_tso=%llu drops=%llu big=%lu "
	       "max_len=%lu ns_rx_drops=%llu kernel_drops=%u tcp_in=%llu "
	       "tcp_out=%llu udp_n=%lu udp_max=%lu udp_bytes=%llu\n",
	       (unsigned long long)p.t.rx, (unsigned long long)p.t.tx,
	       (unsigned long long)p.t.tx_tso, (unsigned long long)p.t.drops,
	       p.big, p.max_len, (unsigned long long)st.rx_drops, ps.tp_drops,
	       p.tcp_in, p.tcp_out, p.udp_n, p.udp_max, p.udp_bytes);
	ns_fini();
	tap_close(&p.t);
	return 0;
}
