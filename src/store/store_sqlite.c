/*
 * store_sqlite.c - the embedded backend (SQLite).
 *
 * One database file.  WAL journal so readers never block the writer and a
 * killed writer loses nothing that was committed; synchronous=FULL so a
 * commit also survives power loss.  Writers take the lock up front (BEGIN
 * IMMEDIATE) and wait up to TSGI_SQLITE_BUSY_MS for each other, which is
 * what lets two ingesters run at once.  The schema version lives in
 * PRAGMA user_version; migrate() brings any older file up to
 * TSGI_STORE_SCHEMA inside one transaction.  The lookup summaries
 * (summary.c) are written in the transaction of the rows they summarise:
 * since every writer holds the write lock, their counts cannot be lost.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "tsguard_limits.h"

#define TSGI_SQLITE_BUSY_MS 60000

typedef struct sq_store {
	tsgi_store base;
	sqlite3 *db;
	sqlite3_stmt *ins_report, *ins_ind, *lookup;
	sqlite3_stmt *up_stats, *key_stats, *key_camps;
	tsgi_sum *sum; /* lookup_stats deltas of the batch being added */
} sq_store;

static const char *const schema_v1 =
	"CREATE TABLE IF NOT EXISTS reports("
	" seq INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" t INTEGER NOT NULL,"
	" received_at TEXT, channel TEXT, contact TEXT, sender TEXT,"
	" country TEXT, loss REAL, currency TEXT, brands TEXT,"
	" category TEXT, score REAL, content TEXT, raw TEXT);"
	"CREATE TABLE IF NOT EXISTS indicators("
	" report_seq INTEGER NOT NULL REFERENCES reports(seq),"
	" kind TEXT NOT NULL, value TEXT NOT NULL, vkey TEXT NOT NULL,"
	" detail TEXT, host TEXT, domain TEXT, brand TEXT,"
	" flags INTEGER NOT NULL, start INTEGER, stop INTEGER,"
	" t INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS ind_report ON indicators(report_seq);"
	"CREATE INDEX IF NOT EXISTS ind_vkey ON indicators(vkey);"
	"CREATE INDEX IF NOT EXISTS ind_host ON indicators(host);"
	"CREATE INDEX IF NOT EXISTS ind_domain ON indicators(domain);"
	"CREATE TABLE IF NOT EXISTS assign("
	" report_seq INTEGER PRIMARY KEY, campaign TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS assign_campaign ON assign(campaign);"
	"CREATE TABLE IF NOT EXISTS hubs(key TEXT PRIMARY KEY);";

/* Version 2: the lookup summaries (summary.c, docs/store.md). */
static const char *const schema_v2 =
	"CREATE TABLE IF NOT EXISTS lookup_stats("
	" key TEXT PRIMARY KEY, items INTEGER NOT NULL,"
	" first_t INTEGER NOT NULL, last_t INTEGER NOT NULL,"
	" with_host INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS lookup_campaigns("
	" key TEXT NOT NULL, campaign TEXT NOT NULL, items INTEGER NOT NULL,"
	" PRIMARY KEY(key, campaign)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS lookup_clustered("
	" key TEXT PRIMARY KEY, items INTEGER NOT NULL,"
	" campaigns INTEGER NOT NULL) WITHOUT ROWID;";

/* Adds one tsgi_sum_row to lookup_stats. */
static const char *const sql_up_stats =
	"INSERT INTO lookup_stats(key, items, first_t, last_t, with_host)"
	" VALUES(?1,?2,?3,?4,?5) ON CONFLICT(key) DO UPDATE SET"
	" items = items + excluded.items,"
	" first_t = min(first_t, excluded.first_t),"
	" last_t = max(last_t, excluded.last_t),"
	" with_host = with_host + excluded.with_host";

/* Working tables of save_assign (tsgi_sum_sql_assign), per connection. */
static const char *const sql_temp =
	"CREATE TEMP TABLE IF NOT EXISTS tsg_new_assign("
	" report_seq INTEGER PRIMARY KEY, campaign TEXT NOT NULL, old_c TEXT);"
	"CREATE TEMP TABLE IF NOT EXISTS tsg_assign_delta("
	" key TEXT NOT NULL, campaign TEXT NOT NULL, d INTEGER NOT NULL,"
	" PRIMARY KEY(key, campaign)) WITHOUT ROWID;";

