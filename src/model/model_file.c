/*
 * model_file.c - the model file format (.tsgm), read and written.
 *
 * All integers are little-endian; doubles are IEEE 754 bits.
 *
 *   offset  size  field
 *   0       8     magic "TSGM\r\n\x1a\n" (catches text-mode mangling)
 *   8       4     file format version (TSGI_MODEL_FILE_VERSION, 2)
 *   12      4     feature extraction version (TSGI_FEATURES_VERSION)
 *   16      4     hash bits          20      4  hash seed
 *   24      4     char n-gram min    28      4  char n-gram max
 *   32      4     max text bytes     36      4  nonzero weights (nnz)
 *   40      8     bias               48      8  fusion a
 *   56      8     fusion b           64      8  fusion c
 *   72      4     info length        76      4  reserved, 0
 *   80      8     weight scale (a weight is its int8 times this; > 0)
 *   88      info  provenance text (UTF-8, no NUL)
 *   ...     nnz   bucket indexes as LEB128 varints: the first index, then
 *                 each gap minus one (indexes strictly increase)
 *   ...     nnz   weights (int8, nonzero, -127..127), in index order
 *   end-32  32    SHA-256 of every byte before it
 *
 * Version 1 stored float32 weights without a scale; such a file is
 * refused with a message saying to retrain.
 *
 * Loading checks, in order: size, magic, format version, checksum, then
 * every field's range, so a file is either accepted whole or refused with
 * a message that names the first problem.
 */
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model_int.h"
#include "tsguard_limits.h"

static const uint8_t k_magic[8] = {'T', 'S', 'G', 'M', '\r', '\n', 0x1a, '\n'};
#define HDR 88u
#define SUM 32u

struct tsgi_model *tsgi_model_new(const tsgi_feat_params *fp)
{
	struct tsgi_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->fp = *fp;
	m->q = calloc((size_t)1 << fp->bits, sizeof *m->q);
	m->info = strdup("");
	m->fuse_a = 1.0;
	m->scale = 1.0 / TSGI_MODEL_QMAX;
	if (!m->q || !m->info) {
		tsgi_model_free(m);
		return NULL;
	}
	return m;
}

size_t tsgi_model_set_weights(struct tsgi_model *m, const float *w)
{
	size_t nb = (size_t)1 << m->fp.bits, nnz = 0;
	double top = 0;
	for (size_t i = 0; i < nb; i++) {
		if (!isfinite(w[i]))
			return SIZE_MAX;
		if (fabs(w[i]) > top)
			top = fabs(w[i]);
	}
	m->scale = top > 0 ? top / TSGI_MODEL_QMAX : 1.0 / TSGI_MODEL_QMAX;
	for (size_t i = 0; i < nb; i++) {
		long v = lround(w[i] / m->scale);
		if (v > TSGI_MODEL_QMAX)
			v = TSGI_MODEL_QMAX;
		if (v < -TSGI_MODEL_QMAX)
			v = -TSGI_MODEL_QMAX;
		m->q[i] = (int8_t)v;
		nnz += v != 0;
	}
	return nnz;
}

void tsgi_model_free(struct tsgi_model *m)
{
	if (!m)
		return;
	free(m->q);
	free(m->info);
	free(m);
}

/* ---- little-endian helpers -------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint64_t dbits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

static double bitsd(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static void sha256(const uint8_t *p, size_t n, uint8_t out[SUM])
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(c, p, (gssize)n);
	gsize len = SUM;
	g_checksum_get_digest(c, out, &len);
	g_checksum_free(c);
}

/* ---- writing ----------------------------------------------------------- */

