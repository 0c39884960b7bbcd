/*
 * crypto.c - cryptocurrency addresses: Bitcoin, Ethereum, TRON.
 *
 * Owner: indicators.  Reads x->raw (base58 and EIP-55 are case-sensitive).
 * Every candidate is a whole run of ASCII letters and digits, and is
 * reported only when its checksum holds, so random tokens never pass:
 *
 *   Bitcoin P2PKH/P2SH  base58check, version 0x00 / 0x05, 26-35 characters
 *                       starting with '1' / '3'        detail "p2pkh"/"p2sh"
 *   Bitcoin segwit      bech32 (v0) or bech32m (v1+), "bc1..."
 *                       detail "p2wpkh", "p2wsh", "p2tr", "witness_vN";
 *                       value in lower case
 *   Ethereum            "0x" + 40 hex digits.  Mixed case must satisfy EIP-55
 *                       (Keccak-256 of the lower-case hex); all-lower or
 *                       all-upper carries no checksum and is accepted.
 *                       value: the EIP-55 form; detail "eip55" when the
 *                       writer's checksum was verified, else NULL
 *   TRON                base58check, version 0x41, 34 characters from 'T'
 */
#include <glib.h>
#include <string.h>

#include "base58.h"
#include "bech32.h"
#include "indicators.h"
#include "keccak.h"

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static void add(tsgi_extract *x, tsg_indicator_kind kind, const char *value,
                size_t vlen, const char *detail, size_t start, size_t end)
{
	tsg_indicator ind = {.kind = kind, .detail = detail};
	ind.value = tsgi_arena_strndup(x->arena, value, vlen);
	if (!ind.value) {
		x->oom = true;
		return;
	}
	tsgi_ind_add(x, &ind, start, end);
}

/*
 * Writes the EIP-55 form of the 40 hex digits at hex into out (42 bytes +
 * NUL) and returns true when the input's letters were all one case or
 * already matched it; *verified tells whether they were mixed (a checksum
 * the writer gave and we checked).
 */
static bool eip55(const char *hex, char out[43], bool *verified)
{
	char lower[40];
	bool up = false, low = false;
	for (int i = 0; i < 40; i++) {
		if (!g_ascii_isxdigit(hex[i]))
			return false;
		up |= hex[i] >= 'A' && hex[i] <= 'F';
		low |= hex[i] >= 'a' && hex[i] <= 'f';
		lower[i] = g_ascii_tolower(hex[i]);
	}
	uint8_t h[32];
	tsgi_keccak256(lower, 40, h);
	out[0] = '0';
	out[1] = 'x';
	for (int i = 0; i < 40; i++) {
		unsigned nib = (i % 2) ? (h[i / 2] & 0xf) : (h[i / 2] >> 4);
		char c = lower[i];
		out[2 + i] = (c >= 'a' && nib >= 8) ? (char)(c - 32) : c;
	}
	out[42] = '\0';
	*verified = up && low;
	return !*verified || !memcmp(out + 2, hex, 40);
}

static void candidate(tsgi_extract *x, const char *t, size_t n, size_t start)
{
	uint8_t ver;
	if (n >= 26 && n <= 35 && (t[0] == '1' || t[0] == '3')) {
		if (tsgi_base58check_decode(t, n, &ver) && (ver == 0x00 || ver == 0x05))
			add(x, TSG_IND_BTC, t, n, ver ? "p2sh" : "p2pkh", start, start + n);
		return;
	}
	if (n == 34 && t[0] == 'T') {
		if (tsgi_base58check_decode(t, n, &ver) && ver == 0x41)
			add(x, TSG_IND_TRON, t, n, NULL, start, start + n);
		return;
	}
	if (n >= 14 && n <= 90 && g_ascii_strncasecmp(t, "bc1", 3) == 0) {
		int v;
		size_t plen;
		if (!tsgi_segwit_decode(t, n, "bc", &v, &plen))
			return;
		const char *type = "p2tr";
		if (v == 0)
			type = plen == 20 ? "p2wpkh" : "p2wsh";
		else if (v != 1 || plen != 32)
			type = tsgi_arena_printf(x->arena, "witness_v%d", v);
		char *val = tsgi_arena_strndup(x->arena, t, n);
		if (!val || !type) {
			x->oom = true;
			return;
		}
		for (char *c = val; *c; c++)
			*c = g_ascii_tolower(*c);
		add(x, TSG_IND_BTC, val, n, type, start, start + n);
		return;
	}
	if (n == 42 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		char out[43];
		bool verified;
		if (eip55(t + 2, out, &verified))
			add(x, TSG_IND_ETH, out, 42, verified ? "eip55" : NULL, start,
			    start + n);
	}
}

void tsgi_extract_crypto(tsgi_extract *x)
{
	const char *s = x->raw;
	size_t len = x->raw_len, i = 0;
	while (i < len && !x->oom) {
		/* Every candidate is a token of 14 letters and digits or more.
		 * Here s[i] starts a token or lies between tokens; when s[i + 13]
		 * is not a letter or digit, no such token starts in s[i..i+13],
		 * and s[i + 14] again starts a token or lies between them. */
		if (i + 13 < len && !is_alnum((unsigned char)s[i + 13])) {
			i += 14;
			continue;
		}
		if (!is_alnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t a = i;
		while (i < len && is_alnum((unsigned char)s[i]))
			i++;
		/* a token glued to a non-ASCII letter is part of a longer word */
		if ((a > 0 && (unsigned char)s[a - 1] >= 0x80) ||
		    (i < len && (unsigned char)s[i] >= 0x80))
			continue;
		if (i - a >= 14)
			candidate(x, s + a, i - a, a);
	}
}