static tsg_status sq_fail(sq_store *q, const char *what)
{
	tsgi_store_seterr(&q->base, "sqlite: %s: %s", what, sqlite3_errmsg(q->db));
	return TSG_ESTORE;
}

static bool sq_exec(sq_store *q, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		tsgi_store_seterr(&q->base, "sqlite: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return false;
	}
	return true;
}

static void sq_rollback(sq_store *q)
{
	if (!sqlite3_get_autocommit(q->db))
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
}

static bool sq_exec_all(sq_store *q, const char *const *sql)
{
	for (size_t i = 0; sql[i]; i++)
		if (!sq_exec(q, sql[i]))
			return false;
	return true;
}

/* Writes the accumulated lookup_stats deltas with `st` (sql_up_stats) and
 * empties the accumulator. */
static bool sq_flush_stats(sq_store *q, tsgi_sum *m, sqlite3_stmt *st)
{
	const tsgi_sum_row *rows;
	size_t n;
	if (!tsgi_sum_finish(m, &rows, &n)) {
		tsgi_store_seterr(&q->base, "sqlite: out of memory");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, rows[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, rows[i].items);
		sqlite3_bind_int64(st, 3, rows[i].first);
		sqlite3_bind_int64(st, 4, rows[i].last);
		sqlite3_bind_int64(st, 5, rows[i].with_host);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sq_fail(q, "updating lookup_stats");
			sqlite3_reset(st);
			return false;
		}
	}
	sqlite3_reset(st);
	tsgi_sum_reset(m);
	return true;
}

/* Schema 2 on a file of schema 1: lookup_stats from every indicator row,
 * through the same accumulator as ingest (TSG_MAX_INGEST_BATCH reports at
 * a time), then the campaign summaries from `assign`.  Runs inside the
 * migration's transaction. */
static bool backfill(sq_store *q)
{
	sqlite3_stmt *rd = NULL, *up = NULL;
	tsgi_sum *m = tsgi_sum_new();
	bool ok = false;
	if (!m) {
		tsgi_store_seterr(&q->base, "sqlite: out of memory");
		return false;
	}
	if (sqlite3_prepare_v2(q->db,
	                       "SELECT report_seq, kind, value, vkey, host, domain, t"
	                       " FROM indicators ORDER BY report_seq",
	                       -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(q->db, sql_up_stats, -1, &up, NULL) != SQLITE_OK) {
		sq_fail(q, "back-filling lookup_stats");
		goto out;
	}
	sqlite3_int64 cur = 0;
	bool in_report = false;
	int rc;
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		sqlite3_int64 seq = sqlite3_column_int64(rd, 0);
		if (in_report && seq != cur) {
			if (!tsgi_sum_report_end(m))
				goto nomem;
			in_report = false;
			if (tsgi_sum_nreports(m) >= TSG_MAX_INGEST_BATCH &&
			    !sq_flush_stats(q, m, up))
				goto out;
		}
		tsgi_sum_ind d = {
			.kind = tsg_indicator_kind_parse((const char *)sqlite3_column_text(rd, 1)),
			.value = (const char *)sqlite3_column_text(rd, 2),
			.vkey = (const char *)sqlite3_column_text(rd, 3),
			.host = (const char *)sqlite3_column_text(rd, 4),
			.domain = (const char *)sqlite3_column_text(rd, 5),
			.t = sqlite3_column_int64(rd, 6),
		};
		/* Lookups skip rows of kinds this build does not know. */
		if (d.kind < 0 || !d.value || !d.vkey)
			continue;
		cur = seq;
		in_report = true;
		if (!tsgi_sum_ind_add(m, &d))
			goto nomem;
	}
	if (rc != SQLITE_DONE) {
		sq_fail(q, "back-filling lookup_stats");
		goto out;
	}
	if (in_report && !tsgi_sum_report_end(m))
		goto nomem;
	if (!sq_flush_stats(q, m, up) || !sq_exec_all(q, tsgi_sum_sql_backfill))
		goto out;
	ok = true;
	goto out;
nomem:
	tsgi_store_seterr(&q->base, "sqlite: out of memory");
out:
	sqlite3_finalize(rd);
	sqlite3_finalize(up);
	tsgi_sum_free(m);
	return ok;
}

static int sq_user_version(sq_store *q)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Brings the schema to TSGI_STORE_SCHEMA.  Each step runs in the same
 * IMMEDIATE transaction as the version bump, so two processes opening a
 * new file at once cannot both migrate. */
