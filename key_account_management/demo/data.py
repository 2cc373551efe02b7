"""The demo company, its people, items and customers: what the other demo modules make."""

from __future__ import annotations

COMPANY = "KAM Demo Ltd"
ABBR = "KDL"
CURRENCY = "CNY"
WAREHOUSE = f"Stores - {ABBR}"
PREFIX = "DEMO-"
MANAGERS = {
	"demo.kam.li@example.com": "Li Ming",
	"demo.kam.zhao@example.com": "Zhao Hui",
}
DIRECTOR = ("demo.director@example.com", "Wang Jun")
APPROVER = ("demo.finance@example.com", "Chen Fang")
# the site's administrator when it has none but Administrator (a fresh site set up by make_demo)
ADMIN = ("demo.admin@example.com", "Demo Admin")
# every demo user logs in with this (documented in the README); strong enough for Frappe's policy
DEMO_PASSWORD = "Demo#2026kam"
ITEMS = {  # item: (group, cost, price)
	f"{PREFIX}Servo Motor": ("Demo Motion Control", 620, 980),
	f"{PREFIX}Motion Controller": ("Demo Motion Control", 1450, 2300),
	f"{PREFIX}Industrial PLC": ("Demo Automation", 2100, 3200),
	f"{PREFIX}HMI Panel": ("Demo Automation", 880, 1290),
	f"{PREFIX}Sensor Kit": ("Demo Sensors", 95, 180),
	f"{PREFIX}Cable Set": ("Demo Sensors", 30, 52),
}
SERVICE = f"{PREFIX}Commissioning Service"
CUSTOMERS = [
	"Huaxin Steel Group",
	"Everbright Auto Parts",
	"Jinling Shipbuilding",
	"Zhongyuan Power Grid",
	"Sunrise Packaging",
	"Tianhe Logistics",
	"Northstar Pharma",
	"Pearl River Foods",
	"Qilu Chemicals",
	"Yangtze Glassworks",
	"Golden Harvest Machinery",
	"Bluewave Textiles",
	"Redstone Mining",
	"Silverline Electronics",
	"Greenfield Agritech",
	"Lotus Home Appliances",
	"Phoenix Batteries",
	"Crane Precision Tools",
	"Harbor City Water",
	"Summit Cement",
	"Jade Valley Paper",
	"Oriental Rail Systems",
	"Maple Medical Devices",
	"Starlight Solar",
	"Westlake Printing",
	"Dragon Gate Ceramics",
	"Mountain Spring Beverages",
	"Unity Plastics",
	"Horizon Aerospace Parts",
	"Kunlun Wind Energy",
	"Riverside Furniture",
	"Coastal Seafood Co",
]


# key accounts whose orders stopped that many months ago, so that the directors' Account Health has
# accounts that slip: 4 months is at risk (past half the interruption days), 8 months interrupted.
# Commissioning only (no stock): added to a demo made before, they post no back-dated stock movement.
SLIPPING = {"Evergreen Instruments": 4, "Blue Sky Cables": 8}


def customer_name(index: int) -> str:
	return f"{PREFIX}{CUSTOMERS[index]}"
