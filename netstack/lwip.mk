# SPDX-License-Identifier: GPL-2.0-or-later
#
# lwIP 2.1.3 built from Debian's source package with netstack/lwipopts.h.
# Owned by netstack/. Provides LWIP_STAMP, LWIP_INC, LWIP_LIB.
#
# The sources are fetched once (netstack/fetch-lwip.sh) into build/lwip-src,
# shared by the normal and the SAN=1 build; objects and the library go to
# $(BUILD). Nothing under build*/ is committed.

LWIP_VERSION := 2.1.3+dfsg1-2
LWIP_DIR := build/lwip-src
LWIP_SRC := $(LWIP_DIR)/src/src
LWIP_STAMP := $(LWIP_DIR)/.fetched
LWIP_INC := -I$(LWIP_SRC)/include -Inetstack -Inetstack/port
LWIP_LIB := $(BUILD)/liblwip.a

# Listed, not wildcarded: the tree does not exist before the first fetch.
LWIP_CORE := def.c inet_chksum.c init.c ip.c mem.c memp.c netif.c pbuf.c \
	raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c
LWIP_CORE4 := etharp.c icmp.c ip4.c ip4_addr.c ip4_frag.c
LWIP_CORE6 := ethip6.c icmp6.c inet6.c ip6.c ip6_addr.c ip6_frag.c mld6.c \
	nd6.c
LWIP_FILES := $(addprefix core/,$(LWIP_CORE)) \
	$(addprefix core/ipv4/,$(LWIP_CORE4)) \
	$(addprefix core/ipv6/,$(LWIP_CORE6)) netif/ethernet.c
LWIP_CSRCS := $(addprefix $(LWIP_SRC)/,$(LWIP_FILES))
LWIP_OBJS := $(addprefix $(BUILD)/lwip-obj/,$(LWIP_FILES:.c=.o))

# lwIP's own code gets our flags minus the strict warnings.
LWIP_CFLAGS = $(filter-out -Werror -Wextra -Wall,$(CFLAGS)) -w

$(LWIP_STAMP):
	LWIP_DEB_VERSION=$(LWIP_VERSION) netstack/fetch-lwip.sh $(LWIP_DIR)

$(LWIP_CSRCS): | $(LWIP_STAMP) ;

$(BUILD)/lwip-obj/%.o: $(LWIP_SRC)/%.c netstack/lwipopts.h \
		netstack/port/arch/cc.h | $(LWIP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LWIP_CFLAGS) $(LWIP_INC) -c $< -o $@

$(LWIP_LIB): $(LWIP_OBJS)
	rm -f $@
	ar rcs $@ $^

lwip: $(LWIP_LIB)

.PHONY: lwip