static bool migrate(sq_store *q)
{
	if (!sq_exec(q, "BEGIN IMMEDIATE"))
		return false;
	int v = sq_user_version(q);
	if (v < 0) {
		sq_fail(q, "reading user_version");
		goto fail;
	}
	if (v > TSGI_STORE_SCHEMA) {
		tsgi_store_seterr(&q->base,
		                  "sqlite: database schema %d is newer than this "
		                  "tsguard (%d)",
		                  v, TSGI_STORE_SCHEMA);
		goto fail;
	}
	if (v < 1) {
		if (!sq_exec(q, schema_v1))
			goto fail;
	}
	if (v < 2) {
		if (!sq_exec(q, schema_v2) || !backfill(q))
			goto fail;
	}
	/* Future migrations: if (v < 3) { ALTER ... } */
	if (v != TSGI_STORE_SCHEMA) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", TSGI_STORE_SCHEMA);
		if (!sq_exec(q, sql))
			goto fail;
	}
	if (!sq_exec(q, "COMMIT"))
		goto fail;
	return true;
fail:
	sq_rollback(q);
	return false;
}

static void sq_close(tsgi_store *s)
{
	sq_store *q = (sq_store *)s;
	sqlite3_finalize(q->ins_report);
	sqlite3_finalize(q->ins_ind);
	sqlite3_finalize(q->lookup);
	sqlite3_finalize(q->up_stats);
	sqlite3_finalize(q->key_stats);
	sqlite3_finalize(q->key_camps);
	sqlite3_close(q->db);
	tsgi_sum_free(q->sum);
	free(q);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static tsg_status sq_add(tsgi_store *s, const tsgi_sreport *reps, size_t n,
                         size_t *added)
{
	sq_store *q = (sq_store *)s;
	size_t nadded = 0;
	tsgi_sum_reset(q->sum);
	if (!sq_exec(q, "BEGIN IMMEDIATE"))
		return TSG_ESTORE;
	for (size_t i = 0; i < n; i++) {
		const tsgi_sreport *r = &reps[i];
		sqlite3_stmt *st = q->ins_report;
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		bind_text(st, 1, r->id);
		sqlite3_bind_int64(st, 2, r->t);
		bind_text(st, 3, r->received_at);
		bind_text(st, 4, r->channel);
		bind_text(st, 5, r->contact);
		bind_text(st, 6, r->sender);
		bind_text(st, 7, r->country);
		if (r->currency)
			sqlite3_bind_double(st, 8, r->loss);
		bind_text(st, 9, r->currency);
		bind_text(st, 10, r->brands);
		bind_text(st, 11, r->category);
		sqlite3_bind_double(st, 12, r->score);
		bind_text(st, 13, r->content);
		bind_text(st, 14, r->raw);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sq_fail(q, "inserting a report");
			goto fail;
		}
		if (sqlite3_changes(q->db) == 0)
			continue; /* already stored: idempotent */
		nadded++;
		sqlite3_int64 seq = sqlite3_last_insert_rowid(q->db);
		for (size_t j = 0; j < r->n_inds; j++) {
			const tsgi_sind *d = &r->inds[j];
			char vkey[TSG_MAX_URL + 64];
			tsgi_store_vkey(d->kind, d->value, vkey, sizeof vkey);
			sqlite3_stmt *si = q->ins_ind;
			sqlite3_reset(si);
			sqlite3_clear_bindings(si);
			sqlite3_bind_int64(si, 1, seq);
			bind_text(si, 2, tsg_indicator_kind_name((tsg_indicator_kind)d->kind));
			bind_text(si, 3, d->value);
			sqlite3_bind_text(si, 4, vkey, -1, SQLITE_TRANSIENT);
			bind_text(si, 5, d->detail);
			bind_text(si, 6, d->host);
			bind_text(si, 7, d->domain);
			bind_text(si, 8, d->brand);
			sqlite3_bind_int(si, 9, (int)d->flags);
			sqlite3_bind_int64(si, 10, d->start);
			sqlite3_bind_int64(si, 11, d->end);
			sqlite3_bind_int64(si, 12, r->t);
			if (sqlite3_step(si) != SQLITE_DONE) {
				sq_fail(q, "inserting an indicator");
				goto fail;
			}
		}
		/* Only reports stored now are summarised: a report sent twice
		 * is counted once. */
		if (!tsgi_sum_add_report(q->sum, r)) {
			tsgi_store_seterr(&q->base, "sqlite: out of memory");
			goto fail;
		}
	}
	if (!sq_flush_stats(q, q->sum, q->up_stats) || !sq_exec(q, "COMMIT"))
		goto fail;
	*added = nadded;
	return TSG_OK;
fail:
	sq_rollback(q);
	tsgi_sum_reset(q->sum);
	return TSG_ESTORE;
}

