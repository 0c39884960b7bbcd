/*
 * test_money.c - money amounts and gift cards (money.c).
 */
#include "ind_check.h"

#define MO TSG_IND_MONEY
#define GC TSG_IND_GIFTCARD

static const ind_case k_money[] = {
	CASE("You were charged $499.99 today", MO, "499.99", "USD"),
	CASE("a refund of $ 1,299.00", MO, "1299.00", "USD"),
	CASE("US$349", MO, "349.00", "USD"),
	CASE("Total: USD 39.9", MO, "39.90", "USD"),
	CASE("399.99 USD will be debited", MO, "399.99", "USD"),
	CASE("only 300 dollars", MO, "300.00", "USD"),
	CASE("Betrag: 1.299,00 € abgebucht", MO, "1299.00", "EUR"),
	CASE("Importe 49,99 EUR", MO, "49.99", "EUR"),
	CASE("€49,99 por mes", MO, "49.99", "EUR"),
	CASE("prix 250 euros", MO, "250.00", "EUR"),
	CASE("£1,249.50 has been taken", MO, "1249.50", "GBP"),
	CASE("GBP 80", MO, "80.00", "GBP"),
	CASE("₹4,999 debited", MO, "4999.00", "INR"),
	CASE("Rs. 12,500 refund", MO, "12500.00", "INR"),
	CASE("INR 15000", MO, "15000.00", "INR"),
	CASE("AU$ 299.95 charged", MO, "299.95", "AUD"),
	CASE("CAD 89.99", MO, "89.99", "CAD"),
	CASE("C$89.99", MO, "89.99", "CAD"),
	CASE("$1,000,000", MO, "1000000.00", "USD"),
	CASE("fee $0.99", MO, "0.99", "USD"),
	/* not money */
	CASE("call 1-888-555-0199", MO, NULL),
	CASE("order 123456789, version 3.5", MO, NULL),
	CASE("on 12.05.2024 at 10:30", MO, NULL),
	CASE("$PATH and $HOME", MO, NULL),
	CASE("usda 55", MO, NULL),
	CASE("1.2.3 usd", MO, NULL),
};

static const ind_case k_gift[] = {
	CASE("buy two Google Play gift cards of $500", GC, "google_play", ""),
	CASE("Buy Google Play cards and read me the code ABCD-EFGH-1234-5678", GC,
	     "google_play", "ABCDEFGH12345678"),
	CASE("gift card: Apple, code X1A2-B3C4-D5E6-F7G8", GC, "apple",
	     "X1A2B3C4D5E6F7G8"),
	CASE("get iTunes cards from Walgreens", GC, "apple"),
	CASE("Steam cards, code AB1CD-EF2GH-IJ3KL", GC, "steam", "AB1CDEF2GHIJ3KL"),
	CASE("purchase Target gift cards", GC, "target"),
	CASE("Walmart gift card", GC, "walmart"),
	CASE("an eBay gift card", GC, "ebay"),
	CASE("Sephora gift cards", GC, "sephora"),
	CASE("Best Buy gift cards", GC, "best_buy"),
	CASE("a Vanilla Visa gift card number 4111 1111 1111 1111", GC, "vanilla",
	     "4111111111111111"),
	CASE("Amazon gift card claim code AQ3X-7YDTKT-UBMD", GC, "amazon",
	     "AQ3X7YDTKTUBMD"),
	CASE("compra tarjetas de regalo de Amazon", GC, "amazon"),
	CASE("kaufen Sie Apple Geschenkkarten", GC, "apple"),
	CASE("kaufen Sie eine Geschenkkarte von Apple", GC, "apple"),
	CASE("achetez des cartes cadeaux Steam", GC, "steam"),
	CASE("paysafecard code 1234 5678 9012 3456", GC, "paysafecard",
	     "1234567890123456"),
	CASE("pay with gift cards only", GC, "unspecified"),
	/* European prepaid vouchers */
	CASE("achetez trois coupons PCS de 250 euros", GC, "pcs"),
	CASE("une recharge Transcash code 1234 5678 9012 3456", GC, "transcash",
	     "1234567890123456"),
	CASE("zahlen Sie mit Neosurf", GC, "neosurf"),
	CASE("t-shirts, 3 pcs, size M", GC, NULL),
	/* brand alone is not a gift card */
	CASE("your Amazon order has shipped", GC, NULL),
	CASE("Apple ID locked, call 1-888-555-0199", GC, NULL),
	CASE("we target steam engines", GC, NULL),
	/* a code needs digits; a phone number is not a code */
	CASE("Google Play gift card, call 18885550199", GC, "google_play", ""),
	CASE("Google Play gift card code is here", GC, "google_play", ""),
};

static void test_money(void **state)
{
	(void)state;
	RUN_CASES(k_money);
}

static void test_gift(void **state)
{
	(void)state;
	RUN_CASES(k_gift);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_gift),
	};
	return cmocka_run_group_tests(tests, ind_setup, ind_teardown);
}
