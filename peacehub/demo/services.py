"""The demo service directory: the coalition's own programs, which can receive referrals
in PeaceHub, and invented services outside the coalition across every need.

Every organization and service here is invented; the names are deliberately unlike any
real Chicago organization. Phone numbers are in the 555-0100 to 555-0199 range that is
reserved for fiction. Locations are in the coalition's focus areas: a point near the
area's centroid, moved onto a street of the city's address grid (so that "6342 S Halsted
St"-like addresses match their coordinates), and kept only when the area's boundary
contains it. ZIP codes are the areas' usual ones.

The directory goes in through the HSDS import (`hsds_import(update_existing=False)`):
it is validated like any file, and a second run adds nothing and changes nothing. Ids
are uuid5s (coalition.demo_id), so the rows are the same in every demo database.
"""

import dataclasses
import itertools
import random
from dataclasses import dataclass

from django.db import transaction

from peacehub.cases.domains import Domain
from peacehub.demo.coalition import (
    BEHAVIORAL_HEALTH,
    IPV_PROGRAM,
    LEGAL_AID,
    PARTNERS,
    WORKFORCE,
    Coalition,
    demo_id,
)
from peacehub.geo.geometry import bounding_box, contains
from peacehub.geo.models import CommunityArea
from peacehub.services.hsds import COALITION_IDENTIFIER_TYPE, COMMUNITY_AREA_TAXONOMY_ID
from peacehub.services.models import need_term_id
from peacehub.services.services import ImportResult, hsds_import

# --- Content ------------------------------------------------------------------------

EN, ES = "en", "es"
LANGUAGE_NAMES = {EN: "English", ES: "Spanish", "ar": "Arabic", "ase": "American Sign Language"}


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    description: str
    needs: tuple[Domain, ...]
    eligibility: str
    application: str
    fees: str = "Free."
    minimum_age: int | None = 18
    maximum_age: int | None = None
    # Languages always spoken; Spanish is added by the area (see _languages).
    languages: tuple[str, ...] = (EN,)
    status: str = "active"
    # True: every focus area; False: the organization's areas.
    citywide: bool = False


@dataclass(frozen=True)
class OrganizationSpec:
    name: str
    description: str
    services: tuple[ServiceSpec, ...]


D = Domain

PARTNER_SERVICES = (
    ServiceSpec(
        "Street outreach and conflict mediation",
        "Outreach workers who grew up in the neighbourhood build trust with the people at "
        "highest risk, answer shootings and threats within the hour, mediate conflicts "
        "between groups and connect people to case management.",
        (D.SAFETY,),
        "People at the highest risk of being shot or of shooting, in the areas we serve. "
        "Eligibility is a written checklist the person can see.",
        "Ask any of our outreach workers, or call the office; a case manager or another "
        "partner can refer through PeaceHub.",
        minimum_age=16,
        maximum_age=None,
    ),
    ServiceSpec(
        "Case management and victim support",
        "A case manager or life coach works with the participant on a service plan: "
        "safety, housing, ID, school, work and family, with referrals followed until "
        "they close. Victim advocates support people who were shot and their families, "
        "from the hospital bedside on.",
        (D.SAFETY, D.FAMILY, D.MENTAL_HEALTH),
        "Participants of our street outreach, people harmed by violence and their "
        "families, in the areas we serve.",
        "Referral through PeaceHub by a coalition partner, or an introduction by one of "
        "our outreach workers.",
        minimum_age=16,
    ),
)

