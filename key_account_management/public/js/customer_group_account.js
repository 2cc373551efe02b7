// groups: the group account (集团客户) this customer belongs to, as an indicator on the Customer form
// (docs/DOMAIN.md §13); shown only to who may read that group's profile
frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe
			.xcall("key_account_management.groups.tree.get_customer_group_account", { customer: frm.doc.name })
			.then((group) => {
				if (!group) return;
				frm.dashboard.add_indicator(
					__("Member of group {0}", [frappe.utils.escape_html(group.customer_name || group.profile)]),
					"blue"
				);
			});
	},
});
