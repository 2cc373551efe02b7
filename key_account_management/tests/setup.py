"""before_tests hook: what a site needs before the integration tests run."""

import frappe
from frappe.utils import getdate, today

from key_account_management.demo import records

TEST_COMPANY = "KAM Test Company"
TEST_ABBR = "KTC"


def before_tests():
	# ERPNext's own setup: completes the setup wizard (fiscal year, masters) when it never ran
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	ensure_fiscal_years()
	ensure_test_company()
	frappe.db.commit()
	# the suite reads what it has just written in its own transaction, which no replica sees: it reads
	# the primary; test_replica.py turns the site's replica on for itself (README "Scaling out")
	frappe.local.conf.read_from_replica = 0


def ensure_fiscal_years():
	# tests post into the trailing twelve months, which usually spans two fiscal years
	this_year = getdate(today()).year
	for year in (this_year - 1, this_year, this_year + 1):
		if not frappe.db.exists("Fiscal Year", str(year)):
			records.ensure_fiscal_years(year, year)


def ensure_test_company():
	records.ensure_company(TEST_COMPANY, TEST_ABBR, "USD", "United States")