PROVIDER_SERVICES: dict[str, tuple[ServiceSpec, ...]] = {
    LEGAL_AID.name: (
        ServiceSpec(
            "Legal Aid Justice Corps",
            "Free legal help from attorneys who work with the coalition: employment, "
            "housing and eviction, public benefits, crime-victim services, human "
            "trafficking, immigration, elder law and domestic violence. Criminal record "
            "relief (sealing and expungement) for participants.",
            (D.LEGAL, D.HOUSING, D.PUBLIC_BENEFITS),
            "Participants of the coalition's partners and their families, with a civil "
            "legal problem. No income test for CVI participants.",
            "Referral through PeaceHub by a case manager; an attorney calls back within "
            "two working days.",
            languages=(EN, ES),
            citywide=True,
        ),
    ),
    BEHAVIORAL_HEALTH.name: (
        ServiceSpec(
            "Individual, group and family counseling",
            "Trauma-informed counseling by licensed clinicians: individual sessions, "
            "groups for young men, and family sessions, at the center or in the "
            "partner's office.",
            (D.MENTAL_HEALTH, D.FAMILY),
            "Coalition participants and their family members.",
            "Referral through PeaceHub; the first appointment is offered within a week.",
            minimum_age=14,
            languages=(EN, ES),
            citywide=True,
        ),
        ServiceSpec(
            "Substance-use counseling",
            "Outpatient counseling for alcohol and drug use, harm reduction, and links to "
            "medication-assisted treatment.",
            (D.SUBSTANCE_USE, D.MENTAL_HEALTH),
            "Coalition participants who want to change their use of alcohol or drugs.",
            "Referral through PeaceHub, or walk in on Tuesday afternoons.",
            languages=(EN, ES),
            citywide=True,
        ),
    ),
    WORKFORCE.name: (
        ServiceSpec(
            "H.O.P.E. job-readiness curriculum",
            "Two weeks of job readiness with a stipend: goals, communication, conflict at "
            "work, résumé and interview practice, and a first meeting with employers.",
            (D.EMPLOYMENT,),
            "Coalition participants ready to look for work.",
            "Referral through PeaceHub; a new cohort starts every month.",
            minimum_age=17,
            citywide=True,
        ),
        ServiceSpec(
            "GED attainment program",
            "GED preparation in small groups, tutoring, practice tests and the exam fee paid.",
            (D.EDUCATION,),
            "Coalition participants without a high-school diploma.",
            "Referral through PeaceHub; a placement test on the first day.",
            minimum_age=17,
            languages=(EN, ES),
            citywide=True,
        ),
        ServiceSpec(
            "Skilled trades training",
            "Paid training with certificates in construction, food service, plumbing, "
            "electrical and carpentry.",
            (D.EMPLOYMENT, D.EDUCATION),
            "Graduates of the H.O.P.E. curriculum.",
            "Referral through PeaceHub after H.O.P.E.",
            citywide=True,
        ),
        ServiceSpec(
            "Job placement and retention coaching",
            "Placement with partner employers and a coach for the first year on the job.",
            (D.EMPLOYMENT,),
            "Coalition participants who finished a training or are ready to work.",
            "Referral through PeaceHub.",
            citywide=True,
        ),
    ),
    IPV_PROGRAM.name: (
        ServiceSpec(
            "Partner accountability groups",
            "Voluntary, non-mandated groups and individual sessions for adults who cause "
            "harm in intimate-partner relationships. Survivor safety comes first: the "
            "program works with survivor advocates.",
            (D.FAMILY, D.SAFETY),
            "Adults who use violence with a partner and want to stop, in the pilot's "
            "community areas. Not for court-mandated attendance.",
            "Referral through PeaceHub by a case manager or a clinician.",
            languages=(EN, ES),
        ),
    ),
}

