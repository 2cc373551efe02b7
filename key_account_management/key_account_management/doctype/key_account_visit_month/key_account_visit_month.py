# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document


class KeyAccountVisitMonth(Document):
	"""Written by visits/month_counts.py only (atomic increments, the weekly check); read-only in the desk."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		every_account: DF.Check
		key_account: DF.Link | None
		month: DF.Date
		visits: DF.Int
	# end: auto-generated types

	pass
