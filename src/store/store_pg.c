/*
 * store_pg.c - the PostgreSQL backend (libpq).
 *
 * The same tables as the SQLite backend (docs/store.md), in the database
 * named by the connection string.  The schema version lives in
 * tsg_meta('schema'); migrate() runs under a transaction-scoped advisory
 * lock so that two processes opening a new database at once do not race.
 * Inserts use ON CONFLICT (id) DO NOTHING, so two ingesters may run at once
 * and a report sent twice is stored once.  Large reads use single-row mode
 * so that a million reports do not have to fit in one PGresult.
 *
 * The lookup summaries (summary.c) are written in the transaction of the
 * rows they summarise: lookup_stats by INSERT ... ON CONFLICT DO UPDATE
 * with relative updates (items = items + ...), so concurrent ingesters
 * add up instead of overwriting each other, in key order, so that they
 * lock rows in the same order and cannot deadlock; the campaign summaries
 * by save_assign, which takes an advisory lock so that two saves (which
 * compute deltas from `assign`) run one after the other.  Ingest never
 * writes the campaign summaries and saves never write lookup_stats.
 */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "store_int.h"
#include "tsguard_limits.h"

typedef struct pg_store {
	tsgi_store base;
	PGconn *conn;
	tsgi_sum *sum; /* lookup_stats deltas of the batch being added */
} pg_store;

/* Advisory lock keys: migrations ("tsguard" as an integer) and campaign
 * saves. */
#define TSGI_PG_MIGRATE_LOCK "7630829178553954"
#define TSGI_PG_ASSIGN_LOCK "7630829178553955"

/* Rows per statement when sending arrays (assignments, summary rows). */
#define PG_ASSIGN_CHUNK 20000

static const char *const schema_v1[] = {
	"CREATE TABLE IF NOT EXISTS reports("
	" seq BIGSERIAL PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" t BIGINT NOT NULL,"
	" received_at TEXT, channel TEXT, contact TEXT, sender TEXT,"
	" country TEXT, loss DOUBLE PRECISION, currency TEXT, brands TEXT,"
	" category TEXT, score DOUBLE PRECISION, content TEXT, raw TEXT)",
	"CREATE TABLE IF NOT EXISTS indicators("
	" report_seq BIGINT NOT NULL REFERENCES reports(seq),"
	" kind TEXT NOT NULL, value TEXT NOT NULL, vkey TEXT NOT NULL,"
	" detail TEXT, host TEXT, domain TEXT, brand TEXT,"
	" flags INTEGER NOT NULL, start BIGINT, stop BIGINT, t BIGINT NOT NULL)",
	"CREATE INDEX IF NOT EXISTS ind_report ON indicators(report_seq)",
	"CREATE INDEX IF NOT EXISTS ind_vkey ON indicators(vkey)",
	"CREATE INDEX IF NOT EXISTS ind_host ON indicators(host)",
	"CREATE INDEX IF NOT EXISTS ind_domain ON indicators(domain)",
	"CREATE TABLE IF NOT EXISTS assign("
	" report_seq BIGINT PRIMARY KEY, campaign TEXT NOT NULL)",
	"CREATE INDEX IF NOT EXISTS assign_campaign ON assign(campaign)",
	"CREATE TABLE IF NOT EXISTS hubs(key TEXT PRIMARY KEY)",
	NULL,
};

/* Version 2: the lookup summaries (summary.c, docs/store.md). */
static const char *const schema_v2[] = {
	"CREATE TABLE IF NOT EXISTS lookup_stats("
	" key TEXT PRIMARY KEY, items BIGINT NOT NULL,"
	" first_t BIGINT NOT NULL, last_t BIGINT NOT NULL,"
	" with_host BIGINT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS lookup_campaigns("
	" key TEXT NOT NULL, campaign TEXT NOT NULL, items BIGINT NOT NULL,"
	" PRIMARY KEY(key, campaign))",
	"CREATE TABLE IF NOT EXISTS lookup_clustered("
	" key TEXT PRIMARY KEY, items BIGINT NOT NULL, campaigns BIGINT NOT NULL)",
	NULL,
};