EXTERNAL = (
    OrganizationSpec(
        "Second Door Housing Collaborative",
        "Helps people find and keep a place to live.",
        (
            ServiceSpec(
                "Rapid rehousing for young adults",
                "A deposit, up to twelve months of rent help and a housing navigator.",
                (D.HOUSING,),
                "Young adults who are homeless or about to be.",
                "Call the intake line; an assessment by phone.",
                maximum_age=24,
            ),
            ServiceSpec(
                "Eviction prevention fund",
                "One-time help with back rent when an eviction notice is filed.",
                (D.HOUSING, D.PUBLIC_BENEFITS),
                "Tenants with an eviction notice and a household income under 80% of "
                "the area median.",
                "Bring the notice, an ID and proof of income.",
            ),
            ServiceSpec(
                "Re-entry housing placement",
                "Transitional apartments and a case manager for people coming home from "
                "prison or jail.",
                (D.HOUSING,),
                "People released in the last six months.",
                "Referral by a parole officer or a case manager; pre-release planning accepted.",
            ),
        ),
    ),
    OrganizationSpec(
        "Ironweed Overnight Shelter",
        "Shelter and a day center for adults without a home.",
        (
            ServiceSpec(
                "Overnight shelter for men",
                "Beds from 7 pm to 7 am, dinner and breakfast.",
                (D.HOUSING,),
                "Men aged 18 and over.",
                "Arrive before 8 pm; no referral needed.",
            ),
            ServiceSpec(
                "Day center with showers and mail",
                "Showers, laundry, a mailing address for ID and benefit applications.",
                (D.HOUSING, D.IDENTITY_DOCUMENTS),
                "Adults without a stable home.",
                "Walk in on weekdays from 9 am.",
            ),
        ),
    ),
    OrganizationSpec(
        "Lodestar Family Shelter Network",
        "Emergency and safe housing for families.",
        (
            ServiceSpec(
                "Emergency family shelter",
                "Private family rooms for up to 90 days, with children's programs.",
                (D.HOUSING, D.FAMILY),
                "Families with children who have nowhere to stay tonight.",
                "Call the 24-hour line.",
                minimum_age=None,
            ),
            ServiceSpec(
                "Confidential safe housing",
                "Confidential shelter for survivors of domestic violence and their children.",
                (D.HOUSING, D.SAFETY, D.FAMILY),
                "Survivors of domestic violence.",
                "Call the 24-hour line; the address is given by phone.",
                minimum_age=None,
                citywide=True,
            ),
        ),
    ),
    OrganizationSpec(
        "Bluebird Benefits Desk",
        "Navigators who help people apply for public benefits.",
        (
            ServiceSpec(
                "SNAP and Medicaid application help",
                "Help applying for food assistance and health coverage, and with redeterminations.",
                (D.PUBLIC_BENEFITS, D.PHYSICAL_HEALTH),
                "Anyone who may qualify; no appointment needed.",
                "Walk in with an ID and any letters from the state.",
                minimum_age=None,
            ),
            ServiceSpec(
                "Cash assistance and utility bill help",
                "Applications for cash assistance, utility bill help and phone programs.",
                (D.PUBLIC_BENEFITS,),
                "Low-income households.",
                "Call for an appointment.",
            ),
            ServiceSpec(
                "Free tax preparation",
                "Tax returns prepared for free, including tax credits for workers.",
                (D.PUBLIC_BENEFITS,),
                "Households with an income under $67,000.",
                "Book an appointment from January to April.",
            ),
        ),
    ),
    OrganizationSpec(
        "Fresh Page ID Clinic",
        "Helps people get the documents that every other application asks for.",
        (
            ServiceSpec(
                "State ID and birth certificate clinic",
                "Help ordering a birth certificate and getting a state ID, with the fees "
                "covered for people leaving prison.",
                (D.IDENTITY_DOCUMENTS,),
                "Anyone without a current ID.",
                "Walk in on Wednesdays; bring any document with your name.",
                minimum_age=16,
                citywide=True,
            ),
            ServiceSpec(
                "Social Security card replacement help",
                "Help replacing a lost Social Security card.",
                (D.IDENTITY_DOCUMENTS,),
                "Anyone who lost their card.",
                "Walk in on Wednesdays.",
                minimum_age=16,
                citywide=True,
            ),
        ),
    ),
    OrganizationSpec(
        "Quillwork Learning Exchange",
        "Adult education in the neighbourhood.",
        (
            ServiceSpec(
                "GED classes in English and Spanish",
                "Evening GED classes, four nights a week.",
                (D.EDUCATION,),
                "Adults without a high-school diploma.",
                "Register at the front desk; classes start every eight weeks.",
                minimum_age=17,
                languages=(EN, ES),
            ),
            ServiceSpec(
                "Adult literacy tutoring",
                "One-on-one reading and writing tutoring with volunteers.",
                (D.EDUCATION,),
                "Adults who want to read and write with more ease.",
                "Call to be matched with a tutor.",
            ),
            ServiceSpec(
                "Digital skills workshops",
                "Email, online job applications and a free refurbished laptop at the end.",
                (D.EDUCATION, D.EMPLOYMENT),
                "Adults looking for work.",
                "Sign up at the front desk.",
            ),
        ),
    ),
    OrganizationSpec(
        "Evergreen Second Chance High School",
        "A small high school for young people who left school.",
        (
            ServiceSpec(
                "Diploma program for young adults",
                "A high-school diploma at your own pace, with a mentor.",
                (D.EDUCATION,),
                "Young people aged 17 to 21 who left high school.",
                "Call the school for an enrollment visit.",
                minimum_age=17,
                maximum_age=21,
            ),
            ServiceSpec(
                "Trades dual enrollment",
                "Diploma credits and a construction certificate at the same time.",
                (D.EDUCATION, D.EMPLOYMENT),
                "Enrolled students.",
                "Ask your mentor.",
                minimum_age=17,
                maximum_age=21,
            ),
        ),
    ),
    OrganizationSpec(
        "Copperleaf Community Kitchen",
        "Food and food-service training.",
        (
            ServiceSpec(
                "Weekly food pantry",
                "Groceries once a week, with fresh produce.",
                (D.PUBLIC_BENEFITS, D.FAMILY),
                "Households in the area served.",
                "Come on Saturdays from 10 am with proof of address.",
                minimum_age=None,
            ),
            ServiceSpec(
                "Culinary job training",
                "Twelve weeks of paid kitchen training and a food handler certificate.",
                (D.EMPLOYMENT, D.EDUCATION),
                "Adults with barriers to work, records welcome.",
                "Attend an information session on Mondays.",
            ),
        ),
    ),
    OrganizationSpec(
        "Open Table Pantry Alliance",
        "Meals and groceries across the South Side.",
        (
            ServiceSpec(
                "Mobile food pantry",
                "A truck with groceries at a different park every weekday.",
                (D.PUBLIC_BENEFITS,),
                "Anyone in need; no documents asked.",
                "Check the weekly schedule by phone.",
                minimum_age=None,
                citywide=True,
            ),
            ServiceSpec(
                "Hot meals program",
                "Lunch every day, and dinner on Fridays.",
                (D.PUBLIC_BENEFITS,),
                "Anyone.",
                "Walk in.",
                minimum_age=None,
            ),
        ),
    ),
    OrganizationSpec(
        "Cobalt Lane Health Center",
        "A community health center with fees on a sliding scale.",
        (
            ServiceSpec(
                "Primary care clinic",
                "Check-ups, chronic illness care, vaccines and prescriptions.",
                (D.PHYSICAL_HEALTH,),
                "Everyone, insured or not.",
                "Call for an appointment; same-day visits in the morning.",
                fees="Sliding scale by income; nobody is turned away for inability to pay.",
                minimum_age=None,
            ),
            ServiceSpec(
                "Wound care after an injury",
                "Follow-up care for gunshot and other wounds after a hospital stay, with "
                "dressing changes and physical therapy.",
                (D.PHYSICAL_HEALTH,),
                "Patients discharged after an injury.",
                "Bring the discharge papers; a referral is welcome.",
                fees="Sliding scale by income.",
            ),
            ServiceSpec(
                "Dental clinic",
                "Cleanings, fillings and extractions.",
                (D.PHYSICAL_HEALTH,),
                "Everyone.",
                "Call for an appointment.",
                fees="Sliding scale by income.",
                minimum_age=None,
                status="temporarily closed",
            ),
        ),
    ),
    OrganizationSpec(
        "Juniper Hill Recovery Center",
        "Treatment for alcohol and drug use.",
        (
            ServiceSpec(
                "Outpatient substance-use treatment",
                "Counseling three evenings a week, for twelve weeks.",
                (D.SUBSTANCE_USE,),
                "Adults who want treatment.",
                "Call for an assessment; Medicaid accepted.",
            ),
            ServiceSpec(
                "Medication for opioid use disorder",
                "Buprenorphine and methadone with counseling.",
                (D.SUBSTANCE_USE, D.PHYSICAL_HEALTH),
                "Adults with an opioid use disorder.",
                "Walk in from 7 am on weekdays.",
            ),
            ServiceSpec(
                "Recovery support groups",
                "Peer-led groups every evening.",
                (D.SUBSTANCE_USE, D.MENTAL_HEALTH),
                "Anyone in recovery or thinking about it.",
                "Just come.",
            ),
        ),
    ),
    OrganizationSpec(
        "Thistle and Stone Recovery Homes",
        "Sober living homes.",
        (
            ServiceSpec(
                "Recovery home for men",
                "A shared, alcohol- and drug-free home for up to a year, with house "
                "meetings and a job search plan.",
                (D.SUBSTANCE_USE, D.HOUSING),
                "Men who finished a treatment program.",
                "Referral by a treatment program.",
                fees="Rent on a sliding scale after the first month.",
            ),
        ),
    ),
    OrganizationSpec(
        "Tandem Family Resource Hub",
        "Support for parents and families.",
        (
            ServiceSpec(
                "Young fathers program",
                "Parenting groups, help with child support orders and visits.",
                (D.FAMILY,),
                "Fathers aged 16 to 30.",
                "Call or walk in.",
                minimum_age=16,
                maximum_age=30,
            ),
            ServiceSpec(
                "Child care assistance navigation",
                "Help applying for child care assistance and finding a provider.",
                (D.FAMILY, D.PUBLIC_BENEFITS),
                "Parents who work or study.",
                "Call for an appointment.",
            ),
            ServiceSpec(
                "Family support after a loss",
                "Counseling and practical help for families who lost someone to violence.",
                (D.FAMILY, D.MENTAL_HEALTH),
                "Families of homicide victims.",
                "Call; a worker can meet you at home.",
                minimum_age=None,
            ),
        ),
    ),
    OrganizationSpec(
        "Stillwater Trauma Recovery Center",
        "Therapy for people harmed by violence.",
        (
            ServiceSpec(
                "Trauma therapy for survivors of violence",
                "Free therapy for people who were shot, stabbed, assaulted or saw it "
                "happen, with help with victim compensation claims.",
                (D.MENTAL_HEALTH, D.SAFETY),
                "Survivors of violent crime and their families, whether or not they "
                "reported it to the police.",
                "Call; a first meeting within a week.",
                minimum_age=12,
                citywide=True,
            ),
            ServiceSpec(
                "Support groups for families of homicide victims",
                "Monthly groups for parents, partners and siblings.",
                (D.MENTAL_HEALTH, D.FAMILY),
                "Family members of homicide victims.",
                "Call to join.",
                citywide=True,
            ),
        ),
    ),
    OrganizationSpec(
        "Ember Youth Counseling Collective",
        "Counseling for teenagers and young adults.",
        (
            ServiceSpec(
                "Counseling for teens",
                "Weekly counseling at school or at the center.",
                (D.MENTAL_HEALTH,),
                "Young people aged 12 to 19.",
                "A parent, a school or a case manager can call.",
                minimum_age=12,
                maximum_age=19,
            ),
            ServiceSpec(
                "Crisis walk-in hours",
                "A counselor to talk to the same day, without an appointment.",
                (D.MENTAL_HEALTH, D.SAFETY),
                "Young people aged 12 to 24 in a crisis.",
                "Walk in on weekdays from noon to 8 pm.",
                minimum_age=12,
                maximum_age=24,
            ),
        ),
    ),
    OrganizationSpec(
        "Brightline Jobs Cooperative",
        "Jobs and training for people with records.",
        (
            ServiceSpec(
                "Transitional jobs for people with records",
                "Paid work for up to six months with a crew, and help to move to a permanent job.",
                (D.EMPLOYMENT,),
                "Adults with a criminal record.",
                "Attend an orientation on Tuesday mornings with an ID.",
            ),
            ServiceSpec(
                "Forklift and warehouse certification",
                "A two-week course and certification.",
                (D.EMPLOYMENT, D.EDUCATION),
                "Adults with an ID and a Social Security card.",
                "Sign up at orientation.",
            ),
            ServiceSpec(
                "Construction pre-apprenticeship",
                "Ten weeks of training that prepares for union apprenticeship exams.",
                (D.EMPLOYMENT, D.EDUCATION),
                "Adults with a diploma or a GED.",
                "Apply online or at orientation.",
            ),
        ),
    ),
    OrganizationSpec(
        "Sparrow Street Legal Clinic",
        "Free civil legal help.",
        (
            ServiceSpec(
                "Criminal record sealing and expungement",
                "Attorneys file petitions to seal or expunge records.",
                (D.LEGAL, D.EMPLOYMENT),
                "Adults with arrests or convictions in the county.",
                "Come to a Saturday clinic with an ID.",
                citywide=True,
            ),
            ServiceSpec(
                "Tenant rights legal help",
                "Advice and representation in eviction court.",
                (D.LEGAL, D.HOUSING),
                "Tenants facing eviction or unsafe conditions.",
                "Call the intake line.",
            ),
        ),
    ),
    OrganizationSpec(
        "Fairwind Immigrant Resource Center",
        "Legal and learning help for immigrant families.",
        (
            ServiceSpec(
                "Immigration legal consultations",
                "Free consultations, DACA renewals and help for survivors of crime (U visas).",
                (D.LEGAL,),
                "Immigrants and their families.",
                "Call for an appointment.",
                languages=(EN, ES),
                citywide=True,
            ),
            ServiceSpec(
                "English classes",
                "English as a second language, beginner to advanced.",
                (D.EDUCATION,),
                "Adults learning English.",
                "Register on the first Monday of the month.",
                languages=(EN, ES, "ar"),
            ),
        ),
    ),
    OrganizationSpec(
        "Keel Street Victim Services",
        "Practical help for victims of violent crime.",
        (
            ServiceSpec(
                "Crime victim compensation help",
                "Help claiming state compensation for medical bills, lost wages and funeral costs.",
                (D.SAFETY, D.LEGAL, D.PUBLIC_BENEFITS),
                "Victims of violent crime and their families.",
                "Call; bring the hospital bills.",
                minimum_age=None,
                citywide=True,
            ),
            ServiceSpec(
                "Emergency relocation support",
                "Help moving quickly, with the deposit and the first month's rent, "
                "when staying is dangerous.",
                (D.SAFETY, D.HOUSING),
                "People in immediate danger after a shooting or a threat.",
                "A case manager or an advocate calls on the person's behalf.",
                citywide=True,
            ),
        ),
    ),
    OrganizationSpec(
        "Meadowlark Clinic for Women and Children",
        "Health care for women, babies and children.",
        (
            ServiceSpec(
                "Prenatal care and WIC",
                "Prenatal visits, WIC enrollment and a doula program.",
                (D.PHYSICAL_HEALTH, D.FAMILY, D.PUBLIC_BENEFITS),
                "Pregnant people and families with children under five.",
                "Call for a first visit.",
                minimum_age=None,
            ),
        ),
    ),
    OrganizationSpec(
        "Granite Path Reentry Services",
        "The first months home after prison.",
        (
            ServiceSpec(
                "Re-entry navigation",
                "A navigator for the first 90 days home: ID, benefits, housing, work and "
                "parole appointments.",
                (D.EMPLOYMENT, D.IDENTITY_DOCUMENTS, D.HOUSING),
                "People released from prison or jail in the last year.",
                "Call, or ask for us before release.",
                citywide=True,
            ),
            ServiceSpec(
                "Driver's license reinstatement",
                "Help paying off tickets and getting a suspended license back.",
                (D.LEGAL, D.IDENTITY_DOCUMENTS),
                "Adults with a suspended license.",
                "Walk in on Thursdays.",
            ),
        ),
    ),
    OrganizationSpec(
        "Cedar Court Behavioral Health",
        "Psychiatry and counseling.",
        (
            ServiceSpec(
                "Psychiatric care and medication",
                "Psychiatric evaluation and medication management.",
                (D.MENTAL_HEALTH, D.PHYSICAL_HEALTH),
                "Adults; Medicaid and uninsured patients welcome.",
                "Call for an intake appointment.",
                fees="Medicaid accepted; sliding scale otherwise.",
                languages=(EN, ES, "ase"),
            ),
            ServiceSpec(
                "Co-occurring disorders program",
                "Treatment for mental illness and substance use together.",
                (D.MENTAL_HEALTH, D.SUBSTANCE_USE),
                "Adults with both a mental illness and a substance-use disorder.",
                "Referral by a clinician or case manager.",
                fees="Medicaid accepted.",
            ),
        ),
    ),
    OrganizationSpec(
        "Kiteworks Youth League",
        "Sports and mentoring after school.",
        (
            ServiceSpec(
                "After-school mentoring and sports",
                "Basketball, homework help and a mentor, every weekday after school.",
                (D.SAFETY, D.EDUCATION),
                "Young people aged 10 to 18.",
                "A parent signs up at the gym.",
                minimum_age=10,
                maximum_age=18,
            ),
        ),
    ),
    OrganizationSpec(
        "Tallgrass Mobile Health",
        "A clinic on wheels.",
        (
            ServiceSpec(
                "Mobile clinic: screenings and vaccines",
                "Blood pressure, diabetes screening and vaccines in a van.",
                (D.PHYSICAL_HEALTH,),
                "Anyone.",
                "Find the van on its weekly schedule; no appointment.",
                minimum_age=None,
                citywide=True,
            ),
            ServiceSpec(
                "HIV and hepatitis C testing",
                "Rapid tests, treatment referrals and naloxone.",
                (D.PHYSICAL_HEALTH, D.SUBSTANCE_USE),
                "Anyone.",
                "Walk up to the van.",
                minimum_age=13,
                citywide=True,
            ),
        ),
    ),
)

