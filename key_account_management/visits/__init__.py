"""Visits to key accounts: the Frappe side (docs/DOMAIN.md §5).

- ``cadence``: the cadence, follow-up period and default yearly income from the settings;
- ``record``: what the Visit Record controller checks and does (it takes the document);
- ``profile``: the profile's last and next visit, and the contacts' last contact, after a visit;
- ``jobs``: the daily job that finds overdue visits and follow-ups.

The rules are in ``core.visits`` and ``core.visit_compliance``.
"""
