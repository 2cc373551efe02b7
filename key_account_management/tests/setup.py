"""before_tests hook: what a site needs before the integration tests run."""

import frappe


def before_tests():
	# ERPNext's own setup: completes the setup wizard (company, fiscal years, masters) when missing
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	frappe.db.commit()