# The usual ZIP code of each focus area (public knowledge, for believable addresses).
ZIP_CODES = {
    23: "60651",
    25: "60644",
    26: "60624",
    27: "60612",
    29: "60623",
    37: "60609",
    38: "60653",
    40: "60637",
    42: "60637",
    43: "60649",
    44: "60619",
    45: "60619",
    46: "60617",
    47: "60619",
    48: "60617",
    49: "60628",
    50: "60628",
    51: "60617",
    53: "60628",
    54: "60827",
    61: "60609",
    66: "60629",
    67: "60636",
    68: "60621",
    69: "60619",
    71: "60620",
    73: "60643",
    75: "60643",
}

# --- Chicago's address grid ------------------------------------------------------------
# Numbers run 800 to the mile from State Street (east-west) and from Madison Street
# (north-south), except that the blocks between Madison and 31st Street are irregular:
# anchors there, 800 to the mile beyond.
_LATITUDE_PER_MILE = 1 / 69.05
_LONGITUDE_PER_MILE = 1 / 51.55
_STATE_STREET = -87.6278
_SOUTH_ANCHORS = ((41.8819, 0), (41.8674, 1200), (41.8527, 2200), (41.8383, 3100))
# North-south streets by grid number west of State, for the West Side.
_ARTERIALS = {
    800: "Halsted St",
    1600: "Ashland Ave",
    2400: "Western Ave",
    2800: "California Ave",
    3200: "Kedzie Ave",
    3600: "Central Park Ave",
    4000: "Pulaski Rd",
    4400: "Kostner Ave",
    4800: "Cicero Ave",
    5200: "Laramie Ave",
    5600: "Central Ave",
}