/* Working tables of save_assign (tsgi_sum_sql_assign), per connection. */
static const char *const sql_temp[] = {
	"CREATE TEMP TABLE IF NOT EXISTS tsg_new_assign("
	" report_seq BIGINT PRIMARY KEY, campaign TEXT NOT NULL, old_c TEXT)",
	"CREATE TEMP TABLE IF NOT EXISTS tsg_assign_delta("
	" key TEXT NOT NULL, campaign TEXT NOT NULL, d BIGINT NOT NULL,"
	" PRIMARY KEY(key, campaign))",
	NULL,
};

static tsg_status pg_fail(pg_store *p, const char *what, PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : "";
	if (!msg || !*msg)
		msg = PQerrorMessage(p->conn);
	tsgi_store_seterr(&p->base, "postgresql: %s: %s", what, msg);
	/* Trim libpq's trailing newline. */
	size_t n = strlen(p->base.errmsg);
	while (n && (p->base.errmsg[n - 1] == '\n' || p->base.errmsg[n - 1] == ' '))
		p->base.errmsg[--n] = '\0';
	if (res)
		PQclear(res);
	return PQstatus(p->conn) == CONNECTION_OK ? TSG_ESTORE : TSG_EUNAVAIL;
}

/* Runs a command without parameters; false (with errmsg) on failure. */
static bool pg_cmd(pg_store *p, const char *sql)
{
	PGresult *res = PQexec(p->conn, sql);
	ExecStatusType es = PQresultStatus(res);
	if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK) {
		pg_fail(p, sql, res);
		return false;
	}
	PQclear(res);
	return true;
}

/* Runs a command with text parameters; TSG_OK, or pg_fail()'s status
 * with `what` in errmsg. */
static tsg_status pg_cmd_params(pg_store *p, const char *sql, int n,
                                const char *const *v, const char *what)
{
	PGresult *res = PQexecParams(p->conn, sql, n, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return pg_fail(p, what, res);
	PQclear(res);
	return TSG_OK;
}

static void pg_rollback(pg_store *p)
{
	if (PQtransactionStatus(p->conn) != PQTRANS_IDLE)
		PQclear(PQexec(p->conn, "ROLLBACK"));
}

static bool pg_cmd_all(pg_store *p, const char *const *sql)
{
	for (size_t i = 0; sql[i]; i++)
		if (!pg_cmd(p, sql[i]))
			return false;
	return true;
}

/* Appends `s` as one element of a PostgreSQL array literal. */
static void arr_elem(tsgi_buf *b, const char *s, bool first)
{
	if (!first)
		tsgi_buf_addc(b, ',');
	tsgi_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			tsgi_buf_addc(b, '\\');
		tsgi_buf_addc(b, *s);
	}
	tsgi_buf_addc(b, '"');
}

/* Writes the accumulated lookup_stats deltas (key order, PG_ASSIGN_CHUNK
 * rows per statement) and empties the accumulator.  TSG_OK or the
 * failure's status (errmsg set). */
static tsg_status pg_flush_stats(pg_store *p, tsgi_sum *m)
{
	const tsgi_sum_row *rows;
	size_t n;
	tsg_status st = TSG_ESTORE;
	if (!tsgi_sum_finish(m, &rows, &n)) {
		tsgi_store_seterr(&p->base, "postgresql: out of memory");
		return TSG_ENOMEM;
	}
	tsgi_buf a[5];
	for (int c = 0; c < 5; c++)
		tsgi_buf_init(&a[c], (size_t)1 << 30);
	for (size_t i = 0; i < n; i += PG_ASSIGN_CHUNK) {
		size_t end = i + PG_ASSIGN_CHUNK < n ? i + PG_ASSIGN_CHUNK : n;
		for (int c = 0; c < 5; c++) {
			tsgi_buf_reset(&a[c]);
			tsgi_buf_addc(&a[c], '{');
		}
		for (size_t j = i; j < end; j++) {
			const char *sep = j > i ? "," : "";
			arr_elem(&a[0], rows[j].key, j == i);
			tsgi_buf_printf(&a[1], "%s%lld", sep, rows[j].items);
			tsgi_buf_printf(&a[2], "%s%lld", sep, rows[j].first);
			tsgi_buf_printf(&a[3], "%s%lld", sep, rows[j].last);
			tsgi_buf_printf(&a[4], "%s%lld", sep, rows[j].with_host);
		}
		bool failed = false;
		for (int c = 0; c < 5; c++)
			failed |= !tsgi_buf_addc(&a[c], '}') || a[c].failed;
		if (failed) {
			tsgi_store_seterr(&p->base, "postgresql: out of memory");
			st = TSG_ENOMEM;
			goto out;
		}
		const char *v[5] = {a[0].s, a[1].s, a[2].s, a[3].s, a[4].s};
		st = pg_cmd_params(
			p,
			"INSERT INTO lookup_stats(key, items, first_t, last_t, with_host)"
			" SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[],"
			" $4::bigint[], $5::bigint[])"
			" ON CONFLICT (key) DO UPDATE SET"
			" items = lookup_stats.items + excluded.items,"
			" first_t = LEAST(lookup_stats.first_t, excluded.first_t),"
			" last_t = GREATEST(lookup_stats.last_t, excluded.last_t),"
			" with_host = lookup_stats.with_host + excluded.with_host",
			5, v, "updating lookup_stats");
		if (st != TSG_OK)
			goto out;
	}
	tsgi_sum_reset(m);
	st = TSG_OK;
out:
	for (int c = 0; c < 5; c++)
		tsgi_buf_free(&a[c]);
	return st;
}

