// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dnsfwd.c - relay the guest's queries to Docker's embedded DNS
 *
 * See dnsfwd.h for the theory of operation.
 */
#include "dnsfwd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "cleanup.h"
#include "log.h"
#include "loop.h"
#include "netstack/netstack.h"
#include "spec.h"

#define RESOLV_MAX 65536 /* bytes of resolv.conf read */
#define ID_TRIES 16	 /* fresh ids tried before a query is dropped */
#define REPLY_BUDGET 64	 /* answers read per pool socket and wake-up */
#define QUERY_IOV 16	 /* iovecs over one queued query */
#define DNS_QR 0x80	 /* byte 2 of the header: this is a response */

/**
 * struct dnsfwd_counts - what happened, for the rate-limited log line
 * @queries:	Queries forwarded
 * @answers:	Answers delivered to the guest
 * @bad:	Malformed queries or answers dropped
 * @full:	Queries dropped: no free entry or id
 * @unmatched:	Answers matching no live entry
 * @errors:	Send or receive errors on either side
 */
struct dnsfwd_counts {
	uint64_t queries;
	uint64_t answers;
	uint64_t bad;
	uint64_t full;
	uint64_t unmatched;
	uint64_t errors;
};

/**
 * struct dnsfwd - the forwarder's state
 * @on:		dnsfwd_start() succeeded
 * @readable:	netstack queued a query since the last dnsfwd_poll()
 * @udp:	lwIP socket bound to 127.0.0.11:53, owned
 * @fd:		Pool of kernel UDP sockets connected to 127.0.0.11:53,
 *		owned; -1 when closed
 * @next:	Pool slot the next query leaves on
 * @rng:	xorshift64 state for transaction ids
 * @table:	Queries in flight
 * @n:		Counters
 * @logged:	@n when it was last logged
 */
struct dnsfwd {
	bool on;
	bool readable;
	struct ns_udp *udp;
	int fd[DNSFWD_POOL];
	unsigned int next;
	uint64_t rng;
	struct dnsfwd_table table;
	struct dnsfwd_counts n;
	struct dnsfwd_counts logged;
};

static struct dnsfwd fwd = {.fd = {[0 ... DNSFWD_POOL - 1] = -1}};
static uint8_t msg[DNSFWD_REPLY_MAX + 1];

/* ---- pure parts: table, header, resolv.conf ------------------------- */

/**
 * dnsfwd_table_init() - Empty a table
 * @t:	Table
 */
void dnsfwd_table_init(struct dnsfwd_table *t)
{
	memset(t, 0, sizeof(*t));
}

/**
 * live() - Is an entry in use and not expired?
 * @e:		Entry
 * @now:	Current time, ms
 *
 * Return: true if live
 */
static bool live(const struct dnsfwd_entry *e, uint64_t now)
{
	return e->used && now < e->deadline;
}

/**
 * dnsfwd_table_add() - Remember a query in flight
 * @t:		Table
 * @e:		Entry (slot, id, guest id and address); copied, with its
 *		deadline set to @now + DNSFWD_TIMEOUT_MS
 * @now:	Current time, ms; expired entries count as free
 *
 * Return: the entry's index, -EEXIST if (@e->slot, @e->id) is live,
 * -ENOSPC if every entry is live
 */
int dnsfwd_table_add(struct dnsfwd_table *t, const struct dnsfwd_entry *e,
		     uint64_t now)
{
	int i, free_i = -1;

	for (i = 0; i < DNSFWD_PENDING; i++) {
		struct dnsfwd_entry *x = &t->e[i];

		if (!live(x, now)) {
			x->used = false;
			if (free_i < 0)
				free_i = i;
		} else if (x->slot == e->slot && x->id == e->id) {
			return -EEXIST;
		}
	}
	if (free_i < 0)
		return -ENOSPC;
	t->e[free_i] = *e;
	t->e[free_i].deadline = now + DNSFWD_TIMEOUT_MS;
	t->e[free_i].used = true;
	return free_i;
}

