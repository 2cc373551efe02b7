# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document


class KeyAccountItemGroupRollup(Document):
	"""Written by whitespace/rollup.py only (set-based upserts); read-only in the desk (docs/DOMAIN.md §11)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link
		customer: DF.Link
		item_group: DF.Link
		month: DF.Date
		net_revenue: DF.Currency
	# end: auto-generated types

	pass
