/*
 * test_payments.c - checksum vectors for every payment format: Bitcoin
 * base58check and bech32/bech32m, Ethereum EIP-55 (with the Keccak-256
 * vectors underneath), TRON and IBAN.  Each valid vector has a corrupted
 * twin that must be refused.  Payment-app handles (Cash App, Venmo,
 * PayPal.me, Zelle) count only with their service named.
 */
#include "ind_check.h"

#include "../../src/indicators/base58.h"
#include "../../src/indicators/bech32.h"
#include "../../src/indicators/keccak.h"

#define BTC TSG_IND_BTC
#define ETH TSG_IND_ETH
#define TRX TSG_IND_TRON
#define IBAN TSG_IND_IBAN
#define PAY TSG_IND_PAYMENT

static const ind_case k_payments[] = {
	/* Bitcoin P2PKH (genesis block) and P2SH */
	CASE("send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa now", BTC,
	     "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "p2pkh"),
	CASE("send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb now", BTC, NULL),
	CASE("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", BTC,
	     "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "p2pkh"),
	CASE("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", BTC, NULL),
	CASE("BTC: 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.", BTC,
	     "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "p2sh"),
	CASE("BTC: 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz.", BTC, NULL),
	CASE("BTC: 3j98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.", BTC, NULL),
	/* bech32 (BIP-173), upper case accepted, value lower case */
	CASE("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", BTC,
	     "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "p2wpkh"),
	CASE("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", BTC, NULL),
	CASE("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kV8F3T4", BTC, NULL), /* mixed case */
	CASE("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", BTC,
	     "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", "p2wsh"),
	CASE("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv4", BTC, NULL),
	/* bech32m taproot (BIP-350) */
	CASE("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", BTC,
	     "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "p2tr"),
	CASE("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jjq", BTC, NULL),
	/* BIP-350 invalid: v1 with a bech32 checksum; v0 with bech32m */
	CASE("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", BTC, NULL),
	CASE("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", BTC, NULL),
	CASE("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", BTC, NULL), /* testnet */
	/* Ethereum: the EIP-55 examples, lower case, corrupted case */
	CASE("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", ETH,
	     "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "eip55"),
	CASE("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", ETH,
	     "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "eip55"),
	CASE("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", ETH,
	     "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "eip55"),
	CASE("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb", ETH,
	     "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb", "eip55"),
	CASE("wallet 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", ETH,
	     "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", ""),
	CASE("0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", ETH,
	     "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", ""),
	CASE("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", ETH, NULL),
	CASE("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDB", ETH, NULL),
	CASE("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00", ETH, NULL), /* 42 hex */
	CASE("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", ETH, NULL),
	/* TRON (USDT contract address) */
	CASE("USDT TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", TRX,
	     "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
	CASE("USDT TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u", TRX, NULL),
	/* IBAN: printed and compact, several countries */
	CASE("IBAN: DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX", IBAN,
	     "DE89370400440532013000", "DE"),
	CASE("IBAN: DE89 3704 0044 0532 0130 01", IBAN, NULL),
	CASE("GB82WEST12345698765432", IBAN, "GB82WEST12345698765432", "GB"),
	CASE("GB82WEST12345698765433", IBAN, NULL),
	CASE("FR14 2004 1010 0505 0001 3M02 606", IBAN, "FR1420041010050500013M02606"),
	CASE("FR14 2004 1010 0505 0001 3M02 607", IBAN, NULL),
	CASE("ES91 2100 0418 4502 0005 1332", IBAN, "ES9121000418450200051332"),
	CASE("ES91 2100 0418 4502 0005 1333", IBAN, NULL),
	CASE("NL91ABNA0417164300", IBAN, "NL91ABNA0417164300"),
	CASE("BE68 5390 0754 7034", IBAN, "BE68539007547034"),
	CASE("IT60 X054 2811 1010 0000 0123 456", IBAN, "IT60X0542811101000000123456"),
	CASE("CH93 0076 2011 6238 5295 7", IBAN, "CH9300762011623852957"),
	CASE("DE89370400440532013000123", IBAN, NULL), /* too long */
	CASE("ZZ89370400440532013000", IBAN, NULL),    /* no such country */
	/* payment-app handles */
	CASE("send it on Cash App to $RefundDesk99 today", PAY,
	     "cashapp:$refunddesk99", "cashapp"),
	CASE("my cashtag: $Tech_Help-now", PAY, "cashapp:$tech_help", "cashapp"),
	CASE("pay at https://cash.app/$SupportDesk22", PAY, "cashapp:$supportdesk22"),
	CASE("Venmo me at @Tech-Refund-Team", PAY, "venmo:@tech-refund-team", "venmo"),
	CASE("https://venmo.com/u/RefundCenter", PAY, "venmo:@refundcenter"),
	CASE("https://paypal.me/refundteam88/499", PAY, "paypal:refundteam88",
	     "paypal"),
	CASE("Zelle the money to refunds.dept@outlook.com", PAY,
	     "zelle:refunds.dept@outlook.com", "zelle"),
	CASE("send it by Zelle to 888-555-0123", PAY, "zelle:+18885550123"),
	CASE("Envíe el dinero por Bizum al +34 612 345 678 hoy", PAY,
	     "bizum:+34612345678", "bizum"),
	CASE("Payez par Paylib au +33 6 12 34 56 78", PAY, "paylib:+33612345678",
	     "paylib"),
	/* a service pays to numbers of its own country, in the same sentence */
	CASE("pay by Bizum to +1 212 555 0147", PAY, NULL),
	CASE("Call me at 555-867-5309. I paid the plumber with Zelle.", PAY, NULL),
	/* no service named, a currency, an address, a mention */
	CASE("it costs $USD 50 on Cash App", PAY, NULL),
	CASE("the price is $Premium for members", PAY, NULL),
	CASE("follow @amazonhelp for updates", PAY, NULL),
	CASE("my venmo is joe@example.com", PAY, NULL),
	CASE("Venmo @bob", PAY, NULL), /* shorter than Venmo allows */
	CASE("email refunds.dept@outlook.com", PAY, NULL),
};

static void test_payments(void **state)
{
	(void)state;
	RUN_CASES(k_payments);
}

static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Keccak-256 with the original padding (not SHA3-256). */
static void test_keccak(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *digest;
	} k_vectors[] = {
		{"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
		{"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"},
		{"The quick brown fox jumps over the lazy dog",
		 "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"},
	};
	for (size_t i = 0; i < sizeof k_vectors / sizeof *k_vectors; i++) {
		uint8_t d[32];
		char h[65];
		tsgi_keccak256(k_vectors[i].in, strlen(k_vectors[i].in), d);
		hex(d, 32, h);
		if (strcmp(h, k_vectors[i].digest))
			fail_msg("keccak256(\"%s\") = %s, want %s", k_vectors[i].in, h,
			         k_vectors[i].digest);
	}
}

static void test_codecs(void **state)
{
	(void)state;
	uint8_t ver = 0xff;
	assert_true(tsgi_base58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 34, &ver));
	assert_int_equal(ver, 0);
	assert_false(tsgi_base58check_decode("0A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 34, &ver));
	assert_false(tsgi_base58check_decode("11A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 35, &ver));
	int v;
	size_t plen;
	/* BIP-350 valid: witness version 16, 2-byte program */
	assert_true(tsgi_segwit_decode("BC1SW50QGDZ25J", 14, "bc", &v, &plen));
	assert_int_equal(v, 16);
	assert_int_equal(plen, 2);
	assert_false(tsgi_segwit_decode("bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", 37, "bc",
	                                &v, &plen));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keccak),
		cmocka_unit_test(test_codecs),
		cmocka_unit_test(test_payments),
	};
	return cmocka_run_group_tests(tests, ind_setup, ind_teardown);
}