/**
 * dnsfwd_table_take() - Find and forget the query an answer is for
 * @t:		Table
 * @slot:	Pool socket the answer came on
 * @id:		Its transaction id
 * @now:	Current time, ms: an expired entry matches nothing
 * @out:	The entry, on success
 *
 * Return: 0, or -ENOENT when no live entry matches
 */
int dnsfwd_table_take(struct dnsfwd_table *t, unsigned int slot, uint16_t id,
		      uint64_t now, struct dnsfwd_entry *out)
{
	int i;

	for (i = 0; i < DNSFWD_PENDING; i++) {
		struct dnsfwd_entry *x = &t->e[i];

		if (!x->used || x->slot != slot || x->id != id)
			continue;
		x->used = false;
		if (now >= x->deadline)
			return -ENOENT;
		*out = *x;
		return 0;
	}
	return -ENOENT;
}

/**
 * dnsfwd_table_expire() - Forget the queries whose deadline passed
 * @t:		Table
 * @now:	Current time, ms
 *
 * Return: entries freed
 */
unsigned int dnsfwd_table_expire(struct dnsfwd_table *t, uint64_t now)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < DNSFWD_PENDING; i++) {
		if (t->e[i].used && !live(&t->e[i], now)) {
			t->e[i].used = false;
			n++;
		}
	}
	return n;
}

/**
 * dnsfwd_check() - Is this a DNS message we relay?
 * @msg:	Message from the guest (query) or from dockerd (answer)
 * @len:	Its length
 * @reply:	true for an answer (QR set), false for a query (QR clear)
 *
 * Only the header is looked at: the rest is dockerd's to judge.
 *
 * Return: 0, -EBADMSG (shorter than a header, or the wrong QR bit),
 * -EMSGSIZE (a query over DNSFWD_QUERY_MAX, an answer over
 * DNSFWD_REPLY_MAX bytes)
 */
int dnsfwd_check(const uint8_t *msg, size_t len, bool reply)
{
	if (len < DNSFWD_HDR_LEN)
		return -EBADMSG;
	if (len > (reply ? DNSFWD_REPLY_MAX : DNSFWD_QUERY_MAX))
		return -EMSGSIZE;
	if (!!(msg[2] & DNS_QR) != reply)
		return -EBADMSG;
	return 0;
}

/**
 * dnsfwd_get_id() - Transaction id of a message
 * @msg:	At least DNSFWD_HDR_LEN bytes
 *
 * Return: the id, host order
 */
uint16_t dnsfwd_get_id(const uint8_t *msg)
{
	return (uint16_t)(msg[0] << 8 | msg[1]);
}

/**
 * dnsfwd_set_id() - Rewrite the transaction id of a message
 * @msg:	At least DNSFWD_HDR_LEN bytes
 * @id:		New id, host order
 */
void dnsfwd_set_id(uint8_t *msg, uint16_t id)
{
	msg[0] = (uint8_t)(id >> 8);
	msg[1] = (uint8_t)id;
}

/**
 * nameserver_is() - Does one resolv.conf line name @addr as a nameserver?
 * @p:		Line start
 * @end:	Line end (exclusive)
 * @addr:	Address as text
 *
 * Return: true for "nameserver ADDR" with blanks around and nothing else
 * but blanks or a comment after
 */
static bool nameserver_is(const char *p, const char *end, const char *addr)
{
	static const char kw[] = "nameserver";
	size_t n = strlen(addr);

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) <= sizeof(kw) - 1 ||
	    memcmp(p, kw, sizeof(kw) - 1))
		return false;
	p += sizeof(kw) - 1;
	if (*p != ' ' && *p != '\t')
		return false;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < n || memcmp(p, addr, n))
		return false;
	p += n;
	return p == end || *p == ' ' || *p == '\t' || *p == '\r' || *p == '#' ||
	       *p == ';';
}

/**
 * dnsfwd_resolv_embedded() - Does resolv.conf text name 127.0.0.11?
 * @text:	File contents, not necessarily NUL-terminated
 * @len:	Their length
 *
 * Return: true if a nameserver line names DNSFWD_ADDR
 */
