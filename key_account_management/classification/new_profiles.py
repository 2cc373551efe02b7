"""A profile for every A customer without one, made set-based by the reclassification (docs/DOMAIN.md §2).

With "create a profile for every A customer" on, a first run on a real company meets thousands of A
customers; inserted one document at a time (validate, the funnel's linking of opportunities, a realtime
publish, each per profile) 2,500 of them took minutes inside the run's transaction. Here the same rows a
document insert writes are written in a few multi-row inserts: the profile with the fields its form
fetches and computes (customer's name, group, territory and account manager, company and currency, the
class and its basis, the relationship evaluation of ``relationship.evaluation``), its first class-history
row, the stage the relationship rules apply with its history row and playbook, and the customer's
opportunities joined to the account (``funnel.opportunity.link_key_accounts``). The bench test
``test_new_profiles`` holds such a profile equal to one made by hand, field for field.
"""

from __future__ import annotations

import frappe
from frappe.utils import flt, getdate, now_datetime

from key_account_management.company import default_company
from key_account_management.db_utils import append_child_rows, insert_rows
from key_account_management.funnel.opportunity import link_key_accounts
from key_account_management.groups.members import groups_of_customers
from key_account_management.relationship.evaluation import COMPUTED_FIELDS, get_config, make_evaluator
from key_account_management.relationship.facts import empty_facts, load_facts
from key_account_management.relationship.profile import auto_reason
from key_account_management.relationship.stages import get_playbook, get_stages

PROFILE = "Key Account Profile"


def create_profiles_for_a_customers(
	computed, with_profile: set, settings, company: str, as_of, to_date
) -> int:
	"""Profiles for the enabled A customers of ``computed`` not in ``with_profile``; returns how many."""
	if not settings.auto_create_profiles:
		return 0
	# a group's member classified with its group carries the group's row: the member's own name counts
	wanted = [
		(customer, row)
		for customer, row in computed.items()
		if row.abc_class == "A" and customer not in with_profile
	]
	if not wanted:
		return 0
	customers = {
		c.name: c
		for c in frappe.db.sql(
			"""select c.name, c.customer_name, c.customer_group, c.territory, c.account_manager
			from `tabCustomer` c
			where c.disabled = 0 and c.name in %(names)s""",
			{"names": tuple(customer for customer, _row in wanted)},
			as_dict=True,
		)
	}
	# a current member of a group account is the group's key account (docs/DOMAIN.md §13): no profile of
	# its own, which would also make it "the key account of another manager" in its group's eyes
	members = groups_of_customers(list(customers))
	wanted = [
		(customer, row) for customer, row in wanted if customer in customers and customer not in members
	]
	if not wanted:
		return 0
	rows = profile_rows(wanted, customers, settings, company, as_of, to_date)
	now, user = now_datetime(), frappe.session.user
	# each row as the document would write it: its defaults, then every column typed as db_insert types it
	fields, values = None, []
	numeric = {
		df.fieldname
		for df in frappe.get_meta(PROFILE).fields
		if df.fieldtype in ("Rating", "Int", "Float", "Currency", "Percent", "Check") and not df.is_virtual
	}
	for row in rows:
		doc = frappe.new_doc(PROFILE)
		doc.update({k: v for k, v in row.items() if not k.startswith("_")})
		doc.update({"creation": now, "modified": now, "owner": user, "modified_by": user, "docstatus": 0})
		valid = doc.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True)
		valid.update({field: 0 for field in numeric if valid.get(field) is None})
		fields = fields or list(valid)
		values.append(tuple(valid.get(field) for field in fields))
	insert_rows(PROFILE, fields, values)
	write_children(rows, now)
	# the funnel's after-insert step for every new profile at once: their customers' opportunities
	link_key_accounts()
	frappe.publish_realtime("list_update", {"doctype": PROFILE, "name": None}, after_commit=True)
	return len(rows)


def profile_rows(wanted, customers, settings, company, as_of, to_date) -> list[dict]:
	"""The profile row a document insert writes for each customer (``_stage``/``_class`` carry what its
	child rows need)."""
	config = get_config()
	stages = get_stages()
	evaluate = make_evaluator(stages, config, getdate(as_of))
	facts = load_facts(company, as_of, customers=[customer for customer, _row in wanted])
	# the company a profile made by hand takes (Key Account Settings'), which the run's normally is
	home = default_company() or company
	currency = frappe.get_cached_value("Company", home, "default_currency") if home else None
	rows = []
	for customer, row in wanted:
		info = customers[customer]
		profile = frappe._dict(
			name=customer,
			customer=customer,
			customer_name=info.customer_name,
			customer_group=info.customer_group,
			territory=info.territory,
			account_manager=info.account_manager,
			# a document insert fetches the manager's name before validate sets the manager from the
			# Customer: a profile made by hand starts without it too (the next save fetches it)
			account_manager_name=None,
			company=home,
			company_currency=currency,
			computed_abc_class=row.abc_class,
			abc_class=row.abc_class,
			abc_basis=settings.basis,
			basis_value=flt(row.value, 6),
			abc_as_of=to_date,
			is_group=0,
		)
		target = evaluate(profile, facts.get(customer) or empty_facts(), [], [])
		for field in COMPUTED_FIELDS:
			profile[field] = target[field]
		if config.auto_apply_stage and target.suggested_stage:
			profile.relationship_stage = target.suggested_stage
			profile._stage = (target.suggested_stage, auto_reason(target.sow))
		profile._class = (row.abc_class, flt(row.value, 6), flt(row.cumulative_share, 6))
		rows.append(profile)
	return rows


def write_children(rows, now) -> None:
	"""The first class-history row of each profile, and the stage history and playbook of the stage the
	relationship rules applied, as the profile's validate appends them."""
	user = frappe.session.user
	append_child_rows(
		"Key Account Class History",
		PROFILE,
		"class_history",
		[
			{
				"parent": row["name"],
				"changed_on": now,
				"from_class": None,
				"to_class": row["_class"][0],
				"basis_value": row["_class"][1],
				"cumulative_share": row["_class"][2],
				"source": "Computed",
				"changed_by": user,
			}
			for row in rows
		],
		idx_from_one=True,
		now=now,
	)
	staged = [row for row in rows if row.get("_stage")]
	playbooks: dict[str, list[str]] = {}
	for row in staged:
		stage = row["_stage"][0]
		if stage not in playbooks:
			playbooks[stage] = get_playbook(stage)
	append_child_rows(
		"Relationship Stage History",
		PROFILE,
		"stage_history",
		[
			{
				"parent": row["name"],
				"changed_on": now,
				"from_stage": None,
				"to_stage": row["_stage"][0],
				"reason": row["_stage"][1],
				"changed_by": user,
			}
			for row in staged
		],
		idx_from_one=True,
		now=now,
	)
	append_child_rows(
		"Key Account Playbook Item",
		PROFILE,
		"playbook_items",
		[
			{"parent": row["name"], "stage": row["_stage"][0], "action": action, "done": 0}
			for row in staged
			for action in playbooks[row["_stage"][0]]
		],
		idx_from_one=True,
		now=now,
	)
