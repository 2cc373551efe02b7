// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Profile", {
	setup(frm) {
		frm.set_query("customer", () => ({ filters: { disabled: 0 } }));
		if (!frappe.model.can_read("Customer")) {
			// may only select Customers: fetch the few fields the profile shows through the app
			// instead of Frappe's fetch, which would need read on Customer ("Cannot Fetch Values")
			for (const key of ["*", "Key Account Profile"]) {
				if (frm.fetch_dict[key]) delete frm.fetch_dict[key].customer;
			}
		}
	},
	show_plan_progress(frm) {
		// an account whose plan falls behind says so on its profile (the list call keeps row-level access)
		frappe.db
			.get_list("Key Account Plan", {
				filters: { key_account: frm.doc.name, status: "Active" },
				fields: ["name", "plan_status", "measures_behind"],
				limit: 1,
			})
			.then((plans) => {
				const plan = plans[0];
				if (!plan || !plan.plan_status) return;
				const colour = { "At risk": "red", Behind: "orange", "On track": "blue", Achieved: "green" }[
					plan.plan_status
				];
				frm.dashboard.add_indicator(__("Plan: {0}", [__(plan.plan_status)]), colour || "gray");
				if (plan.measures_behind) {
					frm.dashboard.set_headline_alert(
						__("The account plan {0} has {1} measure(s) behind what is expected by now.", [
							`<a href="/app/key-account-plan/${encodeURIComponent(plan.name)}">${frappe.utils.escape_html(plan.name)}</a>`,
							cint(plan.measures_behind),
						]),
						colour
					);
				}
			});
	},
	refresh(frm) {
		frm.events.translate_shipped_texts(frm);
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
		if (frm.doc.next_visit_due) {
			const overdue = frm.doc.next_visit_due < frappe.datetime.get_today();
			frm.dashboard.add_indicator(
				__("Next visit due {0}", [frappe.datetime.str_to_user(frm.doc.next_visit_due)]),
				overdue ? "red" : "blue"
			);
		}
		frm.trigger("render_health_parts");
		if (!frm.is_new()) {
			frm.trigger("show_plan_progress");
			frm.trigger("render_buying_center");
			if (frm.doc.is_group) frm.trigger("render_group_tree");
			frm.trigger("render_visits_and_hospitality");
			if (frm.doc.suggested_stage && frm.doc.suggested_stage !== frm.doc.relationship_stage) {
				frm.add_custom_button(__("Confirm Suggested Stage ({0})", [__(frm.doc.suggested_stage)]), () =>
					frappe
						.call("key_account_management.relationship.profile.confirm_suggested_stage", { profile: frm.doc.name })
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
	translate_shipped_texts(frm) {
		// playbook actions are copied from the stage master the app ships in English, and the stage
		// history's reasons may be the app's own ("Confirmed the suggested stage."): show them in the
		// user's language; typed text has no translation and shows as typed
		const translated = (value) => frappe.utils.escape_html(__(value || ""));
		[
			["playbook_items", "action"],
			["stage_history", "reason"],
		].forEach(([table, fieldname]) => {
			const grid = frm.fields_dict[table] && frm.fields_dict[table].grid;
			if (grid && grid.grid_rows) {
				grid.update_docfield_property(fieldname, "formatter", translated);
				grid.refresh();
			}
		});
	},
	render_group_tree(frm) {
		// the group's members as a tree (docs/DOMAIN.md §13): HTML built and escaped by the server
		frappe
			.xcall("key_account_management.groups.tree.get_group_tree", { key_account: frm.doc.name })
			.then((html) => frm.get_field("group_tree_html").$wrapper.html(html));
	},
	render_buying_center(frm) {
		const wrapper = frm.get_field("buying_center_html").$wrapper;
		frappe
			.call("key_account_management.buying_center.api.get_buying_center", { key_account: frm.doc.name })
			.then((r) => key_account_management.render_buying_center(wrapper, r.message));
	},
	customer(frm) {
		if (!frm.doc.customer) return;
		frappe
			.xcall("key_account_management.access.customers.customer_basics", {
				customer: frm.doc.customer,
			})
			.then((basics) => {
				for (const field of ["customer_name", "customer_group", "territory"]) {
					frm.set_value(field, basics[field]);
				}
				if (basics.account_manager && !frm.doc.account_manager) {
					frm.set_value("account_manager", basics.account_manager);
				}
			});
	},
	render_health_parts(frm) {
		// "Order recency: 18.0 / 25" lines as labelled figures with a bar each
		const wrapper = frm.get_field("health_parts_html").$wrapper;
		const rows = (frm.doc.health_parts || "")
			.split("\n")
			.map((line) => line.match(/^([^:]+): (?:([\d.]+) \/ ([\d.]+)|no data)/))
			.filter(Boolean);
		if (!rows.length) {
			wrapper.html(`<p class="text-muted small">${__("No health score computed yet.")}</p>`);
			return;
		}
		const body = rows
			.map(([, label, points, weight]) => {
				const known = points !== undefined;
				const percent = known && +weight ? Math.round((100 * +points) / +weight) : 0;
				const figure = known
					? __("{0} of {1}", [format_number(+points, null, 1), format_number(+weight, null, 0)])
					: __("no data");
				return `<tr>
					<td style="width: 40%">${frappe.utils.escape_html(__(label))}</td>
					<td style="width: 25%" class="text-right">${figure}</td>
					<td><div class="progress" style="height: 8px; margin-top: 6px">
						<div class="progress-bar" style="width: ${percent}%"></div></div></td>
				</tr>`;
			})
			.join("");
		wrapper.html(`<table class="table table-sm table-borderless">${body}</table>`);
	},
	render_visits_and_hospitality(frm) {
		const date = (value) => (value ? frappe.datetime.str_to_user(value) : "");
		const link = (doctype, name, text) =>
			`<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${frappe.utils.escape_html(text)}</a>`;
		const table = (rows, empty) =>
			rows.length
				? `<table class="table table-sm">${rows.join("")}</table>`
				: `<p class="text-muted small">${empty}</p>`;
		frappe.db
			.get_list("Visit Record", {
				filters: { key_account: frm.doc.name, docstatus: ["<", 2] },
				fields: ["name", "status", "visit_date", "planned_start", "visit_method", "objective"],
				order_by: "planned_start desc",
				limit: 8,
			})
			.then((visits) => {
				const rows = visits.map(
					(v) => `<tr><td>${link("Visit Record", v.name, date(v.visit_date || v.planned_start))}</td>
						<td>${__(v.status)}</td><td>${__(v.visit_method || "")}</td>
						<td>${frappe.utils.escape_html(v.objective || "")}</td></tr>`
				);
				frm.get_field("visits_html").$wrapper.html(table(rows, __("No visits yet.")));
			});
		frappe.db
			.get_list("Hospitality Request", {
				filters: { key_account: frm.doc.name },
				fields: ["name", "workflow_state", "planned_date", "request_type", "estimated_amount", "currency"],
				order_by: "planned_date desc",
				limit: 8,
			})
			.then((requests) => {
				const rows = requests.map(
					(r) => `<tr><td>${link("Hospitality Request", r.name, date(r.planned_date))}</td>
						<td>${__(r.request_type)}</td><td>${__(r.workflow_state || "Draft")}</td>
						<td class="text-right">${format_currency(r.estimated_amount, r.currency)}</td></tr>`
				);
				frm.get_field("hospitality_html").$wrapper.html(
					table(rows, __("No hospitality requests yet."))
				);
			});
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
						.call("key_account_management.relationship.profile.make_todo", { profile: frm.doc.name, row_name: cdn })
						.then(() => frm.reload_doc())
				);
		}
	},
});