tsg_status tsgi_model_serialize(const struct tsgi_model *m, uint8_t **out,
                                size_t *len, char *err, size_t errlen)
{
	*out = NULL;
	*len = 0;
	if (!isfinite(m->bias) || !isfinite(m->fuse_a) || !isfinite(m->fuse_b) ||
	    !isfinite(m->fuse_c) || !isfinite(m->scale) || !(m->scale > 0)) {
		snprintf(err, errlen, "a header number is not finite, or the "
		                      "weight scale is not positive");
		return TSG_EINVAL;
	}
	size_t nb = (size_t)1 << m->fp.bits, nnz = 0;
	for (size_t i = 0; i < nb; i++)
		nnz += m->q[i] != 0;
	size_t info = strlen(m->info);
	if (info > TSG_MAX_MODEL_INFO)
		info = TSG_MAX_MODEL_INFO;
	size_t cap = HDR + info + nnz * (5 + 1) + SUM;
	uint8_t *b = calloc(1, cap);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	memcpy(b, k_magic, 8);
	put32(b + 8, TSGI_MODEL_FILE_VERSION);
	put32(b + 12, TSGI_FEATURES_VERSION);
	put32(b + 16, m->fp.bits);
	put32(b + 20, m->fp.seed);
	put32(b + 24, m->fp.cmin);
	put32(b + 28, m->fp.cmax);
	put32(b + 32, m->fp.max_text);
	put32(b + 36, (uint32_t)nnz);
	put64(b + 40, dbits(m->bias));
	put64(b + 48, dbits(m->fuse_a));
	put64(b + 56, dbits(m->fuse_b));
	put64(b + 64, dbits(m->fuse_c));
	put32(b + 72, (uint32_t)info);
	put32(b + 76, 0);
	put64(b + 80, dbits(m->scale));
	memcpy(b + HDR, m->info, info);
	size_t k = HDR + info;
	size_t prev = 0;
	bool first = true;
	for (size_t i = 0; i < nb; i++) {
		if (m->q[i] == 0)
			continue;
		uint32_t v = (uint32_t)(first ? i : i - prev - 1);
		first = false;
		prev = i;
		do {
			uint8_t byte = v & 0x7f;
			v >>= 7;
			b[k++] = byte | (v ? 0x80 : 0);
		} while (v);
	}
	for (size_t i = 0; i < nb; i++)
		if (m->q[i] != 0) {
			b[k++] = (uint8_t)m->q[i];
		}
	sha256(b, k, b + k);
	*out = b;
	*len = k + SUM;
	return TSG_OK;
}

tsg_status tsgi_model_save(const struct tsgi_model *m, const char *path,
                           char *err, size_t errlen)
{
	uint8_t *b;
	size_t n;
	tsg_status st = tsgi_model_serialize(m, &b, &n, err, errlen);
	if (st != TSG_OK)
		return st;
	char tmp[4096];
	int w = snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (w < 0 || (size_t)w >= sizeof tmp) {
		free(b);
		snprintf(err, errlen, "path too long");
		return TSG_EINVAL;
	}
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		free(b);
		return TSG_EIO;
	}
	bool ok = fwrite(b, 1, n, f) == n;
	ok = (fclose(f) == 0) && ok;
	free(b);
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return TSG_EIO;
	}
	return TSG_OK;
}

/* ---- reading ----------------------------------------------------------- */

static tsg_status refuse(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "model file refused: %s", msg);
	return TSG_EMODEL;
}

