/*
 * keccak.c - Keccak-f[1600] and the Keccak-256 sponge (see keccak.h).
 *
 * Rate 1088 bits (136 bytes), capacity 512, 24 rounds, lanes little-endian,
 * padding pad10*1 with the domain byte 0x01.
 */
#include "keccak.h"

#include <string.h>

#define RATE 136u

static const uint64_t k_rc[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* Rotation offsets and lane order of the combined rho and pi steps. */
static const unsigned k_rot[24] = {
	1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
	27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
};
static const unsigned k_pi[24] = {
	10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
	15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
};

static uint64_t rotl(uint64_t v, unsigned n)
{
	return (v << n) | (v >> (64 - n));
}

static void keccak_f(uint64_t st[25])
{
	uint64_t bc[5];
	for (unsigned r = 0; r < 24; r++) {
		/* theta */
		for (unsigned i = 0; i < 5; i++)
			bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
		for (unsigned i = 0; i < 5; i++) {
			uint64_t t = bc[(i + 4) % 5] ^ rotl(bc[(i + 1) % 5], 1);
			for (unsigned j = 0; j < 25; j += 5)
				st[j + i] ^= t;
		}
		/* rho and pi */
		uint64_t t = st[1];
		for (unsigned i = 0; i < 24; i++) {
			unsigned j = k_pi[i];
			uint64_t tmp = st[j];
			st[j] = rotl(t, k_rot[i]);
			t = tmp;
		}
		/* chi */
		for (unsigned j = 0; j < 25; j += 5) {
			for (unsigned i = 0; i < 5; i++)
				bc[i] = st[j + i];
			for (unsigned i = 0; i < 5; i++)
				st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
		}
		/* iota */
		st[0] ^= k_rc[r];
	}
}

static void absorb(uint64_t st[25], const uint8_t *block)
{
	for (unsigned i = 0; i < RATE / 8; i++) {
		uint64_t lane = 0;
		for (unsigned b = 0; b < 8; b++)
			lane |= (uint64_t)block[i * 8 + b] << (8 * b);
		st[i] ^= lane;
	}
	keccak_f(st);
}

void tsgi_keccak256(const void *data, size_t len, uint8_t out[32])
{
	uint64_t st[25] = {0};
	const uint8_t *p = data;
	while (len >= RATE) {
		absorb(st, p);
		p += RATE;
		len -= RATE;
	}
	uint8_t last[RATE] = {0};
	if (len)
		memcpy(last, p, len);
	last[len] ^= 0x01;
	last[RATE - 1] ^= 0x80;
	absorb(st, last);
	for (unsigned i = 0; i < 32; i++)
		out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
}
