# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from key_account_management.access.rows import ChildRow


class OpportunityGradeHistory(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		changed_by: DF.Link | None
		changed_on: DF.Datetime | None
		expected_closing: DF.Date | None
		from_grade: DF.Data | None
		likelihood: DF.Percent
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reason: DF.SmallText | None
		source: DF.Data | None
		to_grade: DF.Data | None
	# end: auto-generated types
	pass