static tsg_status sq_count(tsgi_store *s, long long *n)
{
	sq_store *q = (sq_store *)s;
	sqlite3_stmt *st;
	*n = 0;
	if (sqlite3_prepare_v2(q->db, "SELECT COUNT(*) FROM reports", -1, &st,
	                       NULL) != SQLITE_OK)
		return sq_fail(q, "count");
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return TSG_OK;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static tsg_status sq_each_report(tsgi_store *s, unsigned flags, const char *id,
                                 const char *campaign, tsgi_report_cb cb,
                                 void *ctx)
{
	sq_store *q = (sq_store *)s;
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "SELECT r.seq, r.id, r.t, r.received_at, r.channel, r.contact,"
	         " r.sender, r.country, r.loss, r.currency, r.brands, r.category,"
	         " r.score, %s, %s, a.campaign FROM reports r"
	         " LEFT JOIN assign a ON a.report_seq = r.seq %s ORDER BY r.seq",
	         flags & TSGI_READ_CONTENT ? "r.content" : "NULL",
	         flags & TSGI_READ_RAW ? "r.raw" : "NULL",
	         id ? "WHERE r.id = ?1" : campaign ? "WHERE a.campaign = ?1" : "");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(q, "reading reports");
	if (id)
		bind_text(st, 1, id);
	else if (campaign)
		bind_text(st, 1, campaign);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tsgi_sreport r = {0};
		r.seq = sqlite3_column_int64(st, 0);
		r.id = col_text(st, 1);
		r.t = sqlite3_column_int64(st, 2);
		r.received_at = col_text(st, 3);
		r.channel = col_text(st, 4);
		r.contact = col_text(st, 5);
		r.sender = col_text(st, 6);
		r.country = col_text(st, 7);
		r.loss = sqlite3_column_double(st, 8);
		r.currency = col_text(st, 9);
		r.brands = col_text(st, 10);
		r.category = col_text(st, 11);
		r.score = sqlite3_column_type(st, 12) == SQLITE_NULL
		              ? -1
		              : sqlite3_column_double(st, 12);
		r.content = col_text(st, 13);
		r.raw = col_text(st, 14);
		r.campaign = col_text(st, 15);
		if (!r.id)
			r.id = "";
		if (cb(ctx, &r)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	tsg_status ret = TSG_OK;
	if (rc != SQLITE_DONE)
		ret = sq_fail(q, "reading reports");
	sqlite3_finalize(st);
	return ret;
}

static tsg_status sq_each_indicator(tsgi_store *s, tsgi_ind_cb cb, void *ctx)
{
	sq_store *q = (sq_store *)s;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(q->db,
	                       "SELECT report_seq, kind, value, detail, host, domain,"
	                       " brand, flags, start, stop FROM indicators"
	                       " ORDER BY report_seq",
	                       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(q, "reading indicators");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tsgi_sind d = {0};
		d.kind = tsg_indicator_kind_parse(col_text(st, 1));
		d.value = col_text(st, 2);
		if (d.kind < 0 || !d.value)
			continue; /* a kind this build does not know */
		d.detail = col_text(st, 3);
		d.host = col_text(st, 4);
		d.domain = col_text(st, 5);
		d.brand = col_text(st, 6);
		d.flags = (unsigned)sqlite3_column_int(st, 7);
		d.start = sqlite3_column_int64(st, 8);
		d.end = sqlite3_column_int64(st, 9);
		if (cb(ctx, sqlite3_column_int64(st, 0), &d)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	tsg_status ret = TSG_OK;
	if (rc != SQLITE_DONE)
		ret = sq_fail(q, "reading indicators");
	sqlite3_finalize(st);
	return ret;
}

/* Assignments go to tsg_new_assign first; tsgi_sum_sql_assign then moves
 * the campaign summaries of the reports that change campaign and writes
 * `assign`, all in this transaction. */
static tsg_status sq_save_assign(tsgi_store *s, const tsgi_assign *a, size_t n,
                                 bool replace_all, const char *const *hubs,
                                 size_t n_hubs)
{
	sq_store *q = (sq_store *)s;
	sqlite3_stmt *st = NULL, *sh = NULL;
	if (!sq_exec(q, "BEGIN IMMEDIATE"))
		return TSG_ESTORE;
	if (!sq_exec(q, sql_temp) || !sq_exec(q, "DELETE FROM tsg_new_assign") ||
	    (replace_all && !sq_exec_all(q, tsgi_sum_sql_unassign_all)))
		goto fail;
	if (!sq_exec(q, "DELETE FROM hubs"))
		goto fail;
	if (sqlite3_prepare_v2(q->db,
	                       "INSERT INTO tsg_new_assign(report_seq, campaign)"
	                       " VALUES(?1,?2) ON CONFLICT(report_seq) DO UPDATE SET"
	                       " campaign = excluded.campaign",
	                       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(q->db, "INSERT OR IGNORE INTO hubs(key) VALUES(?1)",
	                       -1, &sh, NULL) != SQLITE_OK) {
		sq_fail(q, "saving campaigns");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, a[i].seq);
		bind_text(st, 2, a[i].campaign);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sq_fail(q, "saving campaigns");
			goto fail;
		}
	}
	for (size_t i = 0; i < n_hubs; i++) {
		sqlite3_reset(sh);
		bind_text(sh, 1, hubs[i]);
		if (sqlite3_step(sh) != SQLITE_DONE) {
			sq_fail(q, "saving hubs");
			goto fail;
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(sh);
	st = sh = NULL;
	if (!sq_exec_all(q, tsgi_sum_sql_assign) || !sq_exec(q, "COMMIT"))
		goto fail;
	return TSG_OK;
fail:
	sqlite3_finalize(st);
	sqlite3_finalize(sh);
	sq_rollback(q);
	return TSG_ESTORE;
}

/* Hands the first column of each row of st to cb until it returns
 * non-zero; a failed step names `what`. */
static tsg_status step_strings(sq_store *q, sqlite3_stmt *st, tsgi_str_cb cb,
                               void *ctx, const char *what)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (col_text(st, 0) && cb(ctx, col_text(st, 0)))
			return TSG_OK;
	return rc == SQLITE_DONE ? TSG_OK : sq_fail(q, what);
}

static tsg_status sq_each_hub(tsgi_store *s, tsgi_str_cb cb, void *ctx)
{
	sq_store *q = (sq_store *)s;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(q->db, "SELECT key FROM hubs ORDER BY key", -1, &st,
	                       NULL) != SQLITE_OK)
		return sq_fail(q, "reading hubs");
	tsg_status ret = step_strings(q, st, cb, ctx, "reading hubs");
	sqlite3_finalize(st);
	return ret;
}

static tsg_status sq_lookup(tsgi_store *s, const char *const *keys, size_t n,
                            tsgi_lookup_cb cb, void *ctx)
{
	sq_store *q = (sq_store *)s;
	sqlite3_stmt *st = q->lookup;
	for (size_t k = 0; k < n; k++) {
		sqlite3_reset(st);
		bind_text(st, 1, keys[k]);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			tsgi_lookup_row row = {
				.campaign = col_text(st, 0),
				.reports = sqlite3_column_int64(st, 1),
				.first = sqlite3_column_int64(st, 2),
				.last = sqlite3_column_int64(st, 3),
				.kind = tsg_indicator_kind_parse(col_text(st, 4)),
				.value = col_text(st, 5),
			};
			if (row.kind < 0 || !row.value)
				continue;
			if (cb(ctx, &row)) {
				rc = SQLITE_DONE;
				break;
			}
		}
		if (rc != SQLITE_DONE)
			return sq_fail(q, "lookup");
	}
	sqlite3_reset(st);
	return TSG_OK;
}

static tsg_status sq_key_stats(tsgi_store *s, const char *key,
                               tsgi_key_stats *out)
{
	sq_store *q = (sq_store *)s;
	sqlite3_stmt *st = q->key_stats;
	sqlite3_reset(st);
	bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->items = sqlite3_column_int64(st, 0);
		out->first = sqlite3_column_int64(st, 1);
		out->last = sqlite3_column_int64(st, 2);
		out->with_host = sqlite3_column_int64(st, 3);
		out->clustered = sqlite3_column_int64(st, 4); /* NULL reads 0 */
		out->campaigns = sqlite3_column_int64(st, 5);
	} else if (rc != SQLITE_DONE) {
		tsg_status ret = sq_fail(q, "lookup");
		sqlite3_reset(st);
		return ret;
	}
	sqlite3_reset(st);
	return TSG_OK;
}

