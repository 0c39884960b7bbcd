/*
 * test_remote.c - remote-access tools, IDs and codes (remote.c).
 */
#include "ind_check.h"

#define RM TSG_IND_REMOTE

static const ind_case k_remote[] = {
	/* AnyDesk: one run, groups of three, 10 digits, alias, before/after */
	CASE("Open AnyDesk and read me the number: 123 456 789", RM, "123456789",
	     "anydesk"),
	CASE("anydesk id 1 234 567 890 please", RM, "1234567890", "anydesk"),
	CASE("AnyDesk-ID: 987654321", RM, "987654321", "anydesk"),
	/* read aloud in a call: number words, or digits one by one */
	CASE("the anydesk number is one two three four five six seven eight nine",
	     RM, "123456789", "anydesk"),
	CASE("my anydesk ID is 4 5 6 7 8 9 1 2 3", RM, "456789123", "anydesk"),
	CASE("open teamviewer, your ID is nine eight seven six five four three two "
	     "one and the password", RM, "987654321", "teamviewer"),
	/* a phone number read out next to the name is not its ID */
	CASE("anydesk is installed, call me at eight eight eight five five five "
	     "zero one nine nine", RM, "anydesk", "anydesk"),
	CASE("anydesk, call 1 8 8 8 5 5 5 0 1 9 9", RM, "anydesk", "anydesk"),
	CASE("my id is 456-789-123 on anydesk", RM, "456789123", "anydesk"),
	CASE("AnyDesk address: support.team@ad", RM, "support.team@ad", "anydesk"),
	CASE("download any desk, the code is 112 233 445", RM, "112233445", "anydesk"),
	CASE("AnyDesk ID l23 456 789", RM, "123456789", "anydesk"),
	/* mention without an ID: value is the tool name */
	CASE("Please install AnyDesk so our technician can help", RM, "anydesk",
	     "anydesk"),
	CASE("go to anydesk.com and download it", RM, "anydesk", "anydesk"),
	/* the ID indicator replaces the mention */
	CASE("anydesk 123456789", RM, "123456789", "anydesk"),
	/* TeamViewer, UltraViewer, RustDesk */
	CASE("TeamViewer ID 1 234 567 890 password 4321", RM, "1234567890",
	     "teamviewer"),
	CASE("team viewer: 987 654 321", RM, "987654321", "teamviewer"),
	CASE("UltraViewer ID: 123 456 789", RM, "123456789", "ultraviewer"),
	CASE("open rustdesk, id 1234567890", RM, "1234567890", "rustdesk"),
	/* Quick Assist: 6-character code */
	CASE("Open Quick Assist and enter the code 4K7X9P", RM, "4K7X9P",
	     "quick_assist"),
	CASE("quick assist security code: 482913", RM, "482913", "quick_assist"),
	CASE("Press Windows+Ctrl+Q to open Quick Assist", RM, "quick_assist",
	     "quick_assist"),
	/* LogMeIn */
	CASE("go to LogMeIn123.com and type 482 913", RM, "482913", "logmein"),
	CASE("Go to www.123.rescue and enter 123456", RM, "123456", "logmein"),
	/* ScreenConnect / ConnectWise */
	CASE("Join: https://helpdesk-x.screenconnect.com/Join?Session=4f2a9b", RM,
	     "4f2a9b", "screenconnect"),
	CASE("https://relay.example.com/Host#Access (ConnectWise Control)", RM,
	     "screenconnect", "screenconnect"),
	CASE("https://instance-7.screenconnect.com/", RM,
	     "instance-7.screenconnect.com", "screenconnect"),
	CASE("https://r.example.net/Bin/ScreenConnect.ClientSetup.exe?e=Access", RM,
	     "r.example.net", "screenconnect"),
	/* negatives */
	CASE("Call 1-888-555-0199 about your order", RM, NULL),
	CASE("anydesk? call (888) 555-0199 now", RM, "anydesk", "anydesk"),
	CASE("anydesk? call 888-555-0199 now", RM, "anydesk", "anydesk"),
	CASE("Your order 123456789 has shipped", RM, NULL),
	CASE("the team viewed the files", RM, NULL),
	CASE("quick assistance is available", RM, NULL),
	CASE("quick assist helps with windows", RM, "quick_assist", "quick_assist"),
	CASE("my email is bob@adobe.com", RM, NULL),
};

static void test_remote(void **state)
{
	(void)state;
	RUN_CASES(k_remote);
}

/* With an ID the bare mention is not reported again. */
static void test_no_duplicate_mention(void **state)
{
	(void)state;
	const char *text = "AnyDesk ID 123 456 789. Open AnyDesk now.";
	tsg_input in = {.data = text, .len = strlen(text), .channel = TSG_CHANNEL_TEXT};
	const tsg_indicator *ind;
	size_t n, remote = 0;
	assert_int_equal(tsg_scan_extract(g_scan, &in, &ind, &n), TSG_OK);
	for (size_t i = 0; i < n; i++)
		if (ind[i].kind == TSG_IND_REMOTE) {
			remote++;
			assert_string_equal(ind[i].value, "123456789");
			assert_int_equal(ind[i].start, 11);
			assert_int_equal(ind[i].end, 22);
		}
	assert_int_equal(remote, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remote),
		cmocka_unit_test(test_no_duplicate_mention),
	};
	return cmocka_run_group_tests(tests, ind_setup, ind_teardown);
}