def _south_number(latitude: float) -> float:
    """The grid number south of Madison (negative: north)."""
    top_latitude = _SOUTH_ANCHORS[0][0]
    if latitude >= top_latitude:
        return -(latitude - top_latitude) / _LATITUDE_PER_MILE * 800
    for (lat1, n1), (lat2, n2) in itertools.pairwise(_SOUTH_ANCHORS):
        if lat2 <= latitude <= lat1:
            return n1 + (lat1 - latitude) / (lat1 - lat2) * (n2 - n1)
    lat, n = _SOUTH_ANCHORS[-1]
    return n + (lat - latitude) / _LATITUDE_PER_MILE * 800


def _latitude_of(south: float) -> float:
    lat, n = _SOUTH_ANCHORS[-1]
    return lat - (south - n) / 800 * _LATITUDE_PER_MILE


def _west_number(longitude: float) -> float:
    return (_STATE_STREET - longitude) / _LONGITUDE_PER_MILE * 800


def _longitude_of(west: float) -> float:
    return _STATE_STREET - west / 800 * _LONGITUDE_PER_MILE


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _on_a_street(latitude: float, longitude: float) -> tuple[float, float, str]:
    """Move a point onto the nearest grid street; (latitude, longitude, address)."""
    south, west = _south_number(latitude), _west_number(longitude)
    if south >= 3900:  # numbered streets: 39th Street and beyond
        block = round(south / 100)
        house = max(2, round(abs(west) / 2) * 2)
        side = "W" if west >= 0 else "E"
        return _latitude_of(block * 100), longitude, f"{house} {side} {_ordinal(block)} St"
    grid = min(_ARTERIALS, key=lambda g: abs(g - west))
    house = max(2, round(abs(south) / 2) * 2 + 1)  # odd numbers: the west side
    side = "S" if south >= 0 else "N"
    return latitude, _longitude_of(grid), f"{house} {side} {_ARTERIALS[grid]}"


