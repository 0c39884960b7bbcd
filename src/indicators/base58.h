/*
 * base58.h - Bitcoin's base58 and base58check (Bitcoin P2PKH/P2SH, TRON).
 */
#ifndef TSGI_BASE58_H
#define TSGI_BASE58_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decodes s[0..n) into exactly `outlen` big-endian bytes.  Leading '1's are
 * leading zero bytes and must account for all of them (the canonical form
 * every wallet writes).  False for a character outside the alphabet, a
 * value that does not fit, or a non-canonical encoding.
 */
bool tsgi_base58_decode(const char *s, size_t n, uint8_t *out, size_t outlen);

/*
 * Decodes a base58check string of a 1-byte version and a 20-byte payload
 * (25 bytes with the checksum) and verifies that the last four bytes are
 * the first four of SHA-256(SHA-256(version || payload)).  On success
 * writes the version to *version and returns true.
 */
bool tsgi_base58check_decode(const char *s, size_t n, uint8_t *version);

#endif
