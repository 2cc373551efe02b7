// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Relationship Stage", {
	refresh(frm) {
		frm.set_intro(
			__(
				"Together the stages must map every share of wallet from 0% upward to exactly one stage: no gaps, no overlaps. SoW From is inclusive, SoW To exclusive; leave SoW To at 0 on the top stage. Interrupted stages have no range. To move a boundary between two stages, use Edit All Ranges."
			),
			"blue"
		);
		if (frappe.model.can_write("Relationship Stage")) {
			frm.add_custom_button(__("Edit All Ranges"), () => edit_all_ranges(frm));
		}
	},
	interrupted(frm) {
		if (frm.doc.interrupted) {
			frm.set_value("sow_from", 0);
			frm.set_value("sow_to", 0);
		}
	},
});

function edit_all_ranges(frm) {
	frappe
		.xcall("key_account_management.relationship.stages.get_stage_ranges")
		.then((stages) => {
			const ranged = stages.filter((s) => !s.interrupted);
			const dialog = new frappe.ui.Dialog({
				title: __("SoW Ranges of All Stages"),
				size: "large",
				fields: [
					{
						fieldname: "ranges",
						fieldtype: "Table",
						cannot_add_rows: true,
						cannot_delete_rows: true,
						in_place_edit: true,
						data: ranged.map((s) => ({ stage: s.name, sow_from: s.sow_from, sow_to: s.sow_to })),
						fields: [
							{ fieldname: "stage", label: __("Stage"), fieldtype: "Data", read_only: 1, in_list_view: 1 },
							{ fieldname: "sow_from", label: __("SoW From %"), fieldtype: "Percent", in_list_view: 1 },
							{ fieldname: "sow_to", label: __("SoW To %"), fieldtype: "Percent", in_list_view: 1 },
						],
					},
				],
				primary_action_label: __("Save"),
				primary_action(values) {
					const ranges = {};
					(values.ranges || []).forEach((row) => {
						ranges[row.stage] = { sow_from: row.sow_from || 0, sow_to: row.sow_to || 0 };
					});
					frappe
						.xcall("key_account_management.relationship.stages.set_stage_ranges", { ranges })
						.then(() => {
							dialog.hide();
							frm.reload_doc();
						});
				},
			});
			dialog.show();
		});
}
