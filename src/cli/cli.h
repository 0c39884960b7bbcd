/*
 * cli.h - the tsguard command: shared helpers and the subcommands, one file
 * each.  The CLI is a thin shell: it parses options, reads files and prints;
 * everything it decides comes from the library.
 */
#ifndef TSGI_CLI_H
#define TSGI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tsguard.h"

/* Exit codes (as clamscan): 0 clean, 1 found, 2 error. */
#define TSGI_EXIT_CLEAN 0
#define TSGI_EXIT_FOUND 1
#define TSGI_EXIT_ERROR 2

/* Options every engine-using command accepts. */
typedef struct tsgi_engine_opts {
	const char *data_dir;   /* --data DIR */
	const char *rules[16];  /* --rules PATH (repeatable) */
	size_t nrules;
	const char *model;      /* --model FILE, "" for none */
} tsgi_engine_opts;

/* If argv[*i] is an engine option, consumes it (and its value) and returns
 * true; on a missing value prints an error and sets *bad. */
bool tsgi_cli_engine_opt(int argc, char **argv, int *i, tsgi_engine_opts *o,
                         bool *bad);

/* Opens the engine of `o` into *out, or prints why to stderr and returns
 * the engine's status (*out NULL).  The service shells reload with it too. */
tsg_status tsgi_cli_engine_open(const tsgi_engine_opts *o, tsg_engine **out);

/* The same, returning the engine or NULL. */
tsg_engine *tsgi_cli_engine(const tsgi_engine_opts *o);

/* Reads a whole file ("-" is stdin) up to `max` bytes into a malloc'ed
 * buffer.  On a larger file reads `max` bytes and sets *truncated.
 * Returns NULL with errno set on failure. */
char *tsgi_cli_read(const char *path, size_t max, size_t *len, bool *truncated);

/* Reads one line of at most TSG_MAX_LINE bytes from `f`.  Returns 1 with
 * *line set (malloc'ed, without the newline or a trailing CR; caller frees),
 * 2 for a line over the limit (consumed and skipped, *line NULL), 0 at end
 * of input.  Adds the bytes consumed to *consumed when it is not NULL. */
int tsgi_cli_read_line(FILE *f, char **line, size_t *len, size_t *consumed);

/* Prints "tsguard CMD: message" to stderr. */
/* A score for people to read: two decimals, cut rather than rounded, so
 * the figure never crosses a threshold the class did not ("suspicious,
 * score 0.69", not 0.70 for a score of 0.699). */
double tsgi_cli_score2(double score);

void tsgi_cli_err(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* `scan --stream`: call turns one per line on `path`; alerts as they come,
 * as JSON lines when `json`.  (cmd_stream.c) */
int tsgi_scan_stream(tsg_engine *e, tsg_contact contact, const char *lang,
                     const char *region, const char *path, bool json);

int tsgi_cmd_scan(int argc, char **argv);
int tsgi_cmd_extract(int argc, char **argv);
int tsgi_cmd_rules(int argc, char **argv);
int tsgi_cmd_brands(int argc, char **argv);
int tsgi_cmd_ingest(int argc, char **argv);
int tsgi_cmd_campaigns(int argc, char **argv);
int tsgi_cmd_lookup(int argc, char **argv);
int tsgi_cmd_export(int argc, char **argv);
int tsgi_cmd_casefile(int argc, char **argv);
int tsgi_cmd_train(int argc, char **argv);
int tsgi_cmd_eval(int argc, char **argv);
int tsgi_cmd_serve(int argc, char **argv);
int tsgi_cmd_milter(int argc, char **argv);


#endif
