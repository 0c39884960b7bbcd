/*
 * world_gen - writes a simulated world (world.c) as report JSONL, for the
 * command-line tests and benchmarks:  world_gen CENTERS VICTIMS SEED OUT
 */
#include <stdio.h>
#include <stdlib.h>

#include "world.h"

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: world_gen CENTERS VICTIMS SEED OUT.jsonl\n");
		return 2;
	}
	world *w = world_make((int)strtol(argv[1], NULL, 10),
	                      (size_t)strtoul(argv[2], NULL, 10),
	                      strtoull(argv[3], NULL, 10), true);
	if (!w || !world_write_jsonl(w, argv[4])) {
		fprintf(stderr, "world_gen: cannot write %s\n", argv[4]);
		world_free(w);
		return 2;
	}
	world_free(w);
	return 0;
}
