// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rxq.c - the bounded receive queue shared by UDP and ICMP sockets
 */
#include "internal.h"

#include <stdlib.h>

/**
 * ns_rxq_init() - An empty queue
 * @q:	Queue
 */
void ns_rxq_init(struct ns_rxq *q)
{
	ns_list_init(&q->head);
	q->count = 0;
	q->bytes = 0;
	q->pbufs = 0;
}

/**
 * ns_rxq_room() - Would a datagram of @len bytes fit?
 * @q:		Queue
 * @len:	Payload length
 *
 * Return: true if it fits (otherwise it is dropped, like a full socket
 * buffer)
 */
bool ns_rxq_room(const struct ns_rxq *q, size_t len)
{
	return q->count < NS_UDP_RCVQ_MAX && len <= NS_UDP_RCVBUF - q->bytes;
}

/**
 * ns_rxq_push() - Append a datagram (after ns_rxq_room() said yes)
 * @q:	Queue
 * @d:	Datagram, owned by the queue from now on
 */
void ns_rxq_push(struct ns_rxq *q, struct ns_udp_dgram *d)
{
	unsigned int n = pbuf_clen(d->p);

	ns_list_add_tail(&q->head, &d->node);
	q->count++;
	q->bytes += d->p->tot_len;
	q->pbufs += n;
	ns.stats.pbufs += n;
}

/**
 * ns_rxq_first() - The oldest datagram
 * @q:	Queue
 *
 * Return: the datagram, NULL if the queue is empty
 */
struct ns_udp_dgram *ns_rxq_first(const struct ns_rxq *q)
{
	if (ns_list_empty(&q->head))
		return NULL;
	return ns_container_of(q->head.next, struct ns_udp_dgram, node);
}

/**
 * ns_rxq_free() - Unqueue and free one datagram
 * @q:	Queue
 * @d:	Datagram on @q
 */
void ns_rxq_free(struct ns_rxq *q, struct ns_udp_dgram *d)
{
	unsigned int n = pbuf_clen(d->p);

	ns_list_del(&d->node);
	q->count--;
	q->bytes -= d->p->tot_len;
	q->pbufs -= n;
	ns.stats.pbufs -= n;
	pbuf_free(d->p);
	free(d);
}

/**
 * ns_rxq_drop() - Free the oldest datagram, if any
 * @q:	Queue
 */
void ns_rxq_drop(struct ns_rxq *q)
{
	struct ns_udp_dgram *d = ns_rxq_first(q);

	if (d)
		ns_rxq_free(q, d);
}

/**
 * ns_rxq_purge() - Free every queued datagram
 * @q:	Queue
 */
void ns_rxq_purge(struct ns_rxq *q)
{
	struct ns_udp_dgram *d;

	while ((d = ns_rxq_first(q)))
		ns_rxq_free(q, d);
}

/**
 * ns_rxq_peek() - Describe the oldest datagram (see ns_udp_peek())
 * @q:		Queue
 * @family:	The socket's family, for the source address format
 * @iov:	iovecs over the payload, filled in
 * @max:	Capacity of @iov
 * @d:		Length, iovec count, source and destination, filled in
 *
 * Return: 1 if there is a datagram, 0 if the queue is empty
 */
int ns_rxq_peek(const struct ns_rxq *q, int family, struct iovec *iov, int max,
		struct ns_dgram *d)
{
	struct ns_udp_dgram *g = ns_rxq_first(q);
	struct pbuf *p;
	int n = 0;

	if (!g)
		return 0;
	for (p = g->p; p && n < max; p = p->next) {
		if (!p->len)
			continue;
		iov[n].iov_base = p->payload;
		iov[n++].iov_len = p->len;
	}
	d->len = g->p->tot_len;
	d->iovcnt = n;
	d->srclen = ns_addr_format(family, &g->src, g->sport, &d->src);
	ns_dgram_pktinfo(g, &d->dst);
	return 1;
}
