"""Whitelisted and hooked method paths that moved when the app took one package per capability.

Old path -> new path. hooks.py merges it into ``override_whitelisted_methods``, so a page cached before
an upgrade, or a stored record (a Number Card, a Dashboard Chart, a Workspace shortcut), that still
names an old path reaches the new one. Plain data, no frappe: hooks.py imports it. The one list of
aliases: a test checks every new path resolves.
"""

MOVED_METHODS: dict[str, str] = {
	"key_account_management.relationship.get_stage_ranges": "key_account_management.relationship.stages.get_stage_ranges",
	"key_account_management.relationship.set_stage_ranges": "key_account_management.relationship.stages.set_stage_ranges",
	"key_account_management.relationship.confirm_suggested_stage": "key_account_management.relationship.profile.confirm_suggested_stage",
	"key_account_management.relationship.make_todo": "key_account_management.relationship.profile.make_todo",
	"key_account_management.buying_center.get_buying_center": "key_account_management.buying_center.api.get_buying_center",
	"key_account_management.buying_center.get_contact_roles": "key_account_management.buying_center.api.get_contact_roles",
	"key_account_management.roles.customers.customer_basics": "key_account_management.access.customers.customer_basics",
	"key_account_management.hospitality.get_limit_preview": "key_account_management.hospitality.api.get_limit_preview",
	"key_account_management.hospitality.set_rejection_reason": "key_account_management.hospitality.api.set_rejection_reason",
	"key_account_management.dashboards.hospitality_pending_my_approval": "key_account_management.hospitality.cards.hospitality_pending_my_approval",
	"key_account_management.dashboards.hospitality_spend_vs_budget": "key_account_management.hospitality.cards.hospitality_spend_vs_budget",
	"key_account_management.api.reclassify_customers": "key_account_management.classification.api.reclassify_customers",
}