/* Schema 2 on a database of schema 1: lookup_stats from every indicator
 * row, through the same accumulator as ingest (read with a cursor, written
 * every TSG_MAX_INGEST_BATCH reports), then the campaign summaries from
 * `assign`.  Runs inside the migration's transaction. */
static bool backfill(pg_store *p)
{
	tsgi_sum *m = tsgi_sum_new();
	if (!m) {
		tsgi_store_seterr(&p->base, "postgresql: out of memory");
		return false;
	}
	bool ok = false, in_report = false;
	char cur[32] = "";
	if (!pg_cmd(p, "DECLARE tsg_fill NO SCROLL CURSOR FOR"
	               " SELECT report_seq, kind, value, vkey, host, domain, t"
	               " FROM indicators ORDER BY report_seq"))
		goto out;
	for (;;) {
		PGresult *res = PQexec(p->conn, "FETCH FORWARD 10000 FROM tsg_fill");
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			pg_fail(p, "back-filling lookup_stats", res);
			goto out;
		}
		int rows = PQntuples(res);
		for (int i = 0; i < rows; i++) {
			const char *seq = PQgetvalue(res, i, 0);
			if (in_report && strcmp(seq, cur)) {
				in_report = false;
				if (!tsgi_sum_report_end(m)) {
					PQclear(res);
					goto nomem;
				}
				if (tsgi_sum_nreports(m) >= TSG_MAX_INGEST_BATCH &&
				    pg_flush_stats(p, m) != TSG_OK) {
					PQclear(res);
					goto out;
				}
			}
			tsgi_sum_ind d = {
				.kind = tsg_indicator_kind_parse(PQgetvalue(res, i, 1)),
				.value = PQgetvalue(res, i, 2),
				.vkey = PQgetvalue(res, i, 3),
				.host = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4),
				.domain = PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5),
				.t = strtoll(PQgetvalue(res, i, 6), NULL, 10),
			};
			/* Lookups skip rows of kinds this build does not know. */
			if (d.kind < 0)
				continue;
			snprintf(cur, sizeof cur, "%s", seq);
			in_report = true;
			if (!tsgi_sum_ind_add(m, &d)) {
				PQclear(res);
				goto nomem;
			}
		}
		PQclear(res);
		if (rows == 0)
			break;
	}
	if (in_report && !tsgi_sum_report_end(m))
		goto nomem;
	if (pg_flush_stats(p, m) != TSG_OK || !pg_cmd(p, "CLOSE tsg_fill") ||
	    !pg_cmd_all(p, tsgi_sum_sql_backfill))
		goto out;
	ok = true;
	goto out;
nomem:
	tsgi_store_seterr(&p->base, "postgresql: out of memory");
out:
	tsgi_sum_free(m);
	return ok;
}