tsg_status tsgi_model_load_mem(const void *buf, size_t len,
                               struct tsgi_model **out, char *err,
                               size_t errlen)
{
	*out = NULL;
	const uint8_t *b = buf;
	char msg[256];
	if (len < 8 || memcmp(b, k_magic, 8) != 0)
		return refuse(err, errlen,
		              len < 8 && memcmp(b, k_magic, len) == 0
		                  ? "truncated (shorter than the magic number)"
		                  : "not a tsguard model (bad magic number)");
	if (len < 12)
		return refuse(err, errlen, "truncated (no version)");
	uint32_t ver = get32(b + 8);
	if (ver != TSGI_MODEL_FILE_VERSION) {
		snprintf(msg, sizeof msg,
		         "format version %u, this build reads version %u: retrain "
		         "with this build's `tsguard train`",
		         ver, TSGI_MODEL_FILE_VERSION);
		return refuse(err, errlen, msg);
	}
	if (len < HDR + SUM)
		return refuse(err, errlen, "truncated (shorter than the header)");
	if (len > TSG_MAX_MODEL_FILE)
		return refuse(err, errlen, "larger than TSG_MAX_MODEL_FILE");
	uint8_t sum[SUM];
	sha256(b, len - SUM, sum);
	if (memcmp(sum, b + len - SUM, SUM) != 0)
		return refuse(err, errlen,
		              "checksum mismatch: the file is damaged or truncated");
	uint32_t fver = get32(b + 12);
	if (fver != TSGI_FEATURES_VERSION) {
		snprintf(msg, sizeof msg,
		         "made for feature extraction version %u, this build has "
		         "version %u: retrain",
		         fver, TSGI_FEATURES_VERSION);
		return refuse(err, errlen, msg);
	}
	tsgi_feat_params fp = {
		.bits = get32(b + 16),
		.seed = get32(b + 20),
		.cmin = get32(b + 24),
		.cmax = get32(b + 28),
		.max_text = get32(b + 32),
	};
	if (fp.bits < TSG_MODEL_MIN_BITS || fp.bits > TSG_MODEL_MAX_BITS)
		return refuse(err, errlen, "hash bits out of range");
	if (fp.cmin < 1 || fp.cmax > 8 || fp.cmin > fp.cmax)
		return refuse(err, errlen, "character n-gram lengths out of range");
	uint32_t nnz = get32(b + 36);
	size_t nb = (size_t)1 << fp.bits;
	if (nnz > nb)
		return refuse(err, errlen, "more weights than hash buckets");
	double bias = bitsd(get64(b + 40)), fa = bitsd(get64(b + 48)),
	       fb = bitsd(get64(b + 56)), fc = bitsd(get64(b + 64)),
	       scale = bitsd(get64(b + 80));
	if (!isfinite(bias) || !isfinite(fa) || !isfinite(fb) || !isfinite(fc) ||
	    !isfinite(scale))
		return refuse(err, errlen, "a header number is not finite");
	if (!(scale > 0))
		return refuse(err, errlen, "weight scale is not positive");
	uint32_t info = get32(b + 72);
	size_t body = len - SUM;
	if (info > TSG_MAX_MODEL_INFO || HDR + (size_t)info > body)
		return refuse(err, errlen, "provenance text length out of range");
	if ((size_t)nnz * 2 > body - HDR - info) /* >= 1 + 1 bytes each */
		return refuse(err, errlen, "weight table does not fit the file");

	struct tsgi_model *m = calloc(1, sizeof *m);
	if (!m)
		goto oom;
	m->fp = fp;
	m->bias = bias;
	m->fuse_a = fa;
	m->fuse_b = fb;
	m->fuse_c = fc;
	m->scale = scale;
	m->q = calloc(nb, sizeof *m->q);
	m->info = malloc((size_t)info + 1);
	uint32_t *idx = malloc(((size_t)nnz + 1) * sizeof *idx);
	if (!m->q || !m->info || !idx) {
		free(idx);
		tsgi_model_free(m);
		goto oom;
	}
	memcpy(m->info, b + HDR, info);
	m->info[info] = '\0';
	size_t k = HDR + info;
	uint64_t prev = 0;
	const char *bad = NULL;
	for (uint32_t i = 0; i < nnz && !bad; i++) {
		uint64_t v = 0;
		unsigned shift = 0;
		for (;;) {
			if (k >= body || shift > 28) {
				bad = "weight index table is damaged";
				break;
			}
			uint8_t byte = b[k++];
			v |= (uint64_t)(byte & 0x7f) << shift;
			shift += 7;
			if (!(byte & 0x80))
				break;
		}
		if (bad)
			break;
		uint64_t at = i == 0 ? v : prev + v + 1;
		if (at >= nb)
			bad = "weight index out of range";
		idx[i] = (uint32_t)at;
		prev = at;
	}
	if (!bad && body - k != (size_t)nnz)
		bad = "weight table size does not match the header";
	for (uint32_t i = 0; i < nnz && !bad; i++) {
		int q = b[k + i] < 128 ? b[k + i] : b[k + i] - 256; /* two's complement */
		if (q == 0 || q < -TSGI_MODEL_QMAX)
			bad = "a weight is zero or out of range";
		else
			m->q[idx[i]] = (int8_t)q;
	}
	free(idx);
	if (bad) {
		tsgi_model_free(m);
		return refuse(err, errlen, bad);
	}
	*out = m;
	return TSG_OK;
oom:
	snprintf(err, errlen, "out of memory loading the model");
	return TSG_ENOMEM;
}

tsg_status tsgi_model_load(const char *path, struct tsgi_model **out,
                           char *err, size_t errlen)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return TSG_EIO;
	}
	size_t cap = 1u << 16, n = 0;
	uint8_t *b = malloc(cap);
	tsg_status st = TSG_OK;
	while (b) {
		if (n == cap) {
			if (cap > TSG_MAX_MODEL_FILE) {
				st = TSG_EMODEL;
				snprintf(err, errlen,
				         "model file refused: larger than TSG_MAX_MODEL_FILE");
				break;
			}
			uint8_t *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
		size_t got = fread(b + n, 1, cap - n, f);
		if (!got)
			break;
		n += got;
	}
	bool rerr = ferror(f);
	fclose(f);
	if (!b) {
		snprintf(err, errlen, "out of memory reading the model");
		return TSG_ENOMEM;
	}
	if (st == TSG_OK && rerr) {
		snprintf(err, errlen, "read error");
		st = TSG_EIO;
	}
	if (st == TSG_OK)
		st = tsgi_model_load_mem(b, n, out, err, errlen);
	free(b);
	return st;
}
