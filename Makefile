# SPDX-License-Identifier: GPL-2.0-or-later
#
# runsc: a sandbox container runtime whose guest networking is served by lwIP.
#
#   make                 build build/runsc and build/pcap-dump (lwIP fetched from Debian's source
#                        package on first use, see netstack/lwip.mk)
#   make SAN=1           AddressSanitizer + UBSan build in build-san/
#   make check           unit tests (cmocka) under ASan/UBSan + style checks
#   make check-integration   root: real guests through the real binary
#   make deps            install the Debian packages the build and tests use
#   make clean

CC ?= gcc
SAN ?=
ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD ?= build
SANFLAGS :=
endif

WARN := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -D_GNU_SOURCE -fstack-protector-strong $(WARN) $(SANFLAGS)
ifneq ($(SAN),1)
CFLAGS += -D_FORTIFY_SOURCE=2
endif
LDFLAGS += $(SANFLAGS)
INC := -I. -Isentry/base

all: $(BUILD)/runsc $(BUILD)/pcap-dump

include netstack/lwip.mk

BASE_SRCS := $(wildcard sentry/base/*.c)
NETSTACK_SRCS := $(wildcard netstack/*.c)
TAP_SRCS := $(wildcard tap/*.c)
SENTRY_SRCS := $(filter-out sentry/main.c,$(wildcard sentry/*.c))
GOFER_SRCS := $(wildcard gofer/*.c)
LIB_SRCS := $(BASE_SRCS) $(NETSTACK_SRCS) $(TAP_SRCS) $(GOFER_SRCS) $(SENTRY_SRCS)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
LIBS := -lseccomp -ljansson -lpcap

$(BUILD)/obj/netstack/%.o: netstack/%.c $(LWIP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INC) $(LWIP_INC) -MMD -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INC) -MMD -c $< -o $@

$(BUILD)/libruntime.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/runsc: $(BUILD)/obj/sentry/main.o $(BUILD)/libruntime.a $(LWIP_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# pcap-dump: live capture client (tools/pcap-dump/, libpcap, the ctl framing)
PCAPDUMP_SRCS := $(wildcard tools/pcap-dump/*.c) $(BASE_SRCS) sentry/ctl.c
PCAPDUMP_OBJS := $(PCAPDUMP_SRCS:%.c=$(BUILD)/obj/%.o)

$(BUILD)/pcap-dump: $(PCAPDUMP_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -lpcap

# --- tests -----------------------------------------------------------------
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
TESTLIB_SRCS := $(wildcard tests/lib/*.c)
TESTLIB_OBJS := $(TESTLIB_SRCS:%.c=$(BUILD)/obj/%.o)

$(BUILD)/obj/tests/%.o: tests/%.c $(LWIP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INC) $(LWIP_INC) -Itests/lib -MMD -c $< -o $@

$(BUILD)/tests/unit/%: $(BUILD)/obj/tests/unit/%.o $(TESTLIB_OBJS) $(BUILD)/libruntime.a $(LWIP_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) -lcmocka

# the static guest helper used by integration tests
$(BUILD)/tests/guest/%: tests/guest/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -o $@ $< -lpthread

GUEST_BINS := $(patsubst tests/guest/%.c,$(BUILD)/tests/guest/%,$(wildcard tests/guest/*.c))

# test drivers linked with the runtime's library (tests/tools/*.c)
TOOL_BINS := $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(wildcard tests/tools/*.c))
$(BUILD)/tests/tools/%: $(BUILD)/obj/tests/tools/%.o $(BUILD)/libruntime.a $(LWIP_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
tests check-integration: $(TOOL_BINS)

tests: $(UNIT_BINS) $(GUEST_BINS)

check-unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

check:
	$(MAKE) SAN=1 check-unit
	$(MAKE) check-style

check-style:
	@tests/check/run.sh

check-integration: $(BUILD)/runsc $(BUILD)/pcap-dump $(GUEST_BINS)
	tests/integration/run.sh $(BUILD)

demo:
	tests/demo/demo.sh
	tests/demo/docker-demo.sh

deps:
	apt-get install -y --no-install-recommends gcc make pkg-config dpkg-dev \
		libseccomp-dev libjansson-dev libpcap-dev libcmocka-dev \
		iproute2 busybox-static curl python3 procps psmisc xz-utils tcpdump tshark \
		debian-archive-keyring

clean:
	rm -rf build build-san

.PHONY: all tests check check-unit check-style check-integration demo deps clean

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
