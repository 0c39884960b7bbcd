/*
 * config.c - the key = value configuration file.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsguard_limits.h"

struct kv {
	char *key, *val;
};

struct tsgi_config {
	struct kv *v;
	size_t n, cap;
};

void tsgi_config_free(tsgi_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].val);
	}
	free(c->v);
	free(c);
}

const char *tsgi_config_str(const tsgi_config *c, const char *key,
                            const char *dflt)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return c->v[i].val;
	return dflt;
}

double tsgi_config_num(const tsgi_config *c, const char *key, double dflt)
{
	const char *s = tsgi_config_str(c, key, NULL);
	if (!s)
		return dflt;
	char *end = NULL;
	errno = 0;
	double v = strtod(s, &end);
	return (errno || end == s || *end) ? dflt : v;
}

const char *tsgi_config_text(const tsgi_config *c, const char *key,
                             const char *lang)
{
	char k[256];
	snprintf(k, sizeof k, "%s.%s", key, lang ? lang : "en");
	const char *v = tsgi_config_str(c, k, NULL);
	if (v)
		return v;
	snprintf(k, sizeof k, "%s.en", key);
	return tsgi_config_str(c, k, NULL);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

size_t tsgi_config_load(const char *path, tsgi_config **out, tsgi_errors *errs)
{
	*out = NULL;
	FILE *f = fopen(path, "r");
	if (!f) {
		tsgi_errors_add(errs, false, path, 0, "cannot open: %s", strerror(errno));
		return 1;
	}
	tsgi_config *c = calloc(1, sizeof *c);
	if (!c) {
		fclose(f);
		tsgi_errors_add(errs, false, path, 0, "out of memory");
		return 1;
	}
	size_t nerr = 0;
	char line[TSG_MAX_RULE_LINE];
	int lineno = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			tsgi_errors_add(errs, false, path, lineno, "line too long");
			nerr++;
			int ch;
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			tsgi_errors_add(errs, false, path, lineno, "expected 'key = value'");
			nerr++;
			continue;
		}
		*eq = '\0';
		char *k = trim(s), *v = trim(eq + 1);
		if (!*k) {
			tsgi_errors_add(errs, false, path, lineno, "empty key");
			nerr++;
			continue;
		}
		if (tsgi_config_str(c, k, NULL)) {
			tsgi_errors_add(errs, false, path, lineno, "key '%s' given twice", k);
			nerr++;
			continue;
		}
		if (c->n == c->cap) {
			size_t ncap = c->cap ? c->cap * 2 : 32;
			struct kv *nv = realloc(c->v, ncap * sizeof *nv);
			if (!nv)
				break;
			c->v = nv;
			c->cap = ncap;
		}
		c->v[c->n].key = strdup(k);
		c->v[c->n].val = strdup(v);
		if (!c->v[c->n].key || !c->v[c->n].val) {
			free(c->v[c->n].key);
			free(c->v[c->n].val);
			break;
		}
		c->n++;
	}
	fclose(f);
	*out = c;
	return nerr;
}
