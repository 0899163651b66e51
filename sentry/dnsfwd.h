/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dnsfwd.h - Docker's embedded DNS (127.0.0.11) for the sandbox's guest
 *
 * Theory of operation
 *
 * On a Docker user-defined network the container's resolv.conf names
 * 127.0.0.11, and iptables DNAT rules in the container's network namespace
 * turn 127.0.0.11:53 into the port dockerd's resolver listens on there.
 * The guest's queries go to lwIP's loopback instead, which those rules
 * never see. The sentry of an OCI container lives in that namespace, so it
 * relays:
 *
 *   guest -> lwIP 127.0.0.11:53 (an ns_udp) -> sentry -> kernel UDP socket
 *   connect()ed to 127.0.0.11:53 -> DNAT -> dockerd, and the answer back
 *   the same way, sent to the guest from 127.0.0.11:53.
 *
 * Set-up: boot.c asks dnsfwd_wanted() (a nameserver 127.0.0.11 line in the
 * host file the spec mounts on /etc/resolv.conf) and then calls
 * dnsfwd_start() before the sentry confines itself: it opens and connects
 * the DNSFWD_POOL kernel sockets (so the confined loop needs neither
 * socket() nor connect()), registers them as LOOP_DNS (index: pool slot)
 * and binds the netstack socket, whose notify callback only sets a flag.
 *
 * Steady state, on the loop's thread: dnsfwd_poll() (after ns_poll())
 * takes the queued queries. A query that fails dnsfwd_check() (shorter
 * than a DNS header, over DNSFWD_QUERY_MAX bytes, QR set) is dropped;
 * otherwise it leaves on the next pool socket with a fresh transaction id
 * unique on that socket, so that the queries of different guest sockets
 * never collide, and the pending table remembers (slot, new id) -> (guest
 * id, guest address and port, deadline). dnsfwd_event() reads the answers
 * of a pool socket: one that is a well-formed reply and matches a live
 * entry gets the guest's id back and goes to the guest; anything else is
 * dropped. Entries live DNSFWD_TIMEOUT_MS (dnsfwd_sweep() from the
 * sentry's periodic sweep; expired entries are also reused at once); with
 * DNSFWD_PENDING live queries the next is dropped, and the guest's
 * resolver retries. Drops are counted and logged at most once a sweep.
 *
 * Limits: UDP only (TCP DNS, which glibc uses after a truncated answer, is
 * not relayed: lwIP's loopback owns 127.0.0.1 only for TCP); IPv4 only
 * (Docker names no IPv6 embedded server).
 *
 * Ownership: the module's static state owns the pool fds and the ns_udp;
 * dnsfwd_stop() frees them. The table functions (dnsfwd_table_*) and
 * dnsfwd_check() are pure, for the unit tests. Single-threaded.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef DNSFWD_POOL
#define DNSFWD_POOL 8 /* kernel sockets to the embedded DNS */
#endif
#ifndef DNSFWD_PENDING
#define DNSFWD_PENDING 256 /* queries in flight */
#endif
#ifndef DNSFWD_TIMEOUT_MS
#define DNSFWD_TIMEOUT_MS 5000 /* ms a query waits for its answer */
#endif
#ifndef DNSFWD_QUERY_MAX
#define DNSFWD_QUERY_MAX 4096 /* bytes: longest query relayed */
#endif
#define DNSFWD_REPLY_MAX 65507 /* bytes: longest answer (UDP over IPv4) */
#define DNSFWD_HDR_LEN 12      /* bytes: DNS header (RFC 1035 4.1.1) */
#define DNSFWD_ADDR "127.0.0.11"
#define DNSFWD_PORT 53

/**
 * struct dnsfwd_entry - one query in flight
 * @deadline:	CLOCK_MONOTONIC milliseconds after which it is forgotten
 * @guest:	Where the answer goes (the query's source)
 * @id:		Transaction id on the wire to dockerd
 * @guest_id:	The guest's own transaction id
 * @slot:	Pool socket it left on
 * @used:	Entry is live (until @deadline)
 */
struct dnsfwd_entry {
	uint64_t deadline;
	struct sockaddr_in guest;
	uint16_t id;
	uint16_t guest_id;
	uint8_t slot;
	bool used;
};

/**
 * struct dnsfwd_table - the queries in flight, a fixed table
 * @e:		Entries, free ones have @used false
 */
struct dnsfwd_table {
	struct dnsfwd_entry e[DNSFWD_PENDING];
};

struct spec;

void dnsfwd_table_init(struct dnsfwd_table *t);
int dnsfwd_table_add(struct dnsfwd_table *t, const struct dnsfwd_entry *e,
		     uint64_t now);
int dnsfwd_table_take(struct dnsfwd_table *t, unsigned int slot, uint16_t id,
		      uint64_t now, struct dnsfwd_entry *out);
unsigned int dnsfwd_table_expire(struct dnsfwd_table *t, uint64_t now);
int dnsfwd_check(const uint8_t *msg, size_t len, bool reply);
uint16_t dnsfwd_get_id(const uint8_t *msg);
void dnsfwd_set_id(uint8_t *msg, uint16_t id);
bool dnsfwd_resolv_embedded(const char *text, size_t len);
bool dnsfwd_wanted(const struct spec *spec);

int dnsfwd_start(void);
void dnsfwd_poll(void);
void dnsfwd_event(uint32_t slot, uint32_t events);
void dnsfwd_sweep(void);
void dnsfwd_stop(void);
