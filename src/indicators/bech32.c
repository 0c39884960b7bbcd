/*
 * bech32.c - bech32 and bech32m decoding (see bech32.h), after the
 * reference code of BIP-173 and BIP-350.
 */
#include "bech32.h"

#include <string.h>

#define BECH32_MAX 90u

static const char k_charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t polymod_step(uint32_t pre)
{
	uint8_t b = (uint8_t)(pre >> 25);
	return ((pre & 0x1ffffff) << 5) ^ (-((b >> 0) & 1) & 0x3b6a57b2UL) ^
	       (-((b >> 1) & 1) & 0x26508e6dUL) ^ (-((b >> 2) & 1) & 0x1ea119faUL) ^
	       (-((b >> 3) & 1) & 0x3d4233ddUL) ^ (-((b >> 4) & 1) & 0x2a1462b3UL);
}

/* Decodes into hrp (lower case) and 5-bit data without the checksum. */
static tsgi_bech32_enc decode(const char *s, size_t n, char *hrp,
                              uint8_t *data, size_t *dlen)
{
	if (n < 8 || n > BECH32_MAX)
		return TSGI_BECH32_INVALID;
	bool lower = false, upper = false;
	size_t sep = n;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 33 || c > 126)
			return TSGI_BECH32_INVALID;
		lower |= c >= 'a' && c <= 'z';
		upper |= c >= 'A' && c <= 'Z';
		if (c == '1')
			sep = i;
	}
	if ((lower && upper) || sep == 0 || sep == n || n - sep - 1 < 6)
		return TSGI_BECH32_INVALID;
	uint32_t chk = 1;
	for (size_t i = 0; i < sep; i++) {
		char c = s[i];
		hrp[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		chk = polymod_step(chk) ^ ((unsigned char)hrp[i] >> 5);
	}
	hrp[sep] = '\0';
	chk = polymod_step(chk);
	for (size_t i = 0; i < sep; i++)
		chk = polymod_step(chk) ^ ((unsigned char)hrp[i] & 0x1f);
	*dlen = 0;
	for (size_t i = sep + 1; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		const char *p = strchr(k_charset, c);
		if (!p || !c)
			return TSGI_BECH32_INVALID;
		uint8_t v = (uint8_t)(p - k_charset);
		chk = polymod_step(chk) ^ v;
		if (i + 6 < n)
			data[(*dlen)++] = v;
	}
	if (chk == 1)
		return TSGI_BECH32;
	if (chk == 0x2bc830a3UL)
		return TSGI_BECH32M;
	return TSGI_BECH32_INVALID;
}

bool tsgi_segwit_decode(const char *s, size_t n, const char *hrp, int *version,
                        size_t *prog_len)
{
	char h[BECH32_MAX + 1];
	uint8_t data[BECH32_MAX];
	size_t dlen;
	tsgi_bech32_enc enc = decode(s, n, h, data, &dlen);
	if (enc == TSGI_BECH32_INVALID || strcmp(h, hrp) || dlen < 1 ||
	    data[0] > 16)
		return false;
	int ver = data[0];
	if ((ver == 0 && enc != TSGI_BECH32) || (ver != 0 && enc != TSGI_BECH32M))
		return false;
	/* regroup 5-bit values into bytes, no padding allowed beyond 4 bits */
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t out = 0;
	for (size_t i = 1; i < dlen; i++) {
		acc = (acc << 5) | data[i];
		bits += 5;
		while (bits >= 8) {
			bits -= 8;
			out++;
		}
	}
	if (bits >= 5 || ((acc << (8 - bits)) & 0xff))
		return false;
	if (out < 2 || out > 40 || (ver == 0 && out != 20 && out != 32))
		return false;
	*version = ver;
	*prog_len = out;
	return true;
}
