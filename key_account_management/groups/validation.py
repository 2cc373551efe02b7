"""A group profile's members checked before it is saved (docs/DOMAIN.md §13).

Each refusal names the field (Group Members, its row, Joined On / Left On) and nothing is saved:

- a member that leaves before it joined;
- a member that is the group's own customer, or a group that would contain itself through its members;
- a customer in two groups at once (the same customer twice in this group, or in another group, with
  periods that share a day);
- a member that is the key account of another manager: it has its own profile with another account
  manager, until a director releases it (sets that profile's account manager to the group's) or merges
  it (deletes that profile once its notes are on the group's);
- a member that does not deal with the group profile's company: no party account, credit limit,
  submitted sales order or invoice of that company on the Customer.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate, today

from key_account_management.access.html import bold
from key_account_management.core.groups import cycle_through, first_overlap, period_is_valid
from key_account_management.groups.members import MEMBER, PROFILE, group_tree


def validate_group(doc) -> None:
	rows = list(doc.get("group_members") or [])
	if not doc.get("is_group"):
		if rows:
			frappe.throw(
				_("{0} lists {1} customers but {2} is not ticked: tick it, or clear the member rows.").format(
					bold(_("Group Members")), len(rows), bold(_("Is Group"))
				),
				title=_("Not a Group"),
			)
		return
	names = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ("in", [row.customer for row in rows])},
			fields=["name", "customer_name"],
			as_list=True,
		)
	)
	for row in rows:
		row.customer_name = names.get(row.customer) or row.customer_name
		row.joined_on = getdate(row.joined_on) if row.joined_on else getdate(today())
		row.left_on = getdate(row.left_on) if row.left_on else None
		if not period_is_valid(row.joined_on, row.left_on):
			frappe.throw(
				_("{0}, row {1}: {2} ({3}) is before {4} ({5}) for {6}.").format(
					bold(_("Group Members")),
					row.idx,
					bold(_("Left On", context="Key Account Group Member")),
					row.left_on,
					bold(_("Joined On")),
					row.joined_on,
					bold(row.customer),
				),
				title=_("Left Before Joining"),
			)
		if row.customer == doc.customer:
			frappe.throw(
				_("{0}, row {1}: {2} is the group's own customer; a group cannot contain itself.").format(
					bold(_("Group Members")), row.idx, bold(row.customer)
				),
				title=_("Group Inside Itself"),
			)
	check_overlaps_within(rows)
	open_rows = [row for row in rows if row.left_on is None or row.left_on > getdate(today())]
	check_other_groups(doc, rows)
	check_cycle(doc, open_rows)
	check_other_managers(doc, open_rows)
	check_company(doc, open_rows)


def check_overlaps_within(rows) -> None:
	by_customer: dict[str, list] = {}
	for row in rows:
		by_customer.setdefault(row.customer, []).append((row.idx, row.joined_on, row.left_on))
	for customer, periods in by_customer.items():
		pair = first_overlap(periods)
		if pair:
			frappe.throw(
				_("{0}, rows {1} and {2}: {3} is listed twice for periods that overlap.").format(
					bold(_("Group Members")), pair[0][0], pair[1][0], bold(customer)
				),
				title=_("Customer in Two Groups"),
			)


def check_other_groups(doc, rows) -> None:
	customers = tuple({row.customer for row in rows})
	if not customers:
		return
	others = frappe.db.sql(
		f"""select m.parent, m.customer, m.joined_on, m.left_on from `tab{MEMBER}` m
		join `tab{PROFILE}` p on p.name = m.parent
		where m.parenttype = %(parenttype)s and p.is_group = 1 and m.customer in %(customers)s
			and m.parent != %(name)s""",
		{"customers": customers, "name": doc.name or "", "parenttype": PROFILE},
		as_dict=True,
	)
	for row in rows:
		for other in others:
			if other.customer != row.customer:
				continue
			pair = first_overlap(
				[(row.idx, row.joined_on, row.left_on), (other.parent, other.joined_on, other.left_on)]
			)
			if pair:
				frappe.throw(
					_("{0}, row {1}: {2} is already a member of {3} in that period ({4}).").format(
						bold(_("Group Members")),
						row.idx,
						bold(row.customer),
						readable_profile(other.parent),
						_("from {0} to {1}").format(other.joined_on, other.left_on)
						if other.left_on
						else _("from {0}").format(other.joined_on),
					),
					title=_("Customer in Two Groups"),
				)


def check_cycle(doc, open_rows) -> None:
	tree = group_tree(on="open", exclude_profile=doc.name or None)
	path = cycle_through(doc.customer, [row.customer for row in open_rows], tree)
	if path:
		frappe.throw(
			_(
				"{0}: the group would contain itself ({1}); a group cannot be a member of its own members."
			).format(bold(_("Group Members")), " → ".join(bold(customer) for customer in path)),
			title=_("Group Inside Itself"),
		)


def check_other_managers(doc, open_rows) -> None:
	customers = tuple({row.customer for row in open_rows})
	if not customers:
		return
	owned = frappe.db.sql(
		f"""select name, customer, account_manager from `tab{PROFILE}`
		where customer in %(customers)s and name != %(name)s
			and ifnull(account_manager, '') != %(manager)s""",
		{"customers": customers, "name": doc.name or "", "manager": doc.account_manager or ""},
		as_dict=True,
	)
	if not owned:
		return
	by_customer = {row.customer: row for row in owned}
	row = next(row for row in open_rows if row.customer in by_customer)
	frappe.throw(
		_(
			"{0}, row {1}: {2} is the key account of another manager ({3}). A Key Account Director releases"
			" it by setting that profile's Account Manager to the group's, or merges it into the group by"
			" deleting that profile."
		).format(
			bold(_("Group Members")),
			row.idx,
			bold(row.customer),
			readable_profile(by_customer[row.customer].name),
		),
		title=_("Member Managed by Another"),
	)


def check_company(doc, open_rows) -> None:
	customers = tuple({row.customer for row in open_rows})
	if not customers or not doc.get("company"):
		return
	dealing = {
		customer
		for (customer,) in frappe.db.sql(
			"""select c.name from `tabCustomer` c where c.name in %(customers)s and (
				exists (select 1 from `tabParty Account` pa where pa.parenttype = 'Customer'
					and pa.parent = c.name and pa.company = %(company)s)
				or exists (select 1 from `tabCustomer Credit Limit` cl where cl.parenttype = 'Customer'
					and cl.parent = c.name and cl.company = %(company)s)
				or exists (select 1 from `tabSales Invoice` si where si.customer = c.name
					and si.company = %(company)s and si.docstatus = 1)
				or exists (select 1 from `tabSales Order` so where so.customer = c.name
					and so.company = %(company)s and so.docstatus = 1))""",
			{"customers": customers, "company": doc.company},
		)
	}
	for row in open_rows:
		if row.customer not in dealing:
			frappe.throw(
				_(
					"{0}, row {1}: {2} does not deal with {3}, the company of this group (no receivable set up,"
					" credit limit, sales order or invoice of {3}). Give the customer a default receivable for"
					" {3}, or choose another member."
				).format(bold(_("Group Members")), row.idx, bold(row.customer), bold(doc.company)),
				title=_("Member of Another Company"),
			)


def readable_profile(name: str) -> str:
	"""The other profile named to who may read it, else a neutral phrase (no leak through the message)."""
	if frappe.has_permission(PROFILE, "read", name):
		return bold(name)
	return _("an account you do not work on")
