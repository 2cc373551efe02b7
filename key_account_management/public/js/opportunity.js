// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

// The key-account funnel on ERPNext's Opportunity: grade and screen at a glance, and a reason asked for
// when the sales stage moves past a stage whose key milestone is still open (the server checks it too).
frappe.ui.form.on("Opportunity", {
	onload(frm) {
		// the milestones are the Sales Stages' data, kept in English: show them in the user's language
		const milestone = (frappe.meta.docfield_map["Opportunity Milestone"] || {}).milestone;
		if (milestone && !milestone.formatter) {
			milestone.formatter = (value) => frappe.utils.escape_html(__(value || ""));
		}
		frappe.db
			.get_list("Sales Stage", {
				fields: ["name", "kam_sequence", "kam_milestone"],
				filters: { kam_sequence: [">", 0] },
				order_by: "kam_sequence asc",
				limit: 0,
			})
			.then((stages) => {
				frm.kam_funnel_stages = stages;
			});
	},
	refresh(frm) {
		// one checklist row per funnel stage, kept by the server
		frm.set_df_property("kam_milestones", "cannot_add_rows", 1);
		frm.set_df_property("kam_milestones", "cannot_delete_rows", 1);
		frm.kam_saved_stage = frm.is_new() ? null : frm.doc.sales_stage;
		// the form's dashboard sits on the Connections tab in v15: what needs attention goes in the intro
		const notes = [];
		if (frm.doc.kam_not_pursued) {
			notes.push(__("Not pursued: {0}", [frappe.utils.escape_html(frm.doc.kam_not_pursued_reason || "")]));
		} else if (
			frm.doc.expected_closing &&
			["Open", "Replied", "Quotation"].includes(frm.doc.status) &&
			frm.doc.expected_closing < frappe.datetime.get_today()
		) {
			notes.push(__("The expected closing date has passed, so the opportunity grades D: set a new date."));
		}
		if (frm.doc.kam_grade_override && frm.doc.kam_grade_override !== frm.doc.kam_computed_grade) {
			notes.push(
				__("Manual grade {0} in force; computed grade is {1}.", [
					frm.doc.kam_grade_override,
					frm.doc.kam_computed_grade || __("none"),
				])
			);
		}
		if (frm.doc.kam_screen_result) {
			notes.push(
				__("Risk Screen {0}: {1} of 15", [__(frm.doc.kam_screen_result), frm.doc.kam_screen_total])
			);
		}
		if (frm.doc.kam_out_of_funnel) {
			notes.push(__("Small Order: Outside the Funnel"));
		}
		frm.set_intro(notes.length ? notes.join("<br>") : "", frm.doc.kam_not_pursued ? "red" : "blue");
		if (frm.doc.kam_grade) {
			const colour = { A: "green", B: "blue", C: "orange", D: "gray" }[frm.doc.kam_grade];
			frm.dashboard.add_indicator(__("Grade {0}", [frm.doc.kam_grade]), colour);
		}
	},
	sales_stage(frm) {
		const stages = frm.kam_funnel_stages || [];
		if (!stages.length || frm.doc.kam_out_of_funnel || frm.doc.kam_stage_change_reason) return;
		const sequence = (name) => {
			const stage = stages.find((s) => s.name === name);
			return stage ? stage.kam_sequence : stages[0].kam_sequence;
		};
		const from = sequence(frm.kam_saved_stage);
		const to = sequence(frm.doc.sales_stage);
		if (to <= from) return;
		const done = new Set((frm.doc.kam_milestones || []).filter((r) => r.done).map((r) => r.sales_stage));
		const passed = stages.filter((s) => s.kam_sequence >= from && s.kam_sequence < to && !done.has(s.name));
		if (!passed.length) return;
		const list = passed
			.map((s) => `<li><b>${__(s.name)}</b>: ${frappe.utils.escape_html(__(s.kam_milestone || ""))}</li>`)
			.join("");
		const dialog = new frappe.ui.Dialog({
			title: __("Milestone Open"),
			fields: [
				{
					fieldtype: "HTML",
					options: `<p>${__(
						"The deal moves past these stages with their key milestone still open; forcing it there lowers its chance sharply:"
					)}</p><ul>${list}</ul>`,
				},
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Stage Change Reason"), reqd: 1 },
			],
			primary_action_label: __("Move On"),
			primary_action(values) {
				frm.set_value("kam_stage_change_reason", values.reason);
				dialog.hide();
			},
			secondary_action_label: __("Cancel"),
			secondary_action() {
				frm.set_value("sales_stage", frm.kam_saved_stage);
				dialog.hide();
			},
		});
		dialog.show();
	},
});
