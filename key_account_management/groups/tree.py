"""The group's members as a tree on the profile (docs/DOMAIN.md §13): one whitelisted read for the
profile's panel, for those who may read the profile, every name escaped."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import format_date, getdate, today

from key_account_management.access.html import esc
from key_account_management.core.groups import is_member_on
from key_account_management.groups.members import MEMBER, PROFILE, groups_of_customers

# how deep member groups are drawn (a group of groups of groups ...)
MAX_DEPTH = 5


@frappe.whitelist()
@frappe.read_only()
def get_group_tree(key_account: str) -> str:
	"""The HTML of the group's tree: its customer, its current members (a member that is a group with its
	own members below it), then the members that left, with their dates."""
	if not isinstance(key_account, str) or not key_account:
		frappe.throw(_("key_account must be the name of a Key Account Profile."))
	frappe.has_permission(PROFILE, "read", doc=key_account, throw=True)
	profile = frappe.db.get_value(PROFILE, key_account, ["name", "customer", "customer_name"], as_dict=True)
	if not profile:
		frappe.throw(
			_("Key Account Profile {0} does not exist.").format(frappe.bold(esc(key_account))),
			frappe.DoesNotExistError,
		)
	rows = member_rows(profile.name)
	if not rows:
		return f'<p class="text-muted small">{esc(_("No members yet."))}</p>'
	day = getdate(today())
	current = [row for row in rows if is_member_on(row.joined_on, row.left_on, day)]
	former = [row for row in rows if row not in current]
	html = [
		'<div class="kam-group-tree"><ul class="list-unstyled">',
		f"<li><strong>{esc(profile.customer_name or profile.customer)}</strong>",
		render_members(current, day, depth=1),
		"</li></ul>",
	]
	if former:
		html.append(
			f'<p class="text-muted small">{esc(_("Former members"))}</p><ul class="small text-muted">'
		)
		for row in former:
			period = _("{0} to {1}").format(format_date(row.joined_on), format_date(row.left_on))
			html.append(f"<li>{esc(row.customer_name or row.customer)} · {esc(period)}</li>")
		html.append("</ul>")
	html.append("</div>")
	return "".join(html)


def member_rows(profile: str) -> list:
	return frappe.db.sql(
		f"""select m.customer, c.customer_name, m.joined_on, m.left_on,
			(select g.name from `tab{PROFILE}` g where g.customer = m.customer and g.is_group = 1) as group_profile
		from `tab{MEMBER}` m left join `tabCustomer` c on c.name = m.customer
		where m.parenttype = %(parenttype)s and m.parentfield = 'group_members' and m.parent = %(profile)s
		order by m.joined_on, m.idx""",
		{"profile": profile, "parenttype": PROFILE},
		as_dict=True,
	)


def render_members(rows, day, depth: int) -> str:
	if not rows:
		return ""
	html = ['<ul style="border-left: 1px solid var(--border-color); margin-left: 0.5em; padding-left: 1em">']
	for row in rows:
		since = esc(_("since {0}").format(format_date(row.joined_on)))
		html.append(
			f'<li>{esc(row.customer_name or row.customer)} <span class="text-muted small">{since}</span>'
		)
		if (
			row.group_profile
			and depth < MAX_DEPTH
			and frappe.has_permission(PROFILE, "read", doc=row.group_profile)
		):
			below = [r for r in member_rows(row.group_profile) if is_member_on(r.joined_on, r.left_on, day)]
			html.append(render_members(below, day, depth + 1))
		html.append("</li>")
	html.append("</ul>")
	return "".join(html)


@frappe.whitelist()
@frappe.read_only()
def get_customer_group_account(customer: str) -> dict | None:
	"""The group account (集团客户) a customer is a member of today, for the Customer form's indicator:
	only to who may read both the customer and that group's profile."""
	if not isinstance(customer, str) or not customer:
		frappe.throw(_("customer must be the name of a Customer."))
	if not frappe.has_permission("Customer", "read", doc=customer):
		return None
	group = groups_of_customers([customer]).get(customer)
	if not group or not frappe.has_permission(PROFILE, "read", doc=group):
		return None
	return {"profile": group, "customer_name": frappe.db.get_value(PROFILE, group, "customer_name")}
