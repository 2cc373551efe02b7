"""A plan belongs to its key account: the people who may work on the account may read and write its plans
(docs/DOMAIN.md §1). Registered in hooks.py as permission_query_conditions and has_permission."""

from __future__ import annotations

from key_account_management.access.records import key_account_has_permission, key_account_query

DOCTYPE = "Key Account Plan"


def plan_query(user: str | None = None) -> str:
	return key_account_query(DOCTYPE, user)


def plan_has_permission(doc, ptype=None, user=None) -> bool | None:
	return key_account_has_permission(doc, ptype, user)