bool dnsfwd_resolv_embedded(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nameserver_is(p, nl, DNSFWD_ADDR))
			return true;
		p = nl + 1;
	}
	return false;
}

/**
 * read_small() - Read the start of a file
 * @path:	File
 * @buf:	Buffer
 * @cap:	Its size
 *
 * Return: bytes read, or -errno
 * #syscalls:setup openat read close
 */
static ssize_t read_small(const char *path, char *buf, size_t cap)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t got = 0;

	if (fd < 0)
		return -errno;
	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/**
 * dnsfwd_wanted() - Does the container's resolv.conf name 127.0.0.11?
 * @spec:	Spec: the source of the last mount on /etc/resolv.conf is
 *		the host's copy of the file (Docker writes one per container)
 *
 * Return: true if it does; false if it does not, if there is no such mount
 * or if the file cannot be read
 */
bool dnsfwd_wanted(const struct spec *spec)
{
	static char buf[RESOLV_MAX];
	const char *src = NULL;
	ssize_t n;
	size_t i;

	for (i = 0; i < spec->n_mounts; i++)
		if (!strcmp(spec->mounts[i].destination, "/etc/resolv.conf"))
			src = spec->mounts[i].source;
	if (!src)
		return false;
	n = read_small(src, buf, sizeof(buf));
	if (n < 0) {
		debug_errno((int)n, "dns: reading %s", src);
		return false;
	}
	return dnsfwd_resolv_embedded(buf, (size_t)n);
}

/* ---- the relay ------------------------------------------------------ */

/**
 * now_ms() - Monotonic time in milliseconds
 *
 * Return: milliseconds
 */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * next_id() - A transaction id nobody can predict from the guest's
 *
 * Return: 16 bits of xorshift64* output
 */
static uint16_t next_id(void)
{
	fwd.rng ^= fwd.rng >> 12;
	fwd.rng ^= fwd.rng << 25;
	fwd.rng ^= fwd.rng >> 27;
	return (uint16_t)((fwd.rng * 0x2545f4914f6cdd1dULL) >> 48);
}

/**
 * server_addr() - 127.0.0.11:53
 * @sa:	Filled in
 */
static void server_addr(struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(DNSFWD_PORT);
	inet_pton(AF_INET, DNSFWD_ADDR, &sa->sin_addr);
}

/**
 * on_ns() - netstack notify: a query is queued (only recorded here)
 * @owner:	Unused
 * @events:	NS_EV_* bits
 */
static void on_ns(void *owner, unsigned int events)
{
	(void)owner;
	if (events & NS_EV_READABLE)
		fwd.readable = true;
}

/**
 * open_pool() - Connect the kernel sockets to the embedded DNS
 * @sa:		127.0.0.11:53 (the namespace's DNAT rules apply to it)
 *
 * Return: 0 or -errno (logged)
 * #syscalls:setup socket connect epoll_ctl
 */
static int open_pool(const struct sockaddr_in *sa)
{
	int i, r;

	for (i = 0; i < DNSFWD_POOL; i++) {
		int fd = socket(AF_INET,
				SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		if (fd < 0) {
			r = -errno;
			err_errno(r, "dns: socket for %s", DNSFWD_ADDR);
			return r;
		}
		fwd.fd[i] = fd;
		if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa))) {
			r = -errno;
			err_errno(r, "dns: connecting to %s:%d", DNSFWD_ADDR,
				  DNSFWD_PORT);
			return r;
		}
		r = loop_add(fd, EPOLLIN, LOOP_DNS, (uint32_t)i);
		if (r < 0) {
			err_errno(r, "dns: watching pool socket %d", i);
			return r;
		}
	}
	return 0;
}

/**
 * bind_ns() - The guest's side: an lwIP socket on 127.0.0.11:53
 * @sa:		127.0.0.11:53
 *
 * SO_REUSEADDR, so that a guest's own server may still bind port 53 on
 * the wildcard address if it asks for SO_REUSEADDR too (lwIP prefers the
 * specific address for datagrams to 127.0.0.11).
 *
 * Return: 0 or -errno (logged)
 */
