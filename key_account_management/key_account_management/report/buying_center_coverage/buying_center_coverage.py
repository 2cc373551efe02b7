# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe import _

from key_account_management.buying_center.members import members_by_account
from key_account_management.core.buying_center import FLAGS, coverage
from key_account_management.reports import ScriptReport, account_columns, column, list_profiles


def execute(filters=None):
	return BuyingCenterCoverage(filters).run()


class BuyingCenterCoverage(ScriptReport):
	def run(self):
		data = self.get_data()
		return self.get_columns(), data, None, self.get_chart(data)

	def get_data(self):
		profiles = list_profiles(self.filters, ["name", "customer_name", "account_manager", "abc_class"])
		members = members_by_account()
		data = []
		for profile in profiles:
			result = coverage(members.get(profile.name, []))
			if self.filters.flag and self.filters.flag not in result.flags:
				continue
			data.append(
				{
					"key_account": profile.name,
					"customer_name": profile.customer_name,
					"account_manager": profile.account_manager,
					"abc_class": profile.abc_class,
					"coverage_percent": result.coverage_percent,
					"support_score": result.support_score,
					"support_ratio": result.support_ratio * 100,
					"insider": int(result.insider_present),
					"active_contacts": result.active_contacts,
					"flags": ", ".join(_(f) for f in result.flags),
					"flag_list": result.flags,
				}
			)
		return data

	def get_columns(self):
		return [
			*account_columns(),
			column("coverage_percent", _("Role Coverage %"), "Percent"),
			column("support_score", _("Weighted Support"), "Int"),
			column("support_ratio", _("Support %"), "Percent", 100),
			column("insider", _("Insider"), "Check", 70),
			column("active_contacts", _("People"), "Int", 70),
			column("flags", _("Flags"), width=320),
		]

	def get_chart(self, data):
		if not data:
			return None
		counts = [sum(1 for row in data if flag in row["flag_list"]) for flag in FLAGS]
		return {
			"data": {
				"labels": [_(f) for f in FLAGS],
				"datasets": [{"name": _("Accounts", context="Key Accounts"), "values": counts}],
			},
			"type": "bar",
			"colors": ["#f5a524"],
			"title": _("Accounts by buying-center gap"),
		}
