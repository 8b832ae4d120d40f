"""Words for the generated log: places, organisations, people and what boards talk about."""

from __future__ import annotations

AREAS = (
    "Northshire",
    "Eastvale",
    "Westmoor",
    "Southfield",
    "Kingsbridge",
    "Ashford Vale",
    "Riverside",
    "Highcliffe",
    "Mersey Bay",
    "Pennine",
    "Fenland",
    "Wealdon",
    "Coastway",
    "Midmarch",
    "Thameside",
    "Cotswold Edge",
    "Severn",
    "Humberside",
    "Tyneford",
    "Wessex",
)
# Where several organisations of one area share a kind, they are told apart by these.
QUALIFIERS = ("North", "South", "East", "West", "Central", "Upper", "Lower", "Greater")

PROVIDER_KINDS = (
    "{area} Hospitals NHS Foundation Trust",
    "{area} Community Health NHS Trust",
    "{area} Partnership NHS Foundation Trust",
    "{area} GP Federation",
    "{area} Ambulance Service NHS Trust",
)
PARTNER_KINDS = (
    "{area} County Council Adult Social Care",
    "Age Concern {area}",
    "Healthwatch {area}",
)

FIRST_NAMES = (
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Eleni",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jo",
    "Kwame",
    "Laura",
    "Mei",
    "Niall",
    "Olu",
    "Priya",
    "Rhys",
    "Sara",
    "Tom",
    "Uzma",
)
LAST_NAMES = (
    "Ahmed",
    "Brown",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nwosu",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Walker",
    "Young",
)

PROGRAMMES = (
    "Redesign the urgent care pathway",
    "Integrated discharge to assess",
    "Community mental health transformation",
    "Frailty virtual wards",
    "Elective recovery and waiting list validation",
    "Children and young people's mental health",
    "Diabetes prevention and foot care",
    "Stroke rehabilitation in the community",
)
WORKSTREAMS = (
    "Hospital flow",
    "Mental health crisis",
    "Primary care access",
    "Social care capacity",
    "Digital and data",
    "Workforce",
    "Patient engagement",
    "Finance and contracting",
)

DECISION_TOPICS = (
    "Move the single point of access to the community trust",
    "Fund two additional crisis cafes",
    "Adopt a shared discharge template across the system",
    "Pilot a same-day emergency care unit",
    "Stop the duplicate triage step in the 111 pathway",
    "Commission a trusted assessor model for care homes",
    "Pool the frailty budget between health and social care",
    "Standardise the referral criteria for memory services",
)
OPTIONS = ("Do nothing", "Pilot in one locality", "Roll out system-wide", "Defer a quarter")
OBJECTIONS = (
    "No workforce to staff it",
    "Moves cost to social care without funding",
    "Evidence from the pilot is too thin",
    "Clinical risk not assessed",
)
PURPOSE = (
    "People in {area} get the right urgent care first time, close to home.",
    "Nobody in {area} stays in hospital a day longer than they need to.",
    "Everyone in {area} in a mental health crisis is seen within four hours.",
)
DISPUTES = (
    "Says nothing about social care",
    "Targets set without provider input",
    "Ignores the workforce gap",
)
COMMITMENTS = (
    "Reduce ambulance handover delays over 60 minutes",
    "Validate the elective waiting list",
    "Open seven-day discharge team",
    "Deliver annual health checks for people with learning disabilities",
    "Cut out-of-area mental health placements",
    "Publish a weekly flow dashboard",
)
LEVERS = ("CQUIN", "KPI", "SDIP", "contract variation", "quality schedule", None)
EVIDENCE = (
    "Board minutes discussed the run chart",
    "Staff survey results shared with all partners",
    "Process map agreed at the workshop",
    "Benefits realisation plan signed off",
    "Spread plan to two further localities",
)
ACTIONS = (
    "Agree measures with the provider analysts",
    "Brief the clinical reference group",
    "Write up the PDSA cycle",
    "Name an executive sponsor in each partner",
)
KNOWLEDGE = ("Stakeholder map", "Contract history", "Run chart definitions", "Board relationships")