static bool migrate(pg_store *p)
{
	if (!pg_cmd(p, "BEGIN") ||
	    !pg_cmd(p, "SELECT pg_advisory_xact_lock(" TSGI_PG_MIGRATE_LOCK ")") ||
	    !pg_cmd(p, "CREATE TABLE IF NOT EXISTS tsg_meta(k TEXT PRIMARY KEY,"
	               " v TEXT NOT NULL)"))
		goto fail;
	PGresult *res = PQexec(p->conn, "SELECT v FROM tsg_meta WHERE k='schema'");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_fail(p, "reading the schema version", res);
		goto fail;
	}
	long v = 0;
	if (PQntuples(res) == 1)
		v = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (v > TSGI_STORE_SCHEMA) {
		tsgi_store_seterr(&p->base,
		                  "postgresql: database schema %ld is newer than this "
		                  "tsguard (%d)",
		                  v, TSGI_STORE_SCHEMA);
		goto fail;
	}
	if (v < 1 && !pg_cmd_all(p, schema_v1))
		goto fail;
	if (v < 2 && (!pg_cmd_all(p, schema_v2) || !backfill(p)))
		goto fail;
	if (v != TSGI_STORE_SCHEMA) {
		char sql[160];
		snprintf(sql, sizeof sql,
		         "INSERT INTO tsg_meta(k, v) VALUES('schema', '%d')"
		         " ON CONFLICT (k) DO UPDATE SET v = excluded.v",
		         TSGI_STORE_SCHEMA);
		if (!pg_cmd(p, sql))
			goto fail;
	}
	if (!pg_cmd(p, "COMMIT"))
		goto fail;
	return true;
fail:
	pg_rollback(p);
	return false;
}

static void pgs_close(tsgi_store *s)
{
	pg_store *p = (pg_store *)s;
	PQfinish(p->conn);
	tsgi_sum_free(p->sum);
	free(p);
}

