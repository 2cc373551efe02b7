# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from key_account_management.access.rows import ChildRow


class HospitalityRecipient(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actual_amount: DF.Currency
		amount: DF.Currency
		buying_role: DF.Data | None
		contact: DF.Link
		contact_name: DF.Data | None
		currency: DF.Link | None
		is_official: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
