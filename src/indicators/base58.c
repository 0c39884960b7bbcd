/*
 * base58.c - base58 decoding and the base58check checksum (see base58.h).
 * SHA-256 comes from GLib's GChecksum.
 */
#include "base58.h"

#include <glib.h>
#include <string.h>

static const char k_alphabet[] =
	"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static int digit(char c)
{
	const char *p = c ? strchr(k_alphabet, c) : NULL;
	return p ? (int)(p - k_alphabet) : -1;
}

bool tsgi_base58_decode(const char *s, size_t n, uint8_t *out, size_t outlen)
{
	memset(out, 0, outlen);
	size_t ones = 0;
	while (ones < n && s[ones] == '1')
		ones++;
	for (size_t i = 0; i < n; i++) {
		int d = digit(s[i]);
		if (d < 0)
			return false;
		unsigned carry = (unsigned)d;
		for (size_t j = outlen; j-- > 0;) {
			carry += 58u * out[j];
			out[j] = (uint8_t)carry;
			carry >>= 8;
		}
		if (carry)
			return false;
	}
	size_t zeros = 0;
	while (zeros < outlen && out[zeros] == 0)
		zeros++;
	return zeros == ones;
}

static void sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	gsize n = 32;
	g_checksum_update(c, data, (gssize)len);
	g_checksum_get_digest(c, out, &n);
	g_checksum_free(c);
}

bool tsgi_base58check_decode(const char *s, size_t n, uint8_t *version)
{
	uint8_t raw[25], h1[32], h2[32];
	if (n < 26 || n > 35 || !tsgi_base58_decode(s, n, raw, sizeof raw))
		return false;
	sha256(raw, 21, h1);
	sha256(h1, 32, h2);
	if (memcmp(h2, raw + 21, 4))
		return false;
	*version = raw[0];
	return true;
}
