// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpf.c - classic BPF: the validator and an interpreter over iovecs
 *
 * Filters come from pcap-dump (libpcap's pcap_compile() for DLT_EN10MB), so
 * the set accepted is classic BPF as libpcap's own bpf_filter() runs it, no
 * Linux extensions. tap_bpf_validate() admits a program only if every
 * opcode is one of those, every jump lands inside the program (forward
 * only, so it ends in at most @n steps), scratch memory indices are below
 * BPF_MEMWORDS, constant divisors and shifts are sane, and the last
 * instruction returns. tap_bpf_run() then reads the frame where it lies
 * (lwIP hands frames over as a pbuf chain): a load outside the frame ends
 * the program with 0 (reject), as in bpf_filter().
 */
#include "tap.h"

#include <errno.h>
#include <string.h>

#include <pcap/bpf.h>

#include "base.h"

#define LD_ABS(sz) (BPF_LD | (sz) | BPF_ABS)
#define LD_IND(sz) (BPF_LD | (sz) | BPF_IND)
#define ALU_K(op) (BPF_ALU | (op) | BPF_K)
#define ALU_X(op) (BPF_ALU | (op) | BPF_X)
#define JMP_K(op) (BPF_JMP | (op) | BPF_K)
#define JMP_X(op) (BPF_JMP | (op) | BPF_X)

/* every opcode the interpreter runs; anything else is refused */
static const uint16_t known[] = {
    LD_ABS(BPF_W),
    LD_ABS(BPF_H),
    LD_ABS(BPF_B),
    LD_IND(BPF_W),
    LD_IND(BPF_H),
    LD_IND(BPF_B),
    BPF_LD | BPF_W | BPF_LEN,
    BPF_LD | BPF_IMM,
    BPF_LD | BPF_MEM,
    BPF_LDX | BPF_W | BPF_IMM,
    BPF_LDX | BPF_W | BPF_MEM,
    BPF_LDX | BPF_W | BPF_LEN,
    BPF_LDX | BPF_B | BPF_MSH,
    BPF_ST,
    BPF_STX,
    ALU_K(BPF_ADD),
    ALU_X(BPF_ADD),
    ALU_K(BPF_SUB),
    ALU_X(BPF_SUB),
    ALU_K(BPF_MUL),
    ALU_X(BPF_MUL),
    ALU_K(BPF_DIV),
    ALU_X(BPF_DIV),
    ALU_K(BPF_MOD),
    ALU_X(BPF_MOD),
    ALU_K(BPF_OR),
    ALU_X(BPF_OR),
    ALU_K(BPF_AND),
    ALU_X(BPF_AND),
    ALU_K(BPF_XOR),
    ALU_X(BPF_XOR),
    ALU_K(BPF_LSH),
    ALU_X(BPF_LSH),
    ALU_K(BPF_RSH),
    ALU_X(BPF_RSH),
    BPF_ALU | BPF_NEG,
    BPF_JMP | BPF_JA,
    JMP_K(BPF_JEQ),
    JMP_X(BPF_JEQ),
    JMP_K(BPF_JGT),
    JMP_X(BPF_JGT),
    JMP_K(BPF_JGE),
    JMP_X(BPF_JGE),
    JMP_K(BPF_JSET),
    JMP_X(BPF_JSET),
    BPF_RET | BPF_K,
    BPF_RET | BPF_A,
    BPF_MISC | BPF_TAX,
    BPF_MISC | BPF_TXA,
};

/**
 * is_known() - Is @code an opcode we run?
 * @code:	Opcode
 *
 * Return: true if listed in known[]
 */
static bool is_known(uint16_t code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (known[i] == code)
			return true;
	return false;
}

/**
 * insn_ok() - Check one instruction in its program
 * @f:		Instruction
 * @pc:		Its index
 * @n:		Program length
 *
 * Return: true if it may run
 */
static bool insn_ok(const struct tap_bpf_insn *f, unsigned int pc,
		    unsigned int n)
{
	unsigned int left = n - pc - 1; /* instructions after this one */

	if (!is_known(f->code))
		return false;
	switch (BPF_CLASS(f->code)) {
	case BPF_LD:
	case BPF_LDX:
		return BPF_MODE(f->code) != BPF_MEM || f->k < BPF_MEMWORDS;
	case BPF_ST:
	case BPF_STX:
		return f->k < BPF_MEMWORDS;
	case BPF_ALU:
		if (BPF_SRC(f->code) != BPF_K)
			return true;
		if (BPF_OP(f->code) == BPF_DIV || BPF_OP(f->code) == BPF_MOD)
			return f->k != 0;
		if (BPF_OP(f->code) == BPF_LSH || BPF_OP(f->code) == BPF_RSH)
			return f->k < 32;
		return true;
	case BPF_JMP:
		if (BPF_OP(f->code) == BPF_JA)
			return f->k < left;
		return f->jt < left && f->jf < left;
	default:
		return true;
	}
}

/**
 * tap_bpf_validate() - Check a filter before it is ever run
 * @prog:	Instructions
 * @n:		Their number
 *
 * Return: 0, or -EINVAL (empty, longer than TAP_BPF_MAX, unknown opcode,
 * jump out of range, bad scratch index, constant division by zero, shift
 * of 32 or more, last instruction not a return)
 */
int tap_bpf_validate(const struct tap_bpf_insn *prog, unsigned int n)
{
	unsigned int pc;

	if (!prog || !n || n > TAP_BPF_MAX)
		return -EINVAL;
	for (pc = 0; pc < n; pc++)
		if (!insn_ok(&prog[pc], pc, n))
			return -EINVAL;
	if (BPF_CLASS(prog[n - 1].code) != BPF_RET)
		return -EINVAL;
	return 0;
}

/**
 * struct pkt - the frame a program runs on
 * @iov:	Pieces
 * @iovcnt:	Their number
 * @len:	Total length
 */
struct pkt {
	const struct iovec *iov;
	int iovcnt;
	size_t len;
};

/**
 * load() - Read @size big-endian bytes at @off of the frame
 * @p:		Frame
 * @off:	Offset (64-bit: k + X may exceed 32 bits)
 * @size:	1, 2 or 4
 * @v:		Result
 *
 * Return: false if the bytes are not all inside the frame
 */
static bool load(const struct pkt *p, uint64_t off, unsigned int size,
		 uint32_t *v)
{
	const uint8_t *src;
	uint8_t b[4];
	size_t base = 0, n, got = 0;
	unsigned int i;
	int j;

	if (off + size > p->len)
		return false;
	if (off + size <= p->iov[0].iov_len) {
		src = (const uint8_t *)p->iov[0].iov_base + off;
	} else {
		for (j = 0; j < p->iovcnt && got < size; j++) {
			if (off + got < base + p->iov[j].iov_len) {
				n = MIN(base + p->iov[j].iov_len - off - got,
					size - got);
				memcpy(b + got,
				       (const uint8_t *)p->iov[j].iov_base +
					   (off + got - base),
				       n);
				got += n;
			}
			base += p->iov[j].iov_len;
		}
		src = b;
	}
	for (*v = 0, i = 0; i < size; i++)
		*v = *v << 8 | src[i];
	return true;
}

/**
 * alu() - One arithmetic instruction
 * @op:		BPF_OP of the instruction
 * @a:		Accumulator
 * @b:		Operand (k or X)
 * @ok:		Cleared on a division by zero
 *
 * Return: the new accumulator
 */
static uint32_t alu(unsigned int op, uint32_t a, uint32_t b, bool *ok)
{
	switch (op) {
	case BPF_ADD:
		return a + b;
	case BPF_SUB:
		return a - b;
	case BPF_MUL:
		return a * b;
	case BPF_DIV:
	case BPF_MOD:
		if (!b) {
			*ok = false;
			return 0;
		}
		return op == BPF_DIV ? a / b : a % b;
	case BPF_OR:
		return a | b;
	case BPF_AND:
		return a & b;
	case BPF_XOR:
		return a ^ b;
	case BPF_LSH:
		return b < 32 ? a << b : 0;
	case BPF_RSH:
		return b < 32 ? a >> b : 0;
	default: /* BPF_NEG */
		return (uint32_t)-a;
	}
}

/**
 * jump() - Outcome of a conditional jump
 * @op:		BPF_OP of the instruction
 * @a:		Accumulator
 * @b:		Operand (k or X)
 *
 * Return: true to take jt
 */
static bool jump(unsigned int op, uint32_t a, uint32_t b)
{
	switch (op) {
	case BPF_JEQ:
		return a == b;
	case BPF_JGT:
		return a > b;
	case BPF_JGE:
		return a >= b;
	default: /* BPF_JSET */
		return a & b;
	}
}

/**
 * ld() - A load into A or X
 * @f:		Instruction
 * @p:		Frame
 * @mem:	Scratch memory
 * @x:		X register
 * @v:		Loaded value
 *
 * Return: false if the load fell outside the frame
 */
static bool ld(const struct tap_bpf_insn *f, const struct pkt *p,
	       const uint32_t *mem, uint32_t x, uint32_t *v)
{
	static const unsigned int sizes[] = {4, 2, 1, 0};
	unsigned int size = sizes[BPF_SIZE(f->code) >> 3];

	switch (BPF_MODE(f->code)) {
	case BPF_ABS:
		return load(p, f->k, size, v);
	case BPF_IND:
		return load(p, (uint64_t)f->k + x, size, v);
	case BPF_LEN:
		*v = (uint32_t)p->len;
		return true;
	case BPF_MEM:
		*v = mem[f->k];
		return true;
	case BPF_MSH:
		if (!load(p, f->k, 1, v))
			return false;
		*v = (*v & 0xf) << 2;
		return true;
	default: /* BPF_IMM */
		*v = f->k;
		return true;
	}
}

/**
 * tap_bpf_run() - Run a validated filter on a frame
 * @prog:	Instructions, accepted by tap_bpf_validate()
 * @n:		Their number
 * @iov:	Frame
 * @iovcnt:	Pieces (> 0)
 * @len:	Frame length (the sum of the pieces)
 *
 * Return: bytes of the frame to keep; 0 means the frame does not match
 */
unsigned int tap_bpf_run(const struct tap_bpf_insn *prog, unsigned int n,
			 const struct iovec *iov, int iovcnt, size_t len)
{
	const struct pkt p = {iov, iovcnt, len};
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0}, b;
	const struct tap_bpf_insn *f;
	unsigned int pc;
	bool ok = true;

	for (pc = 0; pc < n; pc++) {
		f = &prog[pc];
		b = BPF_SRC(f->code) == BPF_X ? x : f->k;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			ok = ld(f, &p, mem, x, &a);
			break;
		case BPF_LDX:
			ok = ld(f, &p, mem, x, &x);
			break;
		case BPF_ST:
			mem[f->k] = a;
			break;
		case BPF_STX:
			mem[f->k] = x;
			break;
		case BPF_ALU:
			a = alu(BPF_OP(f->code), a, b, &ok);
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA)
				pc += f->k;
			else
				pc +=
				    jump(BPF_OP(f->code), a, b) ? f->jt : f->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		default: /* BPF_MISC */
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
		}
		if (!ok)
			return 0;
	}
	return 0;
}
