/*
 * logreg.c - FTRL-Proximal logistic regression and a dense Newton fit
 * (see logreg.h for the contracts).
 */
#include "logreg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

double tsgi_sparse_logit(const tsgi_sparse_set *d, size_t i, const float *w,
                         double bias)
{
	double z = bias;
	const uint32_t *ix = d->idx + d->off[i];
	const float *v = d->val + d->off[i];
	for (uint32_t k = 0; k < d->len[i]; k++)
		z += (double)w[ix[k]] * v[k];
	return z;
}

static double ftrl_w(double z, double n, const tsgi_ftrl_params *p, bool l1)
{
	double a = l1 ? p->l1 : 0;
	if (fabs(z) <= a)
		return 0;
	double sgn = z < 0 ? -1.0 : 1.0;
	return -(z - sgn * a) / ((p->beta + sqrt(n)) / p->alpha + p->l2);
}

bool tsgi_ftrl_train(const tsgi_sparse_set *d, const bool *use,
                     const tsgi_ftrl_params *p, uint32_t bits, float *w,
                     double *bias)
{
	size_t nb = (size_t)1 << bits;
	double *z = calloc(nb + 1, sizeof *z);
	double *n = calloc(nb + 1, sizeof *n);
	size_t *order = malloc((d->n ? d->n : 1) * sizeof *order);
	double *wk = NULL;
	size_t wkcap = 0;
	bool ok = z && n && order;
	size_t m = 0;
	for (size_t i = 0; ok && i < d->n; i++)
		if ((!use || use[i]) && d->sw[i] > 0)
			order[m++] = i;
	uint64_t rs = p->seed ^ 0x5bd1e995u;
	for (unsigned ep = 0; ok && ep < p->epochs; ep++) {
		for (size_t i = m; i > 1; i--) { /* Fisher-Yates */
			size_t j = (size_t)(tsgi_rand_next(&rs) % i);
			size_t t = order[i - 1];
			order[i - 1] = order[j];
			order[j] = t;
		}
		for (size_t t = 0; t < m; t++) {
			size_t i = order[t];
			const uint32_t *ix = d->idx + d->off[i];
			const float *v = d->val + d->off[i];
			uint32_t L = d->len[i];
			if (L > wkcap) {
				double *nw = realloc(wk, L * sizeof *wk);
				if (!nw) {
					ok = false;
					break;
				}
				wk = nw;
				wkcap = L;
			}
			double wb = ftrl_w(z[nb], n[nb], p, false);
			double s = wb;
			for (uint32_t k = 0; k < L; k++) {
				wk[k] = ftrl_w(z[ix[k]], n[ix[k]], p, true);
				s += wk[k] * v[k];
			}
			double g = (tsgi_sigmoid(s) - d->y[i]) * d->sw[i];
			for (uint32_t k = 0; k <= L; k++) {
				size_t c = k < L ? ix[k] : nb;
				double gi = k < L ? g * v[k] : g;
				double wi = k < L ? wk[k] : wb;
				double sig = (sqrt(n[c] + gi * gi) - sqrt(n[c])) / p->alpha;
				z[c] += gi - sig * wi;
				n[c] += gi * gi;
			}
		}
	}
	if (ok) {
		for (size_t i = 0; i < nb; i++)
			w[i] = (float)ftrl_w(z[i], n[i], p, true);
		*bias = ftrl_w(z[nb], n[nb], p, false);
	}
	free(wk);
	free(order);
	free(n);
	free(z);
	return ok;
}

/* Solves the k x k system A b = g (A symmetric positive definite) by
 * Gaussian elimination with partial pivoting; false when singular. */
static bool solve(double *A, double *g, size_t k)
{
	for (size_t c = 0; c < k; c++) {
		size_t piv = c;
		for (size_t r = c + 1; r < k; r++)
			if (fabs(A[r * k + c]) > fabs(A[piv * k + c]))
				piv = r;
		if (fabs(A[piv * k + c]) < 1e-12)
			return false;
		if (piv != c) {
			for (size_t j = 0; j < k; j++) {
				double t = A[c * k + j];
				A[c * k + j] = A[piv * k + j];
				A[piv * k + j] = t;
			}
			double t = g[c];
			g[c] = g[piv];
			g[piv] = t;
		}
		for (size_t r = c + 1; r < k; r++) {
			double f = A[r * k + c] / A[c * k + c];
			for (size_t j = c; j < k; j++)
				A[r * k + j] -= f * A[c * k + j];
			g[r] -= f * g[c];
		}
	}
	for (size_t c = k; c-- > 0;) {
		double s = g[c];
		for (size_t j = c + 1; j < k; j++)
			s -= A[c * k + j] * g[j];
		g[c] = s / A[c * k + c];
	}
	return true;
}

bool tsgi_logreg_dense(const double *x, const uint8_t *y, const double *sw,
                       size_t n, size_t k, double l2, double *beta)
{
	if (k == 0 || k > 8)
		return false;
	for (size_t j = 0; j < k; j++)
		beta[j] = 0;
	for (int it = 0; it < 100; it++) {
		double H[64] = {0}, g[8] = {0};
		for (size_t i = 0; i < n; i++) {
			const double *xi = x + i * k;
			double s = 0;
			for (size_t j = 0; j < k; j++)
				s += beta[j] * xi[j];
			double p = tsgi_sigmoid(s);
			double r = (p - y[i]) * sw[i];
			double h = p * (1 - p) * sw[i];
			for (size_t a = 0; a < k; a++) {
				g[a] += r * xi[a];
				for (size_t b = 0; b < k; b++)
					H[a * k + b] += h * xi[a] * xi[b];
			}
		}
		for (size_t a = 0; a < k; a++) {
			g[a] += l2 * beta[a];
			H[a * k + a] += l2;
		}
		if (!solve(H, g, k))
			return false;
		double step = 0;
		for (size_t a = 0; a < k; a++) {
			beta[a] -= g[a];
			step += fabs(g[a]);
		}
		if (step < 1e-9)
			return true;
	}
	return false;
}
