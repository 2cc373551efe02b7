# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, cstr, flt

from key_account_management.core.relationship import validate_stage_ranges
from key_account_management.messages import translate


class RelationshipStage(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_management.key_account_management.doctype.relationship_stage_action.relationship_stage_action import (
			RelationshipStageAction,
		)

		description: DF.SmallText | None
		interrupted: DF.Check
		playbook: DF.Table[RelationshipStageAction]
		sequence: DF.Int
		sow_from: DF.Percent
		sow_to: DF.Percent
		stage_name: DF.Data
	# end: auto-generated types

	def validate(self):
		self.stage_name = cstr(self.stage_name).strip()
		self.clean_range()
		self.clean_playbook()
		if self.flags.ranges_checked:
			return  # set_stage_ranges checked every stage's new range together
		# the ranges only make sense together: check this stage against every other one
		others = [
			row
			for row in frappe.get_all(
				"Relationship Stage",
				fields=["name", "stage_name", "sequence", "interrupted", "sow_from", "sow_to"],
			)
			if row.name != self.name
		]
		check_ranges([*others, self.as_dict()])

	def clean_range(self):
		if cint(self.interrupted):
			# interruption can happen at any SoW, so an interrupted stage has no range
			self.sow_from = 0
			self.sow_to = 0
			return
		for fieldname in ("sow_from", "sow_to"):
			if flt(self.get(fieldname)) < 0:
				frappe.throw(
					_("{0} cannot be negative ({1}%).").format(
						frappe.bold(_(self.meta.get_label(fieldname))), flt(self.get(fieldname))
					),
					title=_("Invalid SoW Range"),
				)

	def clean_playbook(self):
		self.playbook = [row for row in self.playbook if cstr(row.action).strip()]
		for idx, row in enumerate(self.playbook, start=1):
			row.idx = idx
			row.action = cstr(row.action).strip()

	def on_trash(self):
		# deleting a middle stage would leave a gap no account can be suggested into
		others = frappe.get_all(
			"Relationship Stage",
			fields=["name", "stage_name", "sequence", "interrupted", "sow_from", "sow_to"],
			filters={"name": ("!=", self.name)},
		)
		if others:
			check_ranges(
				others, _("Deleting stage {0} would break the SoW ranges").format(frappe.bold(self.name))
			)


def check_ranges(rows, heading=None):
	from key_account_management.relationship import to_core_stage

	problems = validate_stage_ranges([to_core_stage(row) for row in rows])
	if problems:
		frappe.throw(
			(heading or _("The SoW ranges of the relationship stages must cover 0% upward exactly once"))
			+ ":<br>"
			+ "<br>".join(frappe.utils.escape_html(translate(p)) for p in problems),
			title=_("Invalid SoW Ranges"),
		)