static tsg_status sq_key_campaigns(tsgi_store *s, const char *key, size_t limit,
                                   tsgi_str_cb cb, void *ctx)
{
	sq_store *q = (sq_store *)s;
	sqlite3_stmt *st = q->key_camps;
	sqlite3_reset(st);
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
	tsg_status ret = step_strings(q, st, cb, ctx, "lookup");
	sqlite3_reset(st);
	return ret;
}

static tsg_status sq_wipe(tsgi_store *s)
{
	sq_store *q = (sq_store *)s;
	if (!sq_exec(q, "BEGIN IMMEDIATE; DELETE FROM indicators; DELETE FROM assign;"
	                " DELETE FROM hubs; DELETE FROM reports;"
	                " DELETE FROM lookup_stats; DELETE FROM lookup_campaigns;"
	                " DELETE FROM lookup_clustered; COMMIT")) {
		sq_rollback(q);
		return TSG_ESTORE;
	}
	return TSG_OK;
}

static const tsgi_store_ops sq_ops = {
	.name = "sqlite",
	.close = sq_close,
	.add = sq_add,
	.count = sq_count,
	.each_report = sq_each_report,
	.each_indicator = sq_each_indicator,
	.save_assign = sq_save_assign,
	.each_hub = sq_each_hub,
	.lookup = sq_lookup,
	.key_stats = sq_key_stats,
	.key_campaigns = sq_key_campaigns,
	.wipe = sq_wipe,
};

