# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from key_account_management.access.rows import ChildRow


class HospitalityLimitCheck(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		after_request: DF.Currency
		company_currency: DF.Link | None
		contact: DF.Link | None
		exceeded: DF.Check
		limit_amount: DF.Currency
		limit_type: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		remaining: DF.Currency
		scope: DF.Data | None
		this_request: DF.Currency
		year_to_date: DF.Currency
	# end: auto-generated types
	pass
