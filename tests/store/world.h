/*
 * world.h - a simulated world of tech-support call centers and the victims
 * who report them, with the truth kept: which center each report is about.
 *
 * Built to contain every trap of real complaint data (docs/store.md):
 * official numbers and domains named by victims, free-mail and shared
 * hosting, gift cards and common amounts, a popular download site that
 * every center uses (an unlisted hub), numbers bought in consecutive
 * blocks (one digit apart) by different centers, numbers recycled by
 * another center months later, misremembered digits, several languages,
 * channels and phone formats, and heavy-tailed (Zipf) center sizes.
 *
 * Each report carries its indicators twice: written into `content` the way
 * a victim would write them (formats vary, some defanged), and as a
 * canonical list (`inds`) to test the clustering core without the
 * extractors.
 */
#ifndef TSG_TEST_WORLD_H
#define TSG_TEST_WORLD_H

#include <stdbool.h>
#include <stddef.h>

#define WORLD_MAX_INDS 12

typedef struct world_ind {
	int kind;            /* tsg_indicator_kind */
	char value[128];
	char detail[24];
	char host[96];
	char domain[96];
	unsigned flags;
} world_ind;

typedef struct world_report {
	char id[24];
	long long t;
	const char *channel, *lang, *country, *currency, *brand;
	double loss;
	char *content;       /* NULL when built without text */
	world_ind inds[WORLD_MAX_INDS];
	int ninds;
	int truth;           /* center index */
} world_report;

typedef struct world {
	world_report *r;
	size_t n;
	int ncenters;
	size_t n_typos, n_recycled, n_official, n_hub, n_block;
} world;

/* Builds a world of `ncenters` centers and `nvictims` reports from `seed`.
 * NULL on ENOMEM. */
world *world_make(int ncenters, size_t nvictims, unsigned long long seed,
                  bool with_text);
void world_free(world *w);

/* Writes the world as report JSONL (docs/store.md) to path; false on I/O
 * error.  Needs with_text. */
bool world_write_jsonl(const world *w, const char *path);

/* Purity and adjusted Rand index of a partition (label per report) against
 * the truth. */
void world_score(const world *w, const unsigned *label, double *purity,
                 double *ari);

#endif
