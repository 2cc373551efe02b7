// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Profile", {
	setup(frm) {
		frm.set_query("customer", () => ({ filters: { disabled: 0 } }));
	},
	refresh(frm) {
		if (frm.doc.abc_class) {
			const colour = { A: "green", B: "blue", C: "orange" }[frm.doc.abc_class];
			frm.dashboard.add_indicator(__("Class {0}", [frm.doc.abc_class]), colour);
		}
		if (frm.doc.override_class && frm.doc.computed_abc_class !== frm.doc.override_class) {
			frm.dashboard.set_headline(
				__("Manual override {0} in force; computed class is {1}.", [
					frm.doc.override_class,
					frm.doc.computed_abc_class || __("none"),
				])
			);
		}
		if (!frm.is_new()) {
			frm.trigger("render_buying_center");
			if (frm.doc.suggested_stage && frm.doc.suggested_stage !== frm.doc.relationship_stage) {
				frm.add_custom_button(__("Confirm Suggested Stage ({0})", [__(frm.doc.suggested_stage)]), () =>
					frappe
						.call("key_account_management.relationship.confirm_suggested_stage", { profile: frm.doc.name })
						.then(() => frm.reload_doc())
				);
			}
			frm.add_custom_button(
				__("Add Person"),
				() => frappe.new_doc("Buying Center Role", { key_account: frm.doc.name }),
				__("Buying Center")
			);
			frm.add_custom_button(
				__("ABC Analysis"),
				() => frappe.set_route("query-report", "ABC Analysis"),
				__("View")
			);
		}
	},
	render_buying_center(frm) {
		const wrapper = frm.get_field("buying_center_html").$wrapper;
		frappe
			.call("key_account_management.buying_center.get_buying_center", { key_account: frm.doc.name })
			.then((r) => key_account_management.render_buying_center(wrapper, r.message));
	},
	customer(frm) {
		if (frm.doc.customer && !frm.doc.account_manager) {
			frappe.db.get_value("Customer", frm.doc.customer, "account_manager").then((r) => {
				if (r.message && r.message.account_manager) {
					frm.set_value("account_manager", r.message.account_manager);
				}
			});
		}
	},
});

frappe.ui.form.on("Key Account Playbook Item", {
	form_render(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		const grid_row = frm.fields_dict.playbook_items.grid.grid_rows_by_docname[cdn];
		if (!row.todo && !frm.is_new() && grid_row) {
			grid_row.wrapper.find(".kam-make-todo").remove();
			$(`<button class="btn btn-xs btn-default kam-make-todo">${__("Make ToDo")}</button>`)
				.appendTo(grid_row.grid_form.wrapper.find(".form-area"))
				.on("click", () =>
					frappe
						.call("key_account_management.relationship.make_todo", { profile: frm.doc.name, row_name: cdn })
						.then(() => frm.reload_doc())
				);
		}
	},
});