static int bind_ns(const struct sockaddr_in *sa)
{
	int r = ns_udp_new(&fwd.udp, AF_INET);

	if (!r)
		r = ns_udp_setopt(fwd.udp, NS_OPT_REUSEADDR, 1);
	if (!r)
		r = ns_udp_bind(fwd.udp, (const struct sockaddr *)sa,
				sizeof(*sa));
	if (r < 0) {
		err_errno(r, "dns: binding %s:%d in the sandbox", DNSFWD_ADDR,
			  DNSFWD_PORT);
		return r;
	}
	ns_udp_set_notify(fwd.udp, on_ns, NULL);
	return 0;
}

/**
 * dnsfwd_start() - Start relaying (before the sentry confines itself)
 *
 * Needs ns_init() and loop_init(). On failure nothing is left open.
 *
 * Return: 0 or -errno (logged)
 * #syscalls:setup getrandom
 */
int dnsfwd_start(void)
{
	struct sockaddr_in sa;
	int r;

	server_addr(&sa);
	dnsfwd_table_init(&fwd.table);
	if (getrandom(&fwd.rng, sizeof(fwd.rng), 0) != sizeof(fwd.rng) ||
	    !fwd.rng)
		fwd.rng = now_ms() | 1;
	r = open_pool(&sa);
	if (!r)
		r = bind_ns(&sa);
	if (r < 0) {
		dnsfwd_stop();
		return r;
	}
	fwd.on = true;
	debug("dns: relaying %s:%d to Docker's embedded DNS (%d sockets)",
	      DNSFWD_ADDR, DNSFWD_PORT, DNSFWD_POOL);
	return 0;
}

/**
 * gather() - Copy a queued datagram into @buf
 * @iov:	Its iovecs
 * @d:		Its description
 * @buf:	Destination, at least DNSFWD_QUERY_MAX bytes
 *
 * Return: its length, or -EMSGSIZE (too long for a query, or more pieces
 * than QUERY_IOV)
 */
static ssize_t gather(const struct iovec *iov, const struct ns_dgram *d,
		      uint8_t *buf)
{
	size_t off = 0;
	int i;

	if (d->len > DNSFWD_QUERY_MAX)
		return -EMSGSIZE;
	for (i = 0; i < d->iovcnt && off < d->len; i++) {
		memcpy(buf + off, iov[i].iov_base,
		       MIN(iov[i].iov_len, d->len - off));
		off += MIN(iov[i].iov_len, d->len - off);
	}
	return off == d->len ? (ssize_t)off : -EMSGSIZE;
}

/**
 * forward() - Send one query from the guest to dockerd
 * @iov:	The queued datagram's iovecs
 * @d:		Its description (source: the guest)
 * @now:	Current time, ms
 * #syscalls sendto
 */
static void forward(const struct iovec *iov, const struct ns_dgram *d,
		    uint64_t now)
{
	struct dnsfwd_entry e = {.slot = (uint8_t)fwd.next};
	ssize_t len = gather(iov, d, msg);
	int i, r = -EEXIST;

	if (len < 0 || d->src.ss_family != AF_INET ||
	    dnsfwd_check(msg, (size_t)len, false) < 0) {
		fwd.n.bad++;
		return;
	}
	memcpy(&e.guest, &d->src, sizeof(e.guest));
	e.guest_id = dnsfwd_get_id(msg);
	for (i = 0; i < ID_TRIES && r == -EEXIST; i++) {
		e.id = next_id();
		r = dnsfwd_table_add(&fwd.table, &e, now);
	}
	if (r < 0) {
		fwd.n.full++;
		return;
	}
	fwd.next = (fwd.next + 1) % DNSFWD_POOL;
	dnsfwd_set_id(msg, e.id);
	if (send(fwd.fd[e.slot], msg, (size_t)len, MSG_DONTWAIT) != len) {
		dnsfwd_table_take(&fwd.table, e.slot, e.id, now, &e);
		fwd.n.errors++;
		return;
	}
	fwd.n.queries++;
}

