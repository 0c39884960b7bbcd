/*
 * bech32.h - bech32 (BIP-173) and bech32m (BIP-350) segwit addresses.
 */
#ifndef TSGI_BECH32_H
#define TSGI_BECH32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum tsgi_bech32_enc {
	TSGI_BECH32_INVALID = 0,
	TSGI_BECH32 = 1,  /* checksum constant 1           */
	TSGI_BECH32M = 2, /* checksum constant 0x2bc830a3  */
} tsgi_bech32_enc;

/*
 * Decodes a segwit address s[0..n) whose human-readable part must be `hrp`
 * ("bc" for Bitcoin's main network), in either all-lower or all-upper case.
 * Verifies the checksum, that version 0 uses bech32 and versions 1..16
 * bech32m (BIP-350), and the program length (2..40 bytes; 20 or 32 for
 * version 0).  On success sets *version and *prog_len (the program is not
 * needed by callers) and returns true.
 */
bool tsgi_segwit_decode(const char *s, size_t n, const char *hrp, int *version,
                        size_t *prog_len);

#endif
