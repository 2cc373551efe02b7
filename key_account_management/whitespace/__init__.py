"""Whitespace: accounts × item groups, Bought / Lost / In pipeline / White (docs/DOMAIN.md §11)."""