static tsg_status pgs_add(tsgi_store *s, const tsgi_sreport *reps, size_t n,
                          size_t *added)
{
	pg_store *p = (pg_store *)s;
	size_t nadded = 0;
	tsg_status st = TSG_ESTORE;
	tsgi_sum_reset(p->sum);
	if (!pg_cmd(p, "BEGIN"))
		return PQstatus(p->conn) == CONNECTION_OK ? TSG_ESTORE : TSG_EUNAVAIL;
	for (size_t i = 0; i < n; i++) {
		const tsgi_sreport *r = &reps[i];
		char t[32], loss[64], score[64];
		snprintf(t, sizeof t, "%lld", r->t);
		snprintf(loss, sizeof loss, "%.17g", r->loss);
		snprintf(score, sizeof score, "%.17g", r->score);
		const char *v[14] = {r->id,      t,          r->received_at, r->channel,
		                     r->contact, r->sender,  r->country,
		                     r->currency ? loss : NULL,
		                     r->currency, r->brands, r->category, score,
		                     r->content, r->raw};
		PGresult *res = PQexecParams(
			p->conn,
			"INSERT INTO reports(id, t, received_at, channel, contact, sender,"
			" country, loss, currency, brands, category, score, content, raw)"
			" VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)"
			" ON CONFLICT (id) DO NOTHING RETURNING seq",
			14, NULL, v, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			st = pg_fail(p, "inserting a report", res);
			goto fail;
		}
		if (PQntuples(res) == 0) {
			PQclear(res);
			continue; /* already stored */
		}
		char seq[32];
		snprintf(seq, sizeof seq, "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		nadded++;
		for (size_t j = 0; j < r->n_inds; j++) {
			const tsgi_sind *d = &r->inds[j];
			char vkey[TSG_MAX_URL + 64], flags[16], start[32], end[32];
			tsgi_store_vkey(d->kind, d->value, vkey, sizeof vkey);
			snprintf(flags, sizeof flags, "%u", d->flags);
			snprintf(start, sizeof start, "%lld", d->start);
			snprintf(end, sizeof end, "%lld", d->end);
			const char *iv[12] = {
				seq,       tsg_indicator_kind_name((tsg_indicator_kind)d->kind),
				d->value,  vkey,
				d->detail, d->host,
				d->domain, d->brand,
				flags,     start,
				end,       t};
			st = pg_cmd_params(p,
			                   "INSERT INTO indicators(report_seq, kind, value,"
			                   " vkey, detail, host, domain, brand, flags, start,"
			                   " stop, t) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,"
			                   "$11,$12)",
			                   12, iv, "inserting an indicator");
			if (st != TSG_OK)
				goto fail;
		}
		/* Only reports inserted now are summarised: one sent twice, or
		 * by two ingesters at once, is counted by the one that stored
		 * it. */
		if (!tsgi_sum_add_report(p->sum, r)) {
			tsgi_store_seterr(&p->base, "postgresql: out of memory");
			st = TSG_ENOMEM;
			goto fail;
		}
	}
	if ((st = pg_flush_stats(p, p->sum)) != TSG_OK)
		goto fail;
	st = TSG_ESTORE;
	if (!pg_cmd(p, "COMMIT"))
		goto fail;
	*added = nadded;
	return TSG_OK;
fail:
	pg_rollback(p);
	tsgi_sum_reset(p->sum);
	return st;
}

static tsg_status pgs_count(tsgi_store *s, long long *n)
{
	pg_store *p = (pg_store *)s;
	PGresult *res = PQexec(p->conn, "SELECT COUNT(*) FROM reports");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail(p, "count", res);
	*n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return TSG_OK;
}

static const char *val(PGresult *res, int c)
{
	return PQgetisnull(res, 0, c) ? NULL : PQgetvalue(res, 0, c);
}

/* Runs a query in single-row mode and calls row() per row until it returns
 * non-zero; drains the rest.  The params are text. */
static tsg_status pg_stream(pg_store *p, const char *sql, int nparams,
                            const char *const *params,
                            int (*row)(void *ctx, PGresult *res), void *ctx,
                            const char *what)
{
	if (!PQsendQueryParams(p->conn, sql, nparams, NULL, params, NULL, NULL, 0))
		return pg_fail(p, what, NULL);
	PQsetSingleRowMode(p->conn);
	tsg_status st = TSG_OK;
	bool stop = false;
	PGresult *res;
	while ((res = PQgetResult(p->conn)) != NULL) {
		ExecStatusType es = PQresultStatus(res);
		if (es == PGRES_SINGLE_TUPLE) {
			if (!stop && row(ctx, res))
				stop = true;
			PQclear(res);
		} else if (es == PGRES_TUPLES_OK || es == PGRES_COMMAND_OK) {
			PQclear(res);
		} else {
			if (st == TSG_OK)
				st = pg_fail(p, what, res);
			else
				PQclear(res);
		}
	}
	return st;
}

struct rep_ctx {
	tsgi_report_cb cb;
	void *ctx;
};

static int rep_row(void *ctx, PGresult *res)
{
	struct rep_ctx *c = ctx;
	tsgi_sreport r = {0};
	r.seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	r.id = PQgetvalue(res, 0, 1);
	r.t = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
	r.received_at = val(res, 3);
	r.channel = val(res, 4);
	r.contact = val(res, 5);
	r.sender = val(res, 6);
	r.country = val(res, 7);
	r.loss = val(res, 8) ? strtod(val(res, 8), NULL) : 0;
	r.currency = val(res, 9);
	r.brands = val(res, 10);
	r.category = val(res, 11);
	r.score = val(res, 12) ? strtod(val(res, 12), NULL) : -1;
	r.content = val(res, 13);
	r.raw = val(res, 14);
	r.campaign = val(res, 15);
	return c->cb(c->ctx, &r);
}

static tsg_status pgs_each_report(tsgi_store *s, unsigned flags,
                                  const char *id, const char *campaign,
                                  tsgi_report_cb cb, void *ctx)
{
	pg_store *p = (pg_store *)s;
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "SELECT r.seq, r.id, r.t, r.received_at, r.channel, r.contact,"
	         " r.sender, r.country, r.loss, r.currency, r.brands, r.category,"
	         " r.score, %s, %s, a.campaign FROM reports r"
	         " LEFT JOIN assign a ON a.report_seq = r.seq %s ORDER BY r.seq",
	         flags & TSGI_READ_CONTENT ? "r.content" : "NULL",
	         flags & TSGI_READ_RAW ? "r.raw" : "NULL",
	         id ? "WHERE r.id = $1" : campaign ? "WHERE a.campaign = $1" : "");
	const char *param = id ? id : campaign;
	struct rep_ctx c = {cb, ctx};
	return pg_stream(p, sql, param ? 1 : 0, param ? &param : NULL, rep_row, &c,
	                 "reading reports");
}

struct ind_ctx {
	tsgi_ind_cb cb;
	void *ctx;
};

