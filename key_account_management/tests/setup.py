"""before_tests hook: what a site needs before the integration tests run."""

import frappe
from frappe.utils import getdate, today

TEST_COMPANY = "KAM Test Company"
TEST_ABBR = "KTC"


def before_tests():
	# ERPNext's own setup: completes the setup wizard (fiscal year, masters) when it never ran
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	ensure_fiscal_years()
	ensure_test_company()
	frappe.db.commit()


def ensure_fiscal_years():
	# tests post into the trailing twelve months, which usually spans two fiscal years
	this_year = getdate(today()).year
	for year in (this_year - 1, this_year, this_year + 1):
		if frappe.db.exists("Fiscal Year", str(year)):
			continue
		start = getdate(f"{year}-01-01")
		overlapping = frappe.db.sql(
			"select name from `tabFiscal Year` where %s between year_start_date and year_end_date", start
		)
		if overlapping:
			continue
		frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": str(year),
				"year_start_date": start,
				"year_end_date": getdate(f"{year}-12-31"),
			}
		).insert(ignore_permissions=True)


def ensure_test_company():
	if frappe.db.exists("Company", TEST_COMPANY):
		return
	frappe.get_doc(
		{
			"doctype": "Company",
			"company_name": TEST_COMPANY,
			"abbr": TEST_ABBR,
			"default_currency": "USD",
			"country": "United States",
			"create_chart_of_accounts_based_on": "Standard Template",
			"chart_of_accounts": "Standard",
		}
	).insert(ignore_permissions=True)