tsg_status tsgi_store_sqlite_open(const char *path, tsgi_store **out,
                                  char *err, size_t errlen)
{
	*out = NULL;
	sq_store *q = calloc(1, sizeof *q);
	if (!q) {
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	q->base.ops = &sq_ops;
	q->sum = tsgi_sum_new();
	if (!q->sum) {
		free(q);
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	if (sqlite3_open_v2(path, &q->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                        SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "sqlite: cannot open %s: %s", path,
		         q->db ? sqlite3_errmsg(q->db) : "out of memory");
		sqlite3_close(q->db);
		tsgi_sum_free(q->sum);
		free(q);
		return TSG_ESTORE;
	}
	sqlite3_busy_timeout(q->db, TSGI_SQLITE_BUSY_MS);
	if (!sq_exec(q, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                " PRAGMA foreign_keys=ON") ||
	    !migrate(q))
		goto fail;
	if (sqlite3_prepare_v2(
	        q->db,
	        "INSERT OR IGNORE INTO reports(id, t, received_at, channel, contact,"
	        " sender, country, loss, currency, brands, category, score, content,"
	        " raw) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
	        -1, &q->ins_report, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
	        q->db,
	        "INSERT INTO indicators(report_seq, kind, value, vkey, detail, host,"
	        " domain, brand, flags, start, stop, t)"
	        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
	        -1, &q->ins_ind, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
	        q->db,
	        "SELECT a.campaign, COUNT(DISTINCT i.report_seq), MIN(i.t), MAX(i.t),"
	        " i.kind, i.value FROM indicators i"
	        " LEFT JOIN assign a ON a.report_seq = i.report_seq"
	        " WHERE i.vkey = ?1 OR i.host = ?1 OR i.domain = ?1"
	        " GROUP BY a.campaign, i.kind, i.value",
	        -1, &q->lookup, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(q->db, sql_up_stats, -1, &q->up_stats, NULL) !=
	        SQLITE_OK ||
	    sqlite3_prepare_v2(
	        q->db,
	        "SELECT s.items, s.first_t, s.last_t, s.with_host, c.items,"
	        " c.campaigns FROM lookup_stats s"
	        " LEFT JOIN lookup_clustered c ON c.key = s.key WHERE s.key = ?1",
	        -1, &q->key_stats, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(q->db,
	                       "SELECT campaign FROM lookup_campaigns WHERE key = ?1"
	                       " ORDER BY campaign LIMIT ?2",
	                       -1, &q->key_camps, NULL) != SQLITE_OK) {
		sq_fail(q, "preparing statements");
		goto fail;
	}
	*out = &q->base;
	return TSG_OK;
fail:
	snprintf(err, errlen, "%s", q->base.errmsg);
	sq_close(&q->base);
	return TSG_ESTORE;
}
