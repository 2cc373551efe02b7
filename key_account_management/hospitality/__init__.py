"""Hospitality and gifts: the Frappe side of the approval policy (docs/DOMAIN.md §6).

The rules (bands, levels, limits, settlement, the approval line and which state comes next) are in
``core.hospitality`` and ``core.hospitality_flow``, with no Frappe in them. Here:

- policy.py: the settings read into that policy, the limits and budgets from real requests and gross
  profit, what a request does to them (``evaluate``);
- approvers.py: who may act at which level (the Employee line from ``access.hierarchy``), who may
  manage a request;
- workflow.py: the Workflow shipped with the app, its roles per level;
- request.py, locks.py, approval.py: what the Hospitality Request controller delegates to (its values,
  what may change in which state, the approval trail and transitions);
- api.py: the form's whitelisted methods; cards.py: the workspace's number cards.
"""
