# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from key_account_management.access.rows import ChildRow


class OpportunityMilestone(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		done: DF.Check
		done_by: DF.Link | None
		done_on: DF.Date | None
		milestone: DF.Data | None
		note: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		sales_stage: DF.Link | None
	# end: auto-generated types
	pass
