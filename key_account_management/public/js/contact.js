// Contact form: the buying-center roles this person holds in key accounts.
frappe.ui.form.on("Contact", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe
			.call("key_account_management.buying_center.api.get_contact_roles", { contact: frm.doc.name })
			.then((r) => {
				const roles = r.message || [];
				if (!roles.length) return;
				const text = roles
					.map((role) =>
						__("{0} in {1} ({2}, influence {3})", [
							__(role.buying_role),
							role.key_account,
							__(role.attitude),
							role.influence,
						])
					)
					.join("; ");
				frm.dashboard.set_headline(__("Buying roles: {0}", [frappe.utils.escape_html(text)]));
			});
	},
});
