/*
 * uuid5.c - name-based UUIDs (RFC 9562 version 5, SHA-1) for the exports:
 * the same campaign and value always get the same id, so a re-export
 * updates what an investigator's platform holds instead of duplicating it.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "intel.h"

void tsgi_uuid5(char out[37], const unsigned char ns[16],
                const char *const *parts, size_t n)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA1);
	g_checksum_update(ck, ns, 16);
	for (size_t i = 0; i < n; i++) {
		if (i)
			g_checksum_update(ck, (const guchar *)"\x1f", 1);
		g_checksum_update(ck, (const guchar *)parts[i], (gssize)strlen(parts[i]));
	}
	guint8 d[20];
	gsize dl = sizeof d;
	g_checksum_get_digest(ck, d, &dl);
	g_checksum_free(ck);
	d[6] = (guint8)((d[6] & 0x0f) | 0x50); /* version 5 */
	d[8] = (guint8)((d[8] & 0x3f) | 0x80); /* RFC variant */
	snprintf(out, 37,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10],
	         d[11], d[12], d[13], d[14], d[15]);
}
