"""The buying center (采购氛围) of a key account: the Frappe side (docs/DOMAIN.md §4).

- ``members``: every account's roles read in one query, and a profile's coverage written back;
- ``role``: what the Buying Center Role controller checks and does (it takes the document);
- ``api``: the whitelisted reads of the profile and Contact forms.

The rules are in ``core.buying_center``.
"""