/**
 * dnsfwd_poll() - Forward the queries netstack queued (after ns_poll())
 *
 * At most NS_UDP_RCVQ_MAX datagrams, the queue's bound.
 */
void dnsfwd_poll(void)
{
	struct iovec iov[QUERY_IOV];
	struct ns_dgram d;
	uint64_t now;
	int i;

	if (!fwd.on || !fwd.readable)
		return;
	fwd.readable = false;
	now = now_ms();
	for (i = 0; i < NS_UDP_RCVQ_MAX; i++) {
		if (ns_udp_peek(fwd.udp, iov, QUERY_IOV, &d) != 1)
			break;
		forward(iov, &d, now);
		ns_udp_drop(fwd.udp);
	}
	if (ns_udp_queued(fwd.udp))
		fwd.readable = true;
}

/**
 * answer() - Give one answer from dockerd back to the guest that asked
 * @slot:	Pool socket it came on
 * @len:	Its length, in msg[]
 * @now:	Current time, ms
 */
static void answer(uint32_t slot, size_t len, uint64_t now)
{
	struct iovec iov = {.iov_base = msg, .iov_len = len};
	struct dnsfwd_entry e;
	ssize_t r;

	if (dnsfwd_check(msg, len, true) < 0) {
		fwd.n.bad++;
		return;
	}
	if (dnsfwd_table_take(&fwd.table, slot, dnsfwd_get_id(msg), now, &e)) {
		fwd.n.unmatched++;
		return;
	}
	dnsfwd_set_id(msg, e.guest_id);
	r = ns_udp_sendto(fwd.udp, &iov, 1, (const struct sockaddr *)&e.guest,
			  sizeof(e.guest));
	if (r < 0)
		fwd.n.errors++;
	else
		fwd.n.answers++;
}

/**
 * dnsfwd_event() - LOOP_DNS: answers are waiting on a pool socket
 * @slot:	Pool slot (the loop reference's index)
 * @events:	EPOLL* bits (an error is read and dropped with the answers)
 * #syscalls recvfrom
 */
void dnsfwd_event(uint32_t slot, uint32_t events)
{
	uint64_t now = now_ms();
	int i;

	(void)events;
	if (slot >= DNSFWD_POOL || fwd.fd[slot] < 0)
		return;
	for (i = 0; i < REPLY_BUDGET; i++) {
		ssize_t n = recv(fwd.fd[slot], msg, sizeof(msg),
				 MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) { /* ECONNREFUSED from an ICMP error: consumed */
			fwd.n.errors++;
			continue;
		}
		answer(slot, (size_t)n, now);
	}
}

/**
 * dnsfwd_sweep() - Forget expired queries; log what was dropped (once a
 * sweep at most)
 */
void dnsfwd_sweep(void)
{
	struct dnsfwd_counts *n = &fwd.n, *l = &fwd.logged;
	unsigned int expired;

	if (!fwd.on)
		return;
	expired = dnsfwd_table_expire(&fwd.table, now_ms());
	if (!expired && n->bad == l->bad && n->full == l->full &&
	    n->unmatched == l->unmatched && n->errors == l->errors)
		return;
	debug("dns: %u unanswered, %llu malformed, %llu over the table, "
	      "%llu unmatched, %llu errors (%llu queries, %llu answers)",
	      expired, (unsigned long long)(n->bad - l->bad),
	      (unsigned long long)(n->full - l->full),
	      (unsigned long long)(n->unmatched - l->unmatched),
	      (unsigned long long)(n->errors - l->errors),
	      (unsigned long long)n->queries, (unsigned long long)n->answers);
	*l = *n;
}

/**
 * dnsfwd_stop() - Close the pool and the netstack socket
 */
void dnsfwd_stop(void)
{
	int i;

	for (i = 0; i < DNSFWD_POOL; i++) {
		if (fwd.fd[i] >= 0)
			close(fwd.fd[i]);
		fwd.fd[i] = -1;
	}
	ns_udp_close(&fwd.udp);
	fwd.on = false;
	fwd.readable = false;
}