static int ind_row(void *ctx, PGresult *res)
{
	struct ind_ctx *c = ctx;
	tsgi_sind d = {0};
	d.kind = tsg_indicator_kind_parse(PQgetvalue(res, 0, 1));
	d.value = PQgetvalue(res, 0, 2);
	if (d.kind < 0)
		return 0;
	d.detail = val(res, 3);
	d.host = val(res, 4);
	d.domain = val(res, 5);
	d.brand = val(res, 6);
	d.flags = (unsigned)strtoul(PQgetvalue(res, 0, 7), NULL, 10);
	d.start = val(res, 8) ? strtoll(val(res, 8), NULL, 10) : -1;
	d.end = val(res, 9) ? strtoll(val(res, 9), NULL, 10) : -1;
	return c->cb(c->ctx, strtoll(PQgetvalue(res, 0, 0), NULL, 10), &d);
}

static tsg_status pgs_each_indicator(tsgi_store *s, tsgi_ind_cb cb, void *ctx)
{
	struct ind_ctx c = {cb, ctx};
	return pg_stream((pg_store *)s,
	                 "SELECT report_seq, kind, value, detail, host, domain, brand,"
	                 " flags, start, stop FROM indicators ORDER BY report_seq",
	                 0, NULL, ind_row, &c, "reading indicators");
}

/* Assignments go to tsg_new_assign first; tsgi_sum_sql_assign then moves
 * the campaign summaries of the reports that change campaign and writes
 * `assign`, all in this transaction, under TSGI_PG_ASSIGN_LOCK. */
static tsg_status pgs_save_assign(tsgi_store *s, const tsgi_assign *a, size_t n,
                                  bool replace_all, const char *const *hubs,
                                  size_t n_hubs)
{
	pg_store *p = (pg_store *)s;
	tsg_status st = TSG_ESTORE;
	tsgi_buf seqs, camps;
	tsgi_buf_init(&seqs, (size_t)1 << 30);
	tsgi_buf_init(&camps, (size_t)1 << 30);
	if (!pg_cmd(p, "BEGIN") ||
	    !pg_cmd(p, "SELECT pg_advisory_xact_lock(" TSGI_PG_ASSIGN_LOCK ")") ||
	    !pg_cmd_all(p, sql_temp) || !pg_cmd(p, "DELETE FROM tsg_new_assign") ||
	    (replace_all && !pg_cmd_all(p, tsgi_sum_sql_unassign_all)) ||
	    !pg_cmd(p, "DELETE FROM hubs"))
		goto fail;
	for (size_t i = 0; i < n; i += PG_ASSIGN_CHUNK) {
		size_t end = i + PG_ASSIGN_CHUNK < n ? i + PG_ASSIGN_CHUNK : n;
		tsgi_buf_reset(&seqs);
		tsgi_buf_reset(&camps);
		tsgi_buf_addc(&seqs, '{');
		tsgi_buf_addc(&camps, '{');
		for (size_t j = i; j < end; j++) {
			tsgi_buf_printf(&seqs, "%s%lld", j > i ? "," : "", a[j].seq);
			arr_elem(&camps, a[j].campaign, j == i);
		}
		tsgi_buf_addc(&seqs, '}');
		tsgi_buf_addc(&camps, '}');
		if (seqs.failed || camps.failed) {
			tsgi_store_seterr(&p->base, "postgresql: out of memory");
			st = TSG_ENOMEM;
			goto fail;
		}
		const char *v[2] = {seqs.s, camps.s};
		st = pg_cmd_params(
			p,
			"INSERT INTO tsg_new_assign(report_seq, campaign)"
			" SELECT * FROM unnest($1::bigint[], $2::text[])"
			" ON CONFLICT (report_seq) DO UPDATE SET campaign = excluded.campaign",
			2, v, "saving campaigns");
		if (st != TSG_OK)
			goto fail;
	}
	if (n_hubs) {
		tsgi_buf_reset(&camps);
		tsgi_buf_addc(&camps, '{');
		for (size_t j = 0; j < n_hubs; j++)
			arr_elem(&camps, hubs[j], j == 0);
		tsgi_buf_addc(&camps, '}');
		if (camps.failed) {
			tsgi_store_seterr(&p->base, "postgresql: out of memory");
			st = TSG_ENOMEM;
			goto fail;
		}
		const char *v[1] = {camps.s};
		st = pg_cmd_params(p,
		                   "INSERT INTO hubs(key) SELECT DISTINCT"
		                   " unnest($1::text[]) ON CONFLICT DO NOTHING",
		                   1, v, "saving hubs");
		if (st != TSG_OK)
			goto fail;
	}
	st = TSG_ESTORE;
	if (!pg_cmd_all(p, tsgi_sum_sql_assign) || !pg_cmd(p, "COMMIT"))
		goto fail;
	tsgi_buf_free(&seqs);
	tsgi_buf_free(&camps);
	return TSG_OK;
fail:
	pg_rollback(p);
	tsgi_buf_free(&seqs);
	tsgi_buf_free(&camps);
	return st;
}

