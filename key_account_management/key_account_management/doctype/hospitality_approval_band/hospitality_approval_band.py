# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from key_account_management.access.rows import ChildRow


class HospitalityApprovalBand(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		director: DF.Check
		finance: DF.Check
		manager: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		up_to_amount: DF.Currency
	# end: auto-generated types
	pass
