# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from key_account_management.access.rows import ChildRow


class KeyAccountClassHistory(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		basis_value: DF.Currency
		changed_by: DF.Link | None
		changed_on: DF.Datetime | None
		cumulative_share: DF.Percent
		from_class: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		source: DF.Literal["Computed", "Override"]
		to_class: DF.Data | None
	# end: auto-generated types
	pass