struct hub_ctx {
	tsgi_str_cb cb;
	void *ctx;
};

static int hub_row(void *ctx, PGresult *res)
{
	struct hub_ctx *c = ctx;
	return c->cb(c->ctx, PQgetvalue(res, 0, 0));
}

static tsg_status pgs_each_hub(tsgi_store *s, tsgi_str_cb cb, void *ctx)
{
	struct hub_ctx c = {cb, ctx};
	return pg_stream((pg_store *)s, "SELECT key FROM hubs ORDER BY key", 0, NULL,
	                 hub_row, &c, "reading hubs");
}

static tsg_status pgs_lookup(tsgi_store *s, const char *const *keys, size_t n,
                             tsgi_lookup_cb cb, void *ctx)
{
	pg_store *p = (pg_store *)s;
	for (size_t k = 0; k < n; k++) {
		PGresult *res = PQexecPrepared(p->conn, "tsg_lookup", 1, &keys[k], NULL,
		                               NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			return pg_fail(p, "lookup", res);
		int rows = PQntuples(res);
		for (int i = 0; i < rows; i++) {
			tsgi_lookup_row row = {
				.campaign = PQgetisnull(res, i, 0) ? NULL : PQgetvalue(res, i, 0),
				.reports = strtoll(PQgetvalue(res, i, 1), NULL, 10),
				.first = strtoll(PQgetvalue(res, i, 2), NULL, 10),
				.last = strtoll(PQgetvalue(res, i, 3), NULL, 10),
				.kind = tsg_indicator_kind_parse(PQgetvalue(res, i, 4)),
				.value = PQgetvalue(res, i, 5),
			};
			if (row.kind >= 0 && cb(ctx, &row))
				break;
		}
		PQclear(res);
	}
	return TSG_OK;
}

static tsg_status pgs_key_stats(tsgi_store *s, const char *key,
                                tsgi_key_stats *out)
{
	pg_store *p = (pg_store *)s;
	PGresult *res =
		PQexecPrepared(p->conn, "tsg_key_stats", 1, &key, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail(p, "lookup", res);
	if (PQntuples(res) == 1) {
		long long *f[6] = {&out->items,     &out->first,     &out->last,
		                   &out->with_host, &out->clustered, &out->campaigns};
		for (int c = 0; c < 6; c++)
			*f[c] = PQgetisnull(res, 0, c)
			            ? 0
			            : strtoll(PQgetvalue(res, 0, c), NULL, 10);
	}
	PQclear(res);
	return TSG_OK;
}

static tsg_status pgs_key_campaigns(tsgi_store *s, const char *key,
                                    size_t limit, tsgi_str_cb cb, void *ctx)
{
	pg_store *p = (pg_store *)s;
	char lim[32];
	snprintf(lim, sizeof lim, "%zu", limit);
	const char *v[2] = {key, limit ? lim : NULL}; /* LIMIT NULL: all */
	PGresult *res =
		PQexecPrepared(p->conn, "tsg_key_camps", 2, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail(p, "lookup", res);
	int rows = PQntuples(res);
	for (int i = 0; i < rows; i++)
		if (cb(ctx, PQgetvalue(res, i, 0)))
			break;
	PQclear(res);
	return TSG_OK;
}

static tsg_status pgs_wipe(tsgi_store *s)
{
	pg_store *p = (pg_store *)s;
	if (!pg_cmd(p, "TRUNCATE indicators, assign, hubs, reports, lookup_stats,"
	               " lookup_campaigns, lookup_clustered RESTART IDENTITY"))
		return TSG_ESTORE;
	return TSG_OK;
}

/* The lookups, prepared on every connection. */
static const struct {
	const char *name, *sql;
	int nparams;
} pg_prepared[] = {
	{"tsg_lookup",
	 "SELECT a.campaign, COUNT(DISTINCT i.report_seq), MIN(i.t), MAX(i.t),"
	 " i.kind, i.value FROM indicators i"
	 " LEFT JOIN assign a ON a.report_seq = i.report_seq"
	 " WHERE i.vkey = $1 OR i.host = $1 OR i.domain = $1"
	 " GROUP BY a.campaign, i.kind, i.value",
	 1},
	{"tsg_key_stats",
	 "SELECT s.items, s.first_t, s.last_t, s.with_host, c.items,"
	 " c.campaigns FROM lookup_stats s"
	 " LEFT JOIN lookup_clustered c ON c.key = s.key"
	 " WHERE s.key = $1",
	 1},
	{"tsg_key_camps",
	 "SELECT campaign FROM lookup_campaigns WHERE key = $1"
	 " ORDER BY campaign LIMIT $2::bigint",
	 2},
};

/* What a connection needs before use, at open (which also migrates the
 * schema) and after a reconnect: quiet notices and the prepared lookups. */
static bool session_setup(pg_store *p, bool do_migrate)
{
	PQclear(PQexec(p->conn, "SET client_min_messages = warning"));
	if (do_migrate && !migrate(p))
		return false;
	for (size_t i = 0; i < sizeof pg_prepared / sizeof pg_prepared[0]; i++) {
		PGresult *res = PQprepare(p->conn, pg_prepared[i].name,
		                          pg_prepared[i].sql, pg_prepared[i].nparams,
		                          NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			pg_fail(p, "preparing the lookup", res);
			return false;
		}
		PQclear(res);
	}
	return true;
}

/* Reconnects a connection the server closed (a restart, a fail-over), so
 * that a long-lived handle recovers by itself.  libpq notices a closed
 * connection only when it next reads: an idle connection has nothing to
 * read unless the server sent its last words (a FATAL notice) and hung
 * up, so while the socket is readable, read (without waiting).  Called
 * between operations only. */
static tsg_status pgs_ready(tsgi_store *s)
{
	pg_store *p = (pg_store *)s;
	struct pollfd pfd = {.fd = PQsocket(p->conn), .events = POLLIN};
	for (int k = 0; k < 4 && PQstatus(p->conn) == CONNECTION_OK &&
	                PQtransactionStatus(p->conn) == PQTRANS_IDLE &&
	                pfd.fd >= 0 && poll(&pfd, 1, 0) == 1;
	     k++)
		if (!PQconsumeInput(p->conn))
			break;
	if (PQstatus(p->conn) == CONNECTION_OK)
		return TSG_OK;
	PQreset(p->conn);
	if (PQstatus(p->conn) != CONNECTION_OK)
		return pg_fail(p, "reconnecting", NULL);
	return session_setup(p, false) ? TSG_OK : TSG_EUNAVAIL;
}

static const tsgi_store_ops pg_ops = {
	.name = "postgresql",
	.close = pgs_close,
	.ready = pgs_ready,
	.add = pgs_add,
	.count = pgs_count,
	.each_report = pgs_each_report,
	.each_indicator = pgs_each_indicator,
	.save_assign = pgs_save_assign,
	.each_hub = pgs_each_hub,
	.lookup = pgs_lookup,
	.key_stats = pgs_key_stats,
	.key_campaigns = pgs_key_campaigns,
	.wipe = pgs_wipe,
};

tsg_status tsgi_store_pg_open(const char *conninfo, tsgi_store **out,
                              char *err, size_t errlen)
{
	*out = NULL;
	pg_store *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	p->base.ops = &pg_ops;
	p->sum = tsgi_sum_new();
	if (!p->sum) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	p->conn = PQconnectdb(conninfo);
	if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
		snprintf(err, errlen, "postgresql: cannot connect: %s",
		         p->conn ? PQerrorMessage(p->conn) : "out of memory");
		size_t n = strlen(err);
		while (n && err[n - 1] == '\n')
			err[--n] = '\0';
		PQfinish(p->conn);
		tsgi_sum_free(p->sum);
		free(p);
		return TSG_EUNAVAIL;
	}
	if (!session_setup(p, true))
		goto fail;
	*out = &p->base;
	return TSG_OK;
fail:
	snprintf(err, errlen, "%s", p->base.errmsg);
	pgs_close(&p->base);
	return TSG_ESTORE;
}
