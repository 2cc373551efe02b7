# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""Account Health: the accounts at risk, worst first, with the parts of their health score."""

from frappe import _
from frappe.utils import cint

from key_account_management.core import relationship as core
from key_account_management.core.health import HEALTH_PARTS
from key_account_management.relationship.evaluation import (
	PART_LABELS,
	days_since,
	get_config,
	parse_parts,
	parts_as_of,
)
from key_account_management.reports import ScriptReport, account_columns, column, list_profiles

AT_RISK_STATUSES = (core.STATUS_AT_RISK, core.STATUS_INTERRUPTED, core.STATUS_LOST)
FIELDS = [
	"name",
	"customer_name",
	"account_manager",
	"abc_class",
	"account_status",
	"health_score",
	"health_parts",
	"relationship_stage",
	"suggested_stage",
	"share_of_wallet",
	"sow_flag",
	"last_order_date",
	"last_visit_date",
	"revenue_this_period",
	"revenue_previous_period",
	"interruption_cause",
	"business_loss",
	"buying_center_flags",
	"company_currency",
]


def execute(filters=None):
	return AccountHealth(filters).run()


class AccountHealth(ScriptReport):
	def run(self):
		profiles = self.get_profiles()
		data = [self.to_row(p) for p in profiles if self.wanted(p)]
		data.sort(key=lambda row: (row["health_score"], row["key_account"]))
		return self.get_columns(), data, None, self.get_chart(profiles), self.get_summary(profiles, data)

	def get_profiles(self):
		self.config = get_config()
		return list_profiles(self.filters, FIELDS)

	def default_currency(self) -> str | None:
		from key_account_management.company import company_currency, default_company

		return company_currency(default_company())

	def wanted(self, profile) -> bool:
		if self.filters.account_status:
			return profile.account_status == self.filters.account_status
		if cint(self.filters.at_risk_only):
			return profile.account_status in AT_RISK_STATUSES
		return True

	def to_row(self, profile) -> dict:
		# order recency and visits for today: the job writes a profile only when something else moved
		parts = parse_parts(parts_as_of(profile, self.config))
		flags = []
		if profile.sow_flag:
			flags.extend(f.strip() for f in profile.sow_flag.split(","))
		if profile.interruption_cause:
			flags.extend(profile.interruption_cause.splitlines())
		if profile.business_loss:
			flags.append(_("business loss: {0}").format(", ".join(profile.business_loss.splitlines())))
		if profile.buying_center_flags:
			flags.extend(profile.buying_center_flags.splitlines())
		row = {
			"key_account": profile.name,
			"customer_name": profile.customer_name,
			"account_manager": profile.account_manager,
			"abc_class": profile.abc_class,
			"account_status": profile.account_status,
			"health_score": cint(profile.health_score),
			"relationship_stage": profile.relationship_stage,
			"suggested_stage": profile.suggested_stage,
			"share_of_wallet": profile.share_of_wallet if profile.share_of_wallet else None,
			"days_since_last_order": days_since(profile.last_order_date) if profile.last_order_date else None,
			"last_order_date": profile.last_order_date,
			"revenue_this_period": profile.revenue_this_period,
			"revenue_previous_period": profile.revenue_previous_period,
			# the revenue columns are in the profile's company currency
			"currency": profile.company_currency or self.default_currency(),
			"flags": ", ".join(_(f) for f in flags if f),
			"flag_list": [f for f in flags if f],
		}
		for part in HEALTH_PARTS:
			row[part] = parts.get(part)
		return row

	def get_columns(self):
		columns = [
			*account_columns(160, 160),
			column("account_status", _("Status"), width=100),
			column("health_score", _("Health"), "Int", 80),
		]
		for part in HEALTH_PARTS:
			columns.append(column(part, _(PART_LABELS[part]), "Float", 110, precision=1))
		columns += [
			column("relationship_stage", _("Stage"), "Link", 130, options="Relationship Stage"),
			column("suggested_stage", _("Suggested Stage"), "Link", 130, options="Relationship Stage"),
			column("share_of_wallet", _("SoW %"), "Percent", 90),
			column("days_since_last_order", _("Days Since Last Order"), "Int", 110),
			column("last_order_date", _("Last Order"), "Date", 100),
			column("revenue_this_period", _("Revenue (12 Months)"), "Currency", 130, options="currency"),
			column(
				"revenue_previous_period",
				_("Revenue (Previous 12 Months)"),
				"Currency",
				130,
				options="currency",
			),
			column("flags", _("Flags"), width=300),
		]
		return columns

	def get_chart(self, profiles):
		counts = {status: 0 for status in core.STATUSES}
		for profile in profiles:
			if profile.account_status in counts:
				counts[profile.account_status] += 1
		return {
			"data": {
				"labels": [_(s) for s in core.STATUSES],
				"datasets": [
					{
						"name": _("Accounts", context="Key Accounts"),
						"values": [counts[s] for s in core.STATUSES],
					}
				],
			},
			"type": "bar",
			"colors": ["#5e64ff"],
		}

	def get_summary(self, profiles, data):
		scores = [cint(p.health_score) for p in profiles if p.account_status]
		return [
			{"label": _("Accounts Listed"), "value": len(data), "datatype": "Int", "indicator": "Blue"},
			{
				"label": _("Interrupted"),
				"value": sum(1 for p in profiles if p.account_status == core.STATUS_INTERRUPTED),
				"datatype": "Int",
				"indicator": "Red",
			},
			{
				"label": _("At Risk"),
				"value": sum(1 for p in profiles if p.account_status == core.STATUS_AT_RISK),
				"datatype": "Int",
				"indicator": "Orange",
			},
			{
				"label": _("Average Health"),
				"value": round(sum(scores) / len(scores), 1) if scores else 0,
				"datatype": "Float",
				"indicator": "Green",
			},
		]