def place_in_area(area: CommunityArea, rng: random.Random) -> tuple[float, float, str]:
    """A point on a street inside the area, near its centroid, with its address."""
    west, south, east, north = bounding_box(area.boundary)
    for attempt in range(200):
        spread = 0.15 if attempt < 100 else 0.35
        latitude = area.centroid_latitude + rng.uniform(-spread, spread) * (north - south)
        longitude = area.centroid_longitude + rng.uniform(-spread, spread) * (east - west)
        latitude, longitude, street = _on_a_street(latitude, longitude)
        if contains(area.boundary, longitude, latitude):
            return round(latitude, 6), round(longitude, 6), street
    # A tiny area with no grid street inside: its inside point, and the nearest street.
    latitude, longitude = area.centroid_latitude, area.centroid_longitude
    return latitude, longitude, _on_a_street(latitude, longitude)[2]


# --- Building the HSDS file ------------------------------------------------------------


class _Builder:
    def __init__(self, coalition: Coalition, rng: random.Random):
        self.coalition = coalition
        self.rng = rng
        self.areas = {
            a.number: a
            for a in CommunityArea.objects.filter(number__in=list(coalition.areas)).only(
                "pk", "number", "name", "boundary", "centroid_latitude", "centroid_longitude"
            )
        }
        self.focus = sorted(coalition.areas)
        self.phones = 0
        self.services: list[dict] = []

    def phone(self) -> str:
        area_code = "773" if self.phones < 100 else "312"
        number = f"({area_code}) 555-{100 + self.phones % 100:04d}"
        self.phones += 1
        return number

    def organization(self, name: str, description: str, member_id=None) -> dict:
        slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
        data = {
            "id": str(demo_id(f"directory/organization/{name}")),
            "name": name,
            "description": description,
            "website": f"https://{slug.replace('--', '-')}.example.org",
            "email": f"info@{slug.replace('--', '-')}.example.org",
        }
        if member_id is not None:
            data["organization_identifiers"] = [
                {
                    "id": str(demo_id(f"directory/identifier/{name}")),
                    "identifier_type": COALITION_IDENTIFIER_TYPE,
                    "identifier": str(member_id),
                }
            ]
        return data

    def location(self, organization: dict, label: str, area_number: int) -> dict:
        area = self.areas[area_number]
        latitude, longitude, street = place_in_area(area, self.rng)
        key = f"directory/location/{organization['name']}/{label}"
        return {
            "id": str(demo_id(key)),
            "location_type": "physical",
            "name": label,
            "latitude": latitude,
            "longitude": longitude,
            "addresses": [
                {
                    "id": str(demo_id(f"{key}/address")),
                    "address_1": street,
                    "city": "Chicago",
                    "state_province": "IL",
                    "postal_code": ZIP_CODES.get(area_number, "60600"),
                    "country": "US",
                    "address_type": "physical",
                }
            ],
        }

    def languages(self, spec: ServiceSpec, areas: list[int], key: str) -> list[dict]:
        codes = list(spec.languages)
        # Spanish where many neighbours speak it, and at about a third of other places.
        latino = {23, 61, 66, 46, 51, 29, 67}
        if ES not in codes and (set(areas) & latino or self.rng.random() < 0.3):
            codes.append(ES)
        return [
            {
                "id": str(demo_id(f"{key}/language/{code}")),
                "name": LANGUAGE_NAMES[code],
                "code": code,
            }
            for code in codes
        ]

    def service(
        self,
        organization: dict,
        spec: ServiceSpec,
        areas: list[int],
        location: dict,
    ) -> None:
        key = f"directory/service/{organization['name']}/{spec.name}"
        service_id = str(demo_id(key))
        served = self.focus if spec.citywide else areas
        area_names = ", ".join(sorted(self.areas[n].name for n in served))
        data = {
            "id": service_id,
            "name": spec.name,
            "description": spec.description,
            "status": spec.status,
            "eligibility_description": spec.eligibility,
            "application_process": spec.application,
            "fees_description": spec.fees,
            "organization": organization,
            "phones": [
                {
                    "id": str(demo_id(f"{key}/phone")),
                    "number": self.phone(),
                    "type": "voice",
                    "description": "Intake line, weekdays 9 am to 5 pm.",
                }
            ],
            "languages": self.languages(spec, served, key),
            "service_areas": [
                {
                    "id": str(demo_id(f"{key}/service-area")),
                    "name": "The coalition's focus areas" if spec.citywide else area_names,
                    "attributes": [self.area_attribute(key, number) for number in sorted(served)],
                }
            ],
            "service_at_locations": [
                {"id": str(demo_id(f"{key}/at/{location['id']}")), "location": location}
            ],
            "attributes": [
                {
                    "id": str(demo_id(f"{key}/need/{need.value}")),
                    "link_entity": "service",
                    "taxonomy_term_id": str(need_term_id(need.value)),
                }
                for need in spec.needs
            ],
        }
        if spec.minimum_age is not None:
            data["minimum_age"] = spec.minimum_age
        if spec.maximum_age is not None:
            data["maximum_age"] = spec.maximum_age
        self.services.append(data)

    def area_attribute(self, key: str, number: int) -> dict:
        return {
            "id": str(demo_id(f"{key}/area/{number}")),
            "link_entity": "service_area",
            "taxonomy_term": {
                "id": str(demo_id(f"directory/community-area/{number}")),
                "code": str(number),
                "name": self.areas[number].name,
                "description": f"Community area {number}",
                "taxonomy_id": str(COMMUNITY_AREA_TAXONOMY_ID),
            },
        }

    def build(self) -> list[dict]:
        coalition = self.coalition
        for spec in PARTNERS:
            organization = self.organization(
                spec.name,
                "A partner of the coalition: street outreach, case management and victim "
                f"services in {', '.join(self.areas[n].name for n in spec.areas)}.",
                coalition.partner_ids[spec.name],
            )
            location = self.location(organization, f"{spec.name} office", spec.areas[0])
            for service in PARTNER_SERVICES:
                languages = (EN, ES) if spec.latino_share >= 0.3 else (EN,)
                self.service(
                    organization,
                    dataclasses.replace(service, languages=languages),
                    list(spec.areas),
                    location,
                )
        for provider in (LEGAL_AID, BEHAVIORAL_HEALTH, WORKFORCE, IPV_PROGRAM):
            organization = self.organization(
                provider.name,
                "A service provider of the coalition.",
                coalition.provider_ids[provider.name],
            )
            areas = list(provider.areas or self.focus)
            location = self.location(
                organization, f"{provider.name} main office", self.rng.choice(areas)
            )
            for service in PROVIDER_SERVICES[provider.name]:
                self.service(organization, service, areas, location)
        for spec in EXTERNAL:
            organization = self.organization(spec.name, spec.description)
            # An organization outside the coalition serves one partner's neighbouring
            # areas (or the whole city, per service).
            areas = list(self.rng.choice(PARTNERS).areas)
            location = self.location(organization, spec.name, areas[0])
            for service in spec.services:
                self.service(organization, service, areas, location)
        return self.services


def directory_file(*, coalition: Coalition, rng: random.Random) -> list[dict]:
    """The demo directory as an HSDS file: a JSON-ready list of service objects."""
    return _Builder(coalition, rng).build()


@transaction.atomic
def services_seed(*, coalition: Coalition, rng: random.Random) -> ImportResult:
    """Add the demo directory, whatever of it is missing. Never changes a service that
    exists (a demo user may have edited it). Call after coalition_seed()."""
    return hsds_import(data=directory_file(coalition=coalition, rng=rng), update_existing=False)
