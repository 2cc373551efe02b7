"""Relationship stages, share of wallet, account status and health: the Frappe side (docs/DOMAIN.md §3, §9).

- ``stages``: the Relationship Stage master (defaults, ranges, playbooks);
- ``facts``: what the ledgers say about each customer, read set-based;
- ``evaluation``: one profile's computed fields from its facts;
- ``profile``: what the Key Account Profile form does (spend estimates, stage changes, ToDos);
- ``job``: the daily evaluation of every profile.

The rules themselves are in ``core.relationship`` and ``core.health``.
"""
