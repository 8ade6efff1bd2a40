"""The demo's invented content: titles, report texts, people and indicators.

Kept apart from the generator (demo.generator), which decides how much of it to make and how.
Everything here is made up and clearly marked as demo data where it reaches the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from actors.models import Membership
from indicators.models import Indicator


@dataclass(frozen=True)
class UserSpec:
    username: str
    last_name: str
    role_label: str
    organisation_slug: str | None = None
    membership_role: str | None = None
    is_superuser: bool = False


USERS = (
    UserSpec("admin", "Administratör", "administrator (is_staff, is_superuser)", is_superuser=True),
    UserSpec(
        "kansli",
        "Kansli Storsthlm",
        "county staff, Storsthlm",
        "storsthlm",
        Membership.Role.COUNTY_STAFF,
    ),
    UserSpec(
        "samordnare.polisen",
        "Samordnare Polisen",
        "coordinator, Polisen",
        "polisen",
        Membership.Role.COORDINATOR,
    ),
    UserSpec(
        "samordnare.huddinge",
        "Samordnare Huddinge",
        "coordinator, Huddinge",
        "huddinge",
        Membership.Role.COORDINATOR,
    ),
)


TITLES = {
    1: [
        "Våldsförebyggande program i grundskolans högstadium",
        "Föräldraskapsstöd med fokus på konfliktlösning utan våld",
        "Kampanj om samtycke riktad till unga vuxna",
        "Utbildning av fritidsledare i att ingripa mot kränkningar",
        "Lokala samverkansråd för våldsprevention",
    ],
    2: [
        "Behandlingsprogram för personer som utövar våld i nära relation",
        "Stöd till frigivna att bryta med våldsamma mönster",
        "Samordnad riskbedömning inför villkorlig frigivning",
        "Telefonlinje för den som vill sluta utöva våld",
        "Uppföljning av kontaktförbud och dess efterlevnad",
    ],
    3: [
        "Rutinfrågor om våld inom mödrahälsovården",
        "Screening för hedersrelaterat våld i elevhälsan",
        "Utbildning för handläggare i att upptäcka våldsutsatthet",
        "Tidig upptäckt av våld mot äldre inom hemtjänsten",
        "Signaler på människohandel i myndigheternas handläggning",
    ],
    4: [
        "Fler platser i skyddat boende med särskild kompetens",
        "Stöd till barn som bevittnat våld",
        "Samordnad stödkedja för personer som vill lämna prostitution",
        "Ekonomiskt och praktiskt stöd vid uppbrott från våldsam relation",
        "Tolkstöd och språkanpassad information till våldsutsatta",
    ],
    5: [
        "Särskild utredningsgrupp för brott i nära relation",
        "Snabbare säkring av bevis vid sexualbrott",
        "Gemensamma insatser mot köp av sexuell tjänst",
        "Förstärkt arbete mot människohandel i länets gränsregioner",
        "Utbildning i förhörsteknik med våldsutsatta barn",
    ],
    6: [
        "Stödpersoner för målsägande genom hela rättsprocessen",
        "Trygga väntrum och separata ingångar i domstolen",
        "Information till målsägande om ärendets gång",
        "Samordning av skyddsåtgärder under rättegången",
        "Tillgängliga förhör för personer med funktionsnedsättning",
    ],
    7: [
        "Gemensam uppföljning av insatser mot våld i länet",
        "Årlig kartläggning av våldsutsatthet i kommunerna",
        "Utveckling av statistik om hedersrelaterat våld",
        "Kvalitetsregister för stödinsatser till våldsutsatta",
        "Lärande utvärdering av myndighetsgemensamma satsningar",
    ],
    8: [
        "Länsgemensamt kunskapscentrum om mäns våld mot kvinnor",
        "Forskningssamverkan med lärosäten om våldsprevention",
        "Webbutbildning om våld i nära relation för medarbetare",
        "Kunskapsdagar för chefer inom socialtjänst och polis",
        "Spridning av metoder som visat effekt i forskning",
    ],
}


WORK_DONE = [
    "Under året har arbetet organiserats i en arbetsgrupp med representanter från berörda enheter.",
    "Vi har genomfört fyra utbildningstillfällen för medarbetare och chefer.",
    "En kartläggning av nuläget har gjorts och legat till grund för prioriteringar.",
    "Metoden har prövats i två verksamheter och utvärderats tillsammans med brukare.",
    "Samverkansöverenskommelsen har reviderats och förankrats i ledningsgruppen.",
    "Informationsmaterial har tagits fram på sex språk och spridits i länet.",
]


RESULTS = [
    "Omkring 300 medarbetare har nåtts av utbildningen.",
    "Fler ärenden har identifierats tidigt än föregående år.",
    "Väntetiden till första stödsamtal har halverats.",
    "Rutinen används nu i samtliga berörda verksamheter.",
    "Det är för tidigt att se effekter, men deltagarna ger goda omdömen.",
]


OBSTACLES = [
    "",
    "Personalomsättning har försenat delar av arbetet.",
    "Finansieringen för nästa år är ännu inte beslutad.",
    "Sekretessfrågor har gjort samverkan mellan myndigheterna långsammare än planerat.",
    "Svårt att få fram jämförbar statistik från alla parter.",
]


NEXT_STEPS = [
    "Arbetet sprids till fler verksamheter under nästa år.",
    "Utvärdering planeras tillsammans med en extern forskare.",
    "Rutinen ska följas upp i samtliga kommuner i länet.",
    "Vi fortsätter enligt plan och återrapporterar i nästa period.",
]


RETURN_COMMENTS = [
    "Beskriv gärna resultaten med siffror: hur många har nåtts?",
    "Komplettera med vilka hinder ni ser inför nästa år.",
    "Rapporten saknar uppgift om vilka parter som deltagit.",
]


APPROVE_COMMENTS = ["", "", "Tack för en tydlig rapport."]

# A closed round's report returned once before approval (demo.generator._Rework): sent in
# without results, asked for them, completed.
RETURN_COMMENT_ASKING_FOR_RESULTS = RETURN_COMMENTS[0]
RESULTS_WITH_FIGURES = [RESULTS[0], RESULTS[2]]
APPROVE_AFTER_RETURN_COMMENT = "Tack för kompletteringen med resultaten."

# The text of a report whose status is "Ej påbörjat": why nothing has been done yet.
NOT_STARTED_WORK = [
    "Arbetet har inte kommit igång ännu: projektledaren rekryteras och börjar efter nyår.",
    "Inget har genomförts ännu. Uppdraget väntar på beslut om finansiering i ledningsgruppen.",
    "Arbetet startar efter sommaren, när samverkansparterna har utsett kontaktpersoner.",
]


@dataclass(frozen=True)
class IndicatorSpec:
    goal: int
    name: str
    unit: str
    source: str
    direction: str
    base: float
    yearly_change: float  # relative change per year, in the desired direction or not
    per_municipality: bool = False
    # Factors against the total for women and men, where the source breaks figures down by sex.
    sex_factors: tuple[float, float] | None = None
    is_percent: bool = False
    # How import files name the indicator (the samples in indicators/samples use these).
    slug: str = ""
    # A made-up Kolada key figure id: the demo's Kolada sample names the indicator by it.
    kolada_kpi: str = ""

    @property
    def kind(self) -> str:
        if self.is_percent:
            return Indicator.Kind.PERCENT
        if "100 000" in self.unit:
            return Indicator.Kind.RATE
        return Indicator.Kind.COUNT


UP = Indicator.Direction.INCREASE


DOWN = Indicator.Direction.DECREASE


OJ = "Socialstyrelsen, Öppna jämförelser"


NTU = "Brå, NTU"


LST = "Länsstyrelsen i Stockholms län"


INDICATORS = (
    IndicatorSpec(
        1,
        "Andel av befolkningen 16–84 år utsatta för misshandel",
        "procent",
        NTU,
        DOWN,
        2.6,
        -0.03,
        sex_factors=(0.85, 1.15),
        is_percent=True,
        slug="misshandel-ntu",
    ),
    IndicatorSpec(
        1,
        "Förebyggande arbete mot våld, andel uppfyllda kvalitetsaspekter",
        "procent",
        OJ,
        UP,
        55,
        0.04,
        per_municipality=True,
        is_percent=True,
        slug="forebyggande-arbete",
    ),
    IndicatorSpec(
        2,
        "Andel dömda för brott i nära relation som återfaller inom tre år",
        "procent",
        "Brå, Återfall i brott",
        DOWN,
        32,
        -0.015,
        is_percent=True,
        slug="aterfall-nara-relation",
    ),
    IndicatorSpec(
        2,
        "Personer som fått behandling för att sluta utöva våld",
        "antal per 100 000 invånare",
        "Kolada",
        UP,
        18,
        0.06,
        per_municipality=True,
        sex_factors=(0.2, 1.8),
        slug="behandling-valdsutovare",
        kolada_kpi="N99001",
    ),
    IndicatorSpec(
        3,
        "Andel utsatta för brott i nära relation som anmält till polisen",
        "procent",
        NTU,
        UP,
        24,
        0.03,
        sex_factors=(1.1, 0.85),
        is_percent=True,
        slug="anmalt-nara-relation",
    ),
    IndicatorSpec(
        3,
        "Rutin för att fråga om våld, andel av socialtjänstens verksamheter",
        "procent",
        OJ,
        UP,
        48,
        0.05,
        per_municipality=True,
        is_percent=True,
        slug="rutin-fraga-om-vald",
    ),
    IndicatorSpec(
        4,
        "Vuxna som fått skyddat boende på grund av våld",
        "antal per 10 000 invånare",
        "Kolada",
        UP,
        3.1,
        0.04,
        per_municipality=True,
        sex_factors=(1.8, 0.2),
        slug="skyddat-boende",
        kolada_kpi="N99002",
    ),
    IndicatorSpec(
        4,
        "Barn som bevittnat våld och fått stöd",
        "antal per 10 000 barn",
        "Kolada",
        UP,
        12,
        0.05,
        per_municipality=True,
        slug="barn-bevittnat-vald",
        kolada_kpi="N99003",
    ),
    IndicatorSpec(
        5,
        "Personuppklaring för misshandel av kvinna i nära relation",
        "procent",
        "Brå, Kriminalstatistik",
        UP,
        19,
        0.02,
        is_percent=True,
        slug="personuppklaring-misshandel",
    ),
    IndicatorSpec(
        5,
        "Handläggningstid för grov kvinnofridskränkning, median",
        "dagar",
        "Åklagarmyndigheten",
        DOWN,
        68,
        -0.03,
        slug="handlaggningstid-grov-kvinnofridskrankning",
    ),
    IndicatorSpec(
        6,
        "Andel med stort förtroende för rättsväsendet som helhet",
        "procent",
        NTU,
        UP,
        60,
        0.01,
        sex_factors=(0.98, 1.02),
        is_percent=True,
        slug="fortroende-rattsvasendet",
    ),
    IndicatorSpec(
        6,
        "Andel målsägande i sexualbrottsmål med målsägandebiträde",
        "procent",
        "Domstolsverket",
        UP,
        82,
        0.01,
        is_percent=True,
        slug="malsagandebitrade",
    ),
    IndicatorSpec(
        7,
        "Andel medlemsorganisationer som rapporterat uppföljningen i tid",
        "procent",
        LST,
        UP,
        50,
        0.1,
        is_percent=True,
        slug="uppfoljning-i-tid",
    ),
    IndicatorSpec(
        7,
        "Uppföljning av insatser för våldsutsatta, andel uppfyllda kvalitetsaspekter",
        "procent",
        OJ,
        UP,
        40,
        0.05,
        per_municipality=True,
        is_percent=True,
        slug="uppfoljning-insatser",
    ),
    IndicatorSpec(
        8,
        "Deltagare i länsgemensamma utbildningar om våld",
        "antal",
        LST,
        UP,
        1200,
        0.08,
        sex_factors=(0.75, 0.25),
        slug="deltagare-utbildningar",
    ),
    IndicatorSpec(
        8,
        "Anställda som genomgått webbutbildningen om våld i nära relationer",
        "antal per 1 000 anställda",
        "Kolada",
        UP,
        85,
        0.07,
        per_municipality=True,
        slug="webbutbildning-vald",
        kolada_kpi="N99004",
    ),
)


# A yes/no question of Öppna jämförelser, answered by each municipality and city district; its
# county share is computed from the answers. The answers are made up, around the real 70 % of 2023.
YES_NO_INDICATOR = {
    "goal": 2,
    "name": "Stödsamtal till våldsutövare utan biståndsbeslut, andel kommuner och stadsdelsområden",
    "slug": "stodsamtal-utan-beslut",
    "source": OJ,
    "first_share": 0.45,
    "yearly_change": 0.05,
}

# Real public figures, not demo data: calls from people in Stockholm county to the helpline
# Välj att sluta (119 in 2023, 45 % more than in 2022).
VALJ_ATT_SLUTA = {
    "goal": 2,
    "name": "Samtal till Välj att sluta från personer i länet",
    "slug": "valj-att-sluta",
    "unit": "antal samtal",
    "source": "Välj att sluta (Länsstyrelsen i Stockholms län)",
    "values": {2022: 82, 2023: 119},
}


# At scale 1 a handful of municipalities, large and small; from scale 2 all 26.
SAMPLE_MUNICIPALITY_CODES = {"0180", "0126", "0127", "0136", "0181", "0182", "0184", "0188"}


# --- prize -----------------------------------------------------------------------------------
# Demo nominations to this year's Kvinnofridspriset: (nominator username or None for a
# visitor who confirmed the address, nominated organisation's slug, unit, title, summary).
PRIZE_NOMINATIONS = (
    (
        "samordnare.polisen",
        "huddinge",
        "Relationsvåldscentrum Huddinge",
        "Demo: Samlat stöd på ett ställe",
        "Socialtjänst, polis och hälso- och sjukvård tar emot våldsutsatta tillsammans.",
    ),
    (
        "samordnare.huddinge",
        "polisen",
        "Polisområde Syd, brottsofferenheten",
        "Demo: Tidig kontakt efter anmälan",
        "Brottsofferenheten kontaktar varje målsägande inom ett dygn och lotsar vidare.",
    ),
    (
        None,
        "huddinge",
        "Familjeenheten",
        "Demo: Samtalsgrupper för barn som upplevt våld",
        "Grupper för barn och deras föräldrar, utvärderade tillsammans med forskare.",
    ),
)
PRIZE_MOTIVATION = "Demotext: så uppfyller arbetet kriteriet."

# --- prize (jury) ----------------------------------------------------------------------------
# This year's demo jury: (username, chairs the jury).
PRIZE_JURY = (("samordnare.huddinge", True), ("samordnare.polisen", False))

# practices: invented entries for the good-practice library, all marked as demo data. The real
# examples (MVP and Tåget) ship with the code (practices/migrations/0002_shipped_examples.py).


@dataclass(frozen=True)
class PracticeSpec:
    slug: str
    title: str
    summary: str
    organisation_slug: str
    municipality_codes: tuple[str, ...]
    goal_numbers: tuple[int, ...]
    area_slugs: tuple[str, ...]
    target_group: str
    evidence_level: int
    what_is_done: str
    organisation_of_work: str
    cost: str
    # "approved" entries are public; one "proposed" waits for county staff's review.
    state: str = "approved"
    proposer_username: str | None = None


PRACTICES = (
    PracticeSpec(
        slug="demo-gemensam-larm-och-stodkedja",
        title="Demo: Gemensam stödkedja efter polisanmälan",
        summary="Påhittat exempel: polis och socialtjänst kontaktar den utsatta samma dag som "
        "en anmälan om våld i nära relation görs.",
        organisation_slug="polisen",
        municipality_codes=("0126", "0136"),
        goal_numbers=(4, 5),
        area_slugs=("vald-i-nara-relation",),
        target_group="adults_exposed",
        evidence_level=2,
        what_is_done="Påhittad text: polisen frågar om samtycke till kontakt och socialtjänsten "
        "ringer upp inom ett dygn.",
        organisation_of_work="Påhittad text: en gemensam rutin och en kontaktperson hos vardera.",
        cost="Påhittad uppgift: ungefär en halv tjänst per kommun.",
    ),
    PracticeSpec(
        slug="demo-samtalsgrupper-for-man-som-utovat-vald",
        title="Demo: Samtalsgrupper för män som utövat våld",
        summary="Påhittat exempel: gruppbehandling för män som vill sluta utöva våld i nära "
        "relation.",
        organisation_slug="huddinge",
        municipality_codes=("0126",),
        goal_numbers=(2,),
        area_slugs=("vald-i-nara-relation",),
        target_group="adults_using_violence",
        evidence_level=3,
        what_is_done="Påhittad text: femton gruppträffar med två behandlare.",
        organisation_of_work="Påhittad text: kommunens familjeenhet håller i grupperna.",
        cost="Påhittad uppgift: två behandlare på deltid.",
    ),
    PracticeSpec(
        slug="demo-utbildning-om-hedersrelaterat-vald-for-skolpersonal",
        title="Demo: Utbildning om hedersrelaterat våld för skolpersonal",
        summary="Påhittat förslag som väntar på kansliets granskning.",
        organisation_slug="huddinge",
        municipality_codes=("0126",),
        goal_numbers=(3,),
        area_slugs=("hedersrelaterat-vald-och-fortryck",),
        target_group="professionals",
        evidence_level=1,
        what_is_done="Påhittad text: en halvdag för all personal varje höst.",
        organisation_of_work="Påhittad text: elevhälsan och socialtjänsten leder utbildningen.",
        cost="Påhittad uppgift: personalens tid.",
        state="proposed",
        proposer_username="samordnare.huddinge",
    ),
)


# The demo indicators' English names (shown when the interface is English), by Swedish name.
INDICATOR_NAMES_EN = {
    "Andel av befolkningen 16–84 år utsatta för misshandel": (
        "Share of the population aged 16–84 exposed to assault"
    ),
    "Förebyggande arbete mot våld, andel uppfyllda kvalitetsaspekter": (
        "Violence prevention work, share of quality criteria met"
    ),
    "Andel dömda för brott i nära relation som återfaller inom tre år": (
        "Share of those convicted of crimes in close relationships who reoffend within three years"
    ),
    "Personer som fått behandling för att sluta utöva våld": (
        "People given treatment to stop using violence"
    ),
    "Andel utsatta för brott i nära relation som anmält till polisen": (
        "Share of victims of crimes in close relationships who reported them to the police"
    ),
    "Rutin för att fråga om våld, andel av socialtjänstens verksamheter": (
        "Routine for asking about violence, share of the social services' units"
    ),
    "Vuxna som fått skyddat boende på grund av våld": (
        "Adults given sheltered housing because of violence"
    ),
    "Barn som bevittnat våld och fått stöd": "Children who witnessed violence and got support",
    "Personuppklaring för misshandel av kvinna i nära relation": (
        "Clearance rate for assault of a woman in a close relationship"
    ),
    "Handläggningstid för grov kvinnofridskränkning, median": (
        "Processing time for gross violation of a woman's integrity, median"
    ),
    "Andel med stort förtroende för rättsväsendet som helhet": (
        "Share with high confidence in the justice system as a whole"
    ),
    "Andel målsägande i sexualbrottsmål med målsägandebiträde": (
        "Share of injured parties in sexual offence cases with counsel for the injured party"
    ),
    "Andel medlemsorganisationer som rapporterat uppföljningen i tid": (
        "Share of member organisations that reported their follow-up on time"
    ),
    "Uppföljning av insatser för våldsutsatta, andel uppfyllda kvalitetsaspekter": (
        "Follow-up of support for victims of violence, share of quality criteria met"
    ),
    "Deltagare i länsgemensamma utbildningar om våld": (
        "Participants in county-wide training on violence"
    ),
    "Anställda som genomgått webbutbildningen om våld i nära relationer": (
        "Employees who completed the web course on violence in close relationships"
    ),
    YES_NO_INDICATOR["name"]: (
        "Support talks for perpetrators without a decision on assistance, share of "
        "municipalities and city districts"
    ),
    VALJ_ATT_SLUTA["name"]: "Calls to Välj att sluta from people in the county",
}
INDICATOR_DESCRIPTION_EN = "Invented values for demonstration, not real statistics."
