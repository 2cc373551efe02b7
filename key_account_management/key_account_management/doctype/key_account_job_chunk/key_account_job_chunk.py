# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from key_account_management.access.rows import ChildRow


class KeyAccountJobChunk(ChildRow):
	"""One chunk of a Key Account Job Run (relationship/chunks.py)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attempts: DF.Int
		error: DF.SmallText | None
		heartbeat: DF.Datetime | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		profile_count: DF.Int
		profile_names: DF.LongText | None
		status: DF.Literal["Queued", "Started", "Done", "Failed"]
		updated: DF.Int
		worker: DF.Data | None
	# end: auto-generated types

	pass
