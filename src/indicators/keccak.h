/*
 * keccak.h - Keccak-256 as Ethereum uses it.
 *
 * This is the original Keccak submission (padding byte 0x01), not NIST
 * SHA3-256 (padding 0x06); the two give different digests.  No Debian
 * library offers the original padding in a form we can link (GLib has no
 * SHA-3 at all), so it is written here; the unit test holds the known
 * vectors (Keccak-256 of "" is c5d24601...).
 */
#ifndef TSGI_KECCAK_H
#define TSGI_KECCAK_H

#include <stddef.h>
#include <stdint.h>

/* Writes the 32-byte Keccak-256 digest of data[0..len) to out. */
void tsgi_keccak256(const void *data, size_t len, uint8_t out[32]);

#endif
