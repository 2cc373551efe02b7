# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document


class KeyAccountJobRun(Document):
	"""The record of one run of a job in chunks (relationship/chunks.py, docs/DOMAIN.md §3)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_management.key_account_management.doctype.key_account_job_chunk.key_account_job_chunk import (
			KeyAccountJobChunk,
		)

		as_of: DF.Date | None
		chunks: DF.Table[KeyAccountJobChunk]
		company: DF.Link | None
		error: DF.SmallText | None
		finished_on: DF.Datetime | None
		job: DF.Data
		profiles: DF.Int
		started_on: DF.Datetime | None
		status: DF.Literal["Queued", "Running", "Finished", "Failed"]
		updated: DF.Int
	# end: auto-generated types

	pass
