# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime, today

from key_account_management.classification.standing import classified_company, standing
from key_account_management.core.abc_classification import effective_class
from key_account_management.groups.validation import validate_group
from key_account_management.relationship.evaluation import days_since, parts_as_of
from key_account_management.relationship.profile import validate_profile_relationship


class KeyAccountProfile(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_management.key_account_management.doctype.key_account_class_history.key_account_class_history import (
			KeyAccountClassHistory,
		)
		from key_account_management.key_account_management.doctype.key_account_group_member.key_account_group_member import (
			KeyAccountGroupMember,
		)
		from key_account_management.key_account_management.doctype.key_account_playbook_item.key_account_playbook_item import (
			KeyAccountPlaybookItem,
		)
		from key_account_management.key_account_management.doctype.key_account_team_member.key_account_team_member import (
			KeyAccountTeamMember,
		)
		from key_account_management.key_account_management.doctype.relationship_stage_history.relationship_stage_history import (
			RelationshipStageHistory,
		)

		abc_as_of: DF.Date | None
		abc_basis: DF.Data | None
		abc_class: DF.Literal["", "A", "B", "C"]
		abc_rank: DF.Int
		account_manager: DF.Link | None
		account_manager_name: DF.Data | None
		account_status: DF.Literal["", "Active", "At Risk", "Interrupted", "Lost"]
		account_team: DF.Table[KeyAccountTeamMember]
		annual_goals: DF.TextEditor | None
		basis_value: DF.Currency
		business_loss: DF.SmallText | None
		buying_center_flags: DF.SmallText | None
		class_history: DF.Table[KeyAccountClassHistory]
		company: DF.Link | None
		company_currency: DF.Link | None
		competitors: DF.SmallText | None
		computed_abc_class: DF.Literal["", "A", "B", "C"]
		coverage_percent: DF.Percent
		cumulative_share_percent: DF.Percent
		customer: DF.Link
		customer_group: DF.Link | None
		customer_name: DF.Data | None
		days_since_last_order: DF.Int
		estimated_category_spend: DF.Currency
		financial_status_notes: DF.Text | None
		group_members: DF.Table[KeyAccountGroupMember]
		growth_rating: DF.Rating
		health_parts: DF.SmallText | None
		health_score: DF.Int
		influence_rating: DF.Rating
		innovation_direction: DF.SmallText | None
		interruption_cause: DF.SmallText | None
		is_group: DF.Check
		ka_kind: DF.Literal["", "Distribution", "End User"]
		last_order_date: DF.Date | None
		last_visit_date: DF.Date | None
		next_visit_due: DF.Date | None
		operations_notes: DF.Text | None
		org_structure_notes: DF.Text | None
		override_class: DF.Literal["", "A", "B", "C"]
		override_reason: DF.SmallText | None
		override_valid_until: DF.Date | None
		playbook_items: DF.Table[KeyAccountPlaybookItem]
		previous_share_of_wallet: DF.Percent
		relationship_stage: DF.Link | None
		revenue_previous_period: DF.Currency
		revenue_this_period: DF.Currency
		share_of_wallet: DF.Percent
		share_percent: DF.Percent
		sow_flag: DF.Data | None
		spend_estimate_as_of: DF.Date | None
		stage_change_reason: DF.SmallText | None
		stage_history: DF.Table[RelationshipStageHistory]
		strategy_plan: DF.TextEditor | None
		suggested_stage: DF.Link | None
		support_score: DF.Int
		territory: DF.Link | None
		volume_rating: DF.Rating
	# end: auto-generated types

	# rank and shares from the run's standings, days since the last order from its date: worked out when
	# read, so that a night's run does not rewrite every profile (docs/DOMAIN.md §2, §3)
	@property
	def abc_rank(self) -> int:
		return self.abc_standing().rank

	@property
	def share_percent(self) -> float:
		return self.abc_standing().share

	@property
	def cumulative_share_percent(self) -> float:
		return self.abc_standing().cumulative_share

	@property
	def days_since_last_order(self) -> int:
		return days_since(self.last_order_date)

	def onload(self):
		# the parts that move with the calendar alone, for today (the daily job writes them only along
		# with a profile whose stage, status, health or flags moved)
		self.health_parts = parts_as_of(self)

	def abc_standing(self):
		if self.get("_abc_standing_of") != (self.company, self.customer):
			self._abc_standing = standing(classified_company(self.company), self.customer)
			self._abc_standing_of = (self.company, self.customer)
		return self._abc_standing

	def before_insert(self):
		existing = frappe.db.exists("Key Account Profile", {"customer": self.customer})
		if existing:
			frappe.throw(
				_(
					"Customer {0} already has a Key Account Profile ({1}); open that profile instead of creating another."
				).format(frappe.bold(self.customer), existing),
				frappe.DuplicateEntryError,
				title=_("Duplicate Profile"),
			)

	def validate(self):
		self.validate_customer()
		self.set_account_manager()
		self.set_company()
		self.validate_creator_is_on_the_account()
		self.validate_team()
		validate_group(self)
		self.validate_override()
		self.seed_computed_class()
		self.apply_effective_class()
		# share of wallet, suggested stage, stage history and playbook (needs the class set above)
		validate_profile_relationship(self)

	def validate_customer(self):
		customer = frappe.db.get_value("Customer", self.customer, ["disabled", "customer_name"], as_dict=True)
		if not customer:
			frappe.throw(_("Customer {0} does not exist.").format(frappe.bold(self.customer)))
		if customer.disabled:
			frappe.throw(
				_(
					"Customer {0} is disabled; enable the customer before keeping a Key Account Profile for it."
				).format(frappe.bold(self.customer)),
				title=_("Disabled Customer"),
			)

	def set_account_manager(self):
		if not self.account_manager:
			self.account_manager = frappe.db.get_value("Customer", self.customer, "account_manager")

	def set_company(self):
		# the company its figures are in: the one the classification runs for (Key Account Settings)
		if not self.company:
			from key_account_management.company import default_company

			self.company = default_company()
		self.company_currency = (
			frappe.get_cached_value("Company", self.company, "default_currency") if self.company else None
		)

	def validate_creator_is_on_the_account(self):
		# row-level access: a key account manager opens profiles only for accounts they work on
		from key_account_management.access.records import is_unrestricted

		user = frappe.session.user
		if not self.is_new() or is_unrestricted(user) or self.flags.ignore_permissions:
			return
		if user != self.account_manager and user not in {m.user for m in self.account_team}:
			from key_account_management.access.html import bold

			# the customer's account manager comes from the Customer: named only to who may read it
			named = not self.account_manager or frappe.has_permission("Customer", "read", self.customer)
			frappe.throw(
				_(
					"{0}'s account manager is {1}. Add yourself to the account team, or ask a Key Account Director to open the profile."
				).format(bold(self.customer), bold(self.account_manager or _("not set")))
				if named
				else _(
					"{0} has another account manager. Add yourself to the account team, or ask a Key Account Director to open the profile."
				).format(bold(self.customer)),
				frappe.PermissionError,
			)

	def validate_team(self):
		seen = set()
		for member in self.account_team:
			if member.user in seen:
				frappe.throw(
					_("Row {0}: {1} is already in the account team; list each person once.").format(
						member.idx, frappe.bold(member.user)
					),
					title=_("Duplicate Team Member"),
				)
			seen.add(member.user)

	def validate_override(self):
		if self.override_class and not (self.override_reason or "").strip():
			frappe.throw(
				_(
					"Override Reason is required when Override Class is set: say why {0} should be class {1}."
				).format(frappe.bold(self.customer_name or self.customer), self.override_class),
				title=_("Missing Override Reason"),
			)
		if not self.override_class:
			self.override_reason = None
			self.override_valid_until = None

	def seed_computed_class(self):
		# a new profile starts from the class the last run gave its customer, never from blank
		if self.is_new() and not self.computed_abc_class:
			self.computed_abc_class = frappe.db.get_value("Customer", self.customer, "kam_abc_class")

	def override_is_valid(self, on_date=None) -> bool:
		if not self.override_class:
			return False
		return not self.override_valid_until or getdate(self.override_valid_until) >= getdate(
			on_date or today()
		)

	def apply_effective_class(self):
		"""Keep abc_class = override while valid, else the computed class; log and mirror changes."""
		new_class = effective_class(self.computed_abc_class, self.override_class, self.override_is_valid())
		old_class = self.get_doc_before_save().abc_class if self.get_doc_before_save() else None
		self.abc_class = new_class or None
		if (old_class or None) == (self.abc_class or None):
			return
		self.append(
			"class_history",
			{
				"changed_on": now_datetime(),
				"from_class": old_class,
				"to_class": self.abc_class,
				"basis_value": self.basis_value,
				"cumulative_share": self.cumulative_share_percent,
				"source": "Override" if self.override_is_valid() else "Computed",
				"changed_by": frappe.session.user,
			},
		)

	def on_update(self):
		# ERPNext lists, filters and reports read the class from the Customer
		if frappe.db.get_value("Customer", self.customer, "kam_abc_class") != (self.abc_class or None):
			frappe.db.set_value(
				"Customer", self.customer, "kam_abc_class", self.abc_class, update_modified=False
			)
