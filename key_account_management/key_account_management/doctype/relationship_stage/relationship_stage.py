# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_management.relationship.stages import check_stage_deletion, validate_stage


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
		validate_stage(self)

	def on_trash(self):
		check_stage_deletion(self)
