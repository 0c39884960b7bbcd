/*
 * auth.c - the bearer token that guards report intake.
 *
 * The token lives in a file (so it stays out of argv and the process list)
 * and is compared in constant time: the loop always runs over the whole
 * stored token and folds differences with OR, so neither the position of
 * the first wrong byte nor the length of the guess shows in the timing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define TOKEN_MAX 4096

char *tsgi_token_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char buf[TOKEN_MAX + 2];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	if (n > TOKEN_MAX) {
		snprintf(err, errlen, "%s: token longer than %d bytes", path,
			 TOKEN_MAX);
		return NULL;
	}
	buf[n] = '\0';
	size_t end = strcspn(buf, "\r\n");
	size_t start = 0;
	while (start < end && (buf[start] == ' ' || buf[start] == '\t'))
		start++;
	while (end > start && (buf[end - 1] == ' ' || buf[end - 1] == '\t'))
		end--;
	if (end - start < 16) {
		snprintf(err, errlen,
			 "%s: the token needs at least 16 characters", path);
		return NULL;
	}
	char *tok = malloc(end - start + 1);
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	memcpy(tok, buf + start, end - start);
	tok[end - start] = '\0';
	return tok;
}

bool tsgi_token_check(const char *token, const char *hdr)
{
	if (!token || !hdr)
		return false;
	static const char scheme[] = "Bearer ";
	if (strncmp(hdr, scheme, sizeof scheme - 1) != 0)
		return false;
	const volatile unsigned char *given =
	    (const unsigned char *)hdr + sizeof scheme - 1;
	const unsigned char *want = (const unsigned char *)token;
	size_t want_len = strlen(token);
	size_t given_len = strlen((const char *)given);
	unsigned diff = (unsigned)(want_len ^ given_len);
	/* Index the guess modulo its length so short guesses cost the same. */
	for (size_t i = 0; i < want_len; i++) {
		unsigned char g = given_len ? given[i % given_len] : 0;
		diff |= (unsigned)(g ^ want[i]);
	}
	return diff == 0;
}
