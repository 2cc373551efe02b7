"""The item group tree at the whitespace's level (docs/DOMAIN.md §11).

Key Account Settings' *Whitespace Item Group Level* says which level of ERPNext's item group tree the
whitespace shows: 1 is the groups right under the root ("All Item Groups"), 2 their children, and so
on. Rows are stored by the invoice rows' own item group; each is mapped to its ancestor at the level
when read (the tree's nested set), so changing the level needs no rebuild. A group above the level
(a leaf at level 1 when the level is 2) counts as itself.
"""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management.core import whitespace as rules
from key_account_management.settings import SETTINGS, whitespace_level

LEVEL_FIELD = "whitespace_item_group_level"


def chains() -> dict[str, list[str]]:
	"""{item group: [root, ..., the group]}, from the nested set (one read per request)."""
	cached = getattr(frappe.local, "kam_item_group_chains", None)
	if cached is not None:
		return cached
	found: dict[str, list[str]] = {}
	stack: list[tuple[str, int]] = []  # (name, rgt) of the open ancestors
	for name, lft, rgt in frappe.db.sql("select name, lft, rgt from `tabItem Group` order by lft"):
		while stack and stack[-1][1] < lft:
			stack.pop()
		found[name] = [ancestor for ancestor, _rgt in stack] + [name]
		stack.append((name, rgt))
	frappe.local.kam_item_group_chains = found
	return found


def deepest() -> int:
	return max((len(chain) - 1 for chain in chains().values()), default=0)


def check_level(value, label: str | None = None) -> int:
	"""The level as a whole number, or a message naming the field."""
	problem = rules.level_problem(value, deepest())
	if problem:
		label = frappe.bold(label or _(frappe.get_meta(SETTINGS).get_label(LEVEL_FIELD)))
		if problem == rules.LEVEL_TOO_DEEP:
			message = _(
				"{0} must be at most {1}, the deepest level of the item group tree; it is {2}."
			).format(label, deepest(), frappe.utils.escape_html(str(value)))
		else:
			message = _("{0} must be a whole number of at least 1; it is {1}.").format(
				label, frappe.utils.escape_html(str(value))
			)
		frappe.throw(message, title=_("Invalid Item Group Level"))
	return int(float(value))


def current_level(override=None) -> int:
	"""The level asked for (a report filter), else the settings' (1 when empty), checked."""
	if override not in (None, ""):
		return check_level(override, _("Item Group Level"))
	return check_level(whitespace_level())


def buckets(level: int) -> dict[str, str]:
	"""{item group: the group it counts under at ``level``}."""
	return {name: rules.bucket_of(chain, level) for name, chain in chains().items()}


def columns(level: int) -> list[str]:
	"""The groups at ``level`` (and the leaves above it), in tree order: the whitespace's columns."""
	parents = {chain[-2] for chain in chains().values() if len(chain) > 1}
	return [
		name
		for name, chain in chains().items()
		if len(chain) - 1 == level or (0 < len(chain) - 1 < level and name not in parents)
	]


def validate_settings(doc) -> None:
	"""Key Account Settings' validate: the level must exist in the tree."""
	if doc.meta.get_field(LEVEL_FIELD):
		if doc.get(LEVEL_FIELD) in (None, ""):
			doc.set(LEVEL_FIELD, 1)
		check_level(doc.get(LEVEL_FIELD))
