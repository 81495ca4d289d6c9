"""The demo activity catalogue: about forty items of the cooperation menu, in English and French."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

NSO = "NATO School Oberammergau"
NDC = "NATO Defense College"
JWC = "Joint Warfare Centre"
JFTC = "Joint Force Training Centre"
NCISS = "NATO CIS School"
NMIOTC = "NATO Maritime Interdiction Operational Training Centre"
COE_DAT = "Centre of Excellence – Defence Against Terrorism"
CCDCOE = "Cooperative Cyber Defence Centre of Excellence"
BILC = "Bureau for International Language Co-ordination"
NHQ = "NATO Headquarters (International Staff)"
ACO = "Allied Command Operations (SHAPE)"
MARCOM = "Allied Maritime Command"
ACT = "Allied Command Transformation"
EADRCC = "Euro-Atlantic Disaster Response Coordination Centre"
SPS = "Science for Peace and Security Programme"

# Where an institution holds its activities; mobile teams go to the partner's capital instead.
INSTITUTION_PLACES = {
    NSO: "Oberammergau",
    NDC: "Rome",
    JWC: "Stavanger",
    JFTC: "Bydgoszcz",
    NCISS: "Latina",
    NMIOTC: "Souda Bay",
    COE_DAT: "Ankara",
    CCDCOE: "Tallinn",
    BILC: "Brussels",
    NHQ: "Brussels",
    ACO: "Mons",
    MARCOM: "Northwood",
    ACT: "Norfolk",
    EADRCC: "Brussels",
    SPS: "Brussels",
}

AUDIENCE_PARTNERS = "NATO, PfP, MD, ICI and other nations as approved"
AUDIENCE_CONTACT = "NATO and partners across the globe"

# Why some items need no North Atlantic Council decision (the source text's "except in certain cases").
EXEMPTIONS: dict[str, tuple[str, str]] = {
    "open": (
        "Open course of the Partnership Cooperation Menu: the Council has already opened it to partners "
        "across the globe.",
        "Cours ouvert du menu de coopération partenariale\u00a0: le Conseil l'a déjà ouvert aux "
        "partenaires à "
        "travers le monde.",
    ),
    "briefing": (
        "Briefing that keeps a partner informed of NATO's agenda; not an inclusion in Alliance activities.",
        "Exposé destiné à tenir un partenaire informé de l'ordre du jour de l'OTAN\u00a0; il ne s'agit pas "
        "d'une "
        "participation à des activités de l'Alliance.",
    ),
    "advice": (
        "Advice given by a NATO body at the partner's request; no Alliance activity is opened to it.",
        "Conseils fournis par un organisme de l'OTAN à la demande du partenaire\u00a0; aucune activité de "
        "l'Alliance ne lui est ouverte.",
    ),
    "sps": (
        "Approved under the Science for Peace and Security Programme's own procedure.",
        "Approuvé selon la procédure propre au programme pour la science au service de la paix et de la "
        "sécurité.",
    ),
    "public": (
        "Public diplomacy programme open to all nations.",
        "Programme de diplomatie publique ouvert à toutes les nations.",
    ),
}

KIND_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "education": (
        "A course of the Partnership Cooperation Menu for officers and civilian officials of partner "
        "nations.",
        "Cours du menu de coopération partenariale destiné aux officiers et aux fonctionnaires civils des "
        "pays partenaires.",
    ),
    "language": (
        "Language training and advice for partner personnel.",
        "Formation et conseil linguistiques pour le personnel des partenaires.",
    ),
    "information": (
        "Exchange of information between NATO and the partner on matters of common interest.",
        "Échange d'informations entre l'OTAN et le partenaire sur des questions d'intérêt commun.",
    ),
    "exercise": (
        "A joint exercise in which partners take part once their participation is approved.",
        "Exercice conjoint auquel les partenaires participent une fois leur participation approuvée.",
    ),
    "operation": (
        "Support to NATO-led operations and to the partners who contribute to them.",
        "Soutien aux opérations dirigées par l'OTAN et aux partenaires qui y contribuent.",
    ),
    "dialogue": (
        "An avenue for political dialogue created at the 2008 Bucharest Summit.",
        "Voie de dialogue politique créée au sommet de Bucarest en 2008.",
    ),
    "other": (
        "Practical cooperation on a security challenge shared by Allies and partners.",
        "Coopération concrète face à un défi de sécurité commun aux Alliés et aux partenaires.",
    ),
}


class Item(NamedTuple):
    code: str
    external_reference: str
    title_en: str
    title_fr: str
    kind: str
    area: str
    institution: str
    discipline: str
    level: str
    delivery: str
    duration_days: int | None
    languages: tuple[str, ...]
    fee_eur: Decimal | None
    exemption: str | None  # a key of EXEMPTIONS when no council decision is needed
    marking: int  # portal.core.models.Marking value
    active_from: int  # year
    deactivated_on: int | None = None  # year (31 December)


PU, NU, NR = 0, 10, 20
EN, EN_FR = ("en",), ("en", "fr")
E = Decimal

# fmt: off
CATALOGUE: list[Item] = [
    Item("NSO-EDU-001", "ACT.396", "NATO Orientation Course", "Cours d'orientation OTAN", "education",
         "education-training", NSO, "NATO orientation", "Basic", "resident", 5, EN, E("1050.00"), "open", NU,
         2005),
    Item("NSO-EDU-002", "ACT.412", "NATO Operational Planning Course",
         "Cours de planification opérationnelle de l'OTAN", "education", "education-training", NSO,
         "Operational planning", "Intermediate", "resident", 10, EN, E("1900.00"), None, NU, 2005),
    Item("NSO-EDU-003", "ACT.418", "NATO Partnership Orientation Course",
         "Cours d'orientation sur les partenariats de l'OTAN", "education", "education-training", NSO,
         "Partnerships", "Basic", "resident", 5, EN, E("1050.00"), "open", NU, 2007),
    Item("NSO-EDU-004", "ACT.437", "Civil-Military Cooperation (CIMIC) Staff Course",
         "Cours d'état-major sur la coopération civilo-militaire (CIMIC)", "education", "education-training",
         NSO, "Civil-military cooperation", "Intermediate", "resident", 5, EN, E("1150.00"), None, NU, 2006),
    Item("NSO-EDU-005", "ACT.448", "Counter-Improvised Explosive Devices Staff Course",
         "Cours d'état-major sur la lutte contre les engins explosifs improvisés", "education",
         "counter-terrorism", NSO, "Counter-IED", "Intermediate", "resident", 5, EN, E("1150.00"), None, NR,
         2008),
    Item("NSO-EDU-006", "ACT.463", "Crisis Response Operations Planning Course",
         "Cours de planification des opérations de réponse aux crises", "education", "crisis-management", NSO,
         "Operational planning", "Advanced", "resident", 10, EN, E("1900.00"), None, NU, 2006, 2012),
    Item("NDC-EDU-001", "ACT.471", "Senior Course", "Cours supérieur", "education", "education-training", NDC,
         "Strategic studies", "Senior", "resident", 150, EN_FR, None, None, NU, 2005),
    Item("NDC-EDU-002", "ACT.474", "NATO Regional Cooperation Course",
         "Cours de coopération régionale de l'OTAN", "education", "education-training", NDC,
         "Regional security", "Senior", "resident", 60, EN_FR, None, None, NU, 2009),
    Item("NDC-EDU-003", "ACT.479", "Generals, Flag Officers and Ambassadors' Course",
         "Cours pour officiers généraux, amiraux et ambassadeurs", "education", "political-dialogue", NDC,
         "Strategic studies", "Senior", "resident", 12, EN_FR, None, None, NU, 2005),
    Item("NCISS-EDU-001", "ACT.502", "Communication and Information Systems Security Course",
         "Cours de sécurité des systèmes d'information et de communication", "education", "cyber-defence",
         NCISS, "CIS security", "Intermediate", "resident", 10, EN, E("1400.00"), None, NU, 2007),
    Item("CCD-EDU-001", "ACT.515", "Cyber Defence Monitoring Course", "Cours de surveillance en cyberdéfense",
         "education", "cyber-defence", CCDCOE, "Cyber defence", "Advanced", "resident", 5, EN, E("800.00"),
         None, NU, 2010),
    Item("DAT-EDU-001", "ACT.527", "Defence Against Terrorism Course",
         "Cours de défense contre le terrorisme", "education", "counter-terrorism", COE_DAT,
         "Counter-terrorism", "Intermediate", "resident", 5, EN, E("600.00"), "open", NU, 2006),
    Item("DAT-EDU-002", "ACT.531", "Terrorism and Media Course", "Cours sur le terrorisme et les médias",
         "education", "counter-terrorism", COE_DAT, "Strategic communications", "Intermediate", "resident", 5,
         EN, E("600.00"), None, NU, 2008),
    Item("MIO-EDU-001", "ACT.544", "Maritime Interdiction Operations Course",
         "Cours sur les opérations d'interdiction maritime", "education", "maritime-security", NMIOTC,
         "Maritime interdiction", "Intermediate", "resident", 5, EN, E("700.00"), None, NU, 2008),
    Item("MIO-EDU-002", "ACT.548", "Counter-Piracy Course", "Cours de lutte contre la piraterie", "education",
         "maritime-security", NMIOTC, "Maritime interdiction", "Intermediate", "resident", 5, EN, E("700.00"),
         None, NU, 2009),
    Item("ADL-EDU-001", "ACT.560", "Introduction to NATO (online)", "Introduction à l'OTAN (en ligne)",
         "education", "education-training", ACT, "NATO orientation", "Basic", "online", 1, EN_FR, None,
         "open", PU, 2008),
    Item("LNG-001", "ACT.601", "English language training for staff officers (STANAG 6001)",
         "Formation en anglais pour officiers d'état-major (STANAG 6001)", "language", "language-training",
         BILC, "Languages", "Intermediate", "mobile", 20, EN, None, None, NU, 2005),
    Item("LNG-002", "ACT.603", "French language refresher course", "Cours de perfectionnement en français",
         "language", "language-training", BILC, "Languages", "Intermediate", "mobile", 15, ('fr',), None,
         None, NU, 2005),
    Item("LNG-003", "", "Language testing advisory visit", "Visite de conseil en évaluation linguistique",
         "language", "language-training", BILC, "Languages", "Advanced", "mobile", 3, EN_FR, None, "advice",
         NU, 2006),
    Item("LNG-004", "", "Seminar on language training for peace support operations",
         "Séminaire sur la formation linguistique pour les opérations de soutien de la paix", "language",
         "language-training", BILC, "Languages", "Advanced", "event", 3, EN_FR, None, None, NU, 2007),
    Item("INF-001", "", "Briefing on NATO's agenda at NATO Headquarters",
         "Exposé sur l'ordre du jour de l'OTAN au siège de l'OTAN", "information", "information-exchange",
         NHQ, "Political affairs", "Senior", "event", 1, EN_FR, None, "briefing", NU, 2005),
    Item("INF-002", "", "Staff talks on countering terrorism",
         "Entretiens entre services sur la lutte contre le terrorisme", "information", "counter-terrorism",
         NHQ, "Counter-terrorism", "Senior", "event", 2, EN, None, None, NR, 2007),
    Item("INF-003", "", "Exchange of information on operations in Afghanistan",
         "Échange d'informations sur les opérations en Afghanistan", "information", "information-exchange",
         ACO, "Operations", "Senior", "event", 1, EN, None, None, NR, 2006, 2014),
    Item("INF-004", "", "Public diplomacy visit programme", "Programme de visites de diplomatie publique",
         "information", "information-exchange", NHQ, "Public diplomacy", "Basic", "event", 2, EN_FR, None,
         "public", PU, 2005),
    Item("INF-005", "", "Maritime situational awareness information sharing",
         "Partage d'informations sur la connaissance de la situation maritime", "information",
         "maritime-security", MARCOM, "Maritime security", "Advanced", "event", 2, EN, None, None, NR, 2010),
    Item("INF-006", "", "Cyber defence staff talks", "Entretiens entre services sur la cyberdéfense",
         "information", "cyber-defence", NHQ, "Cyber defence", "Senior", "event", 1, EN, None, None, NU,
         2011),
    Item("EXE-001", "", "Crisis Management Exercise (CMX)", "Exercice de gestion de crise (CMX)", "exercise",
         "crisis-management", NHQ, "Crisis management", "Senior", "event", 7, EN, None, None, NR, 2006),
    Item("EXE-002", "", "Computer-assisted command post exercise",
         "Exercice de poste de commandement assisté par ordinateur", "exercise", "joint-exercises", JWC,
         "Command and control", "Advanced", "event", 10, EN, None, None, NR, 2006),
    Item("EXE-003", "", "Tactical-level pre-deployment exercise",
         "Exercice tactique préalable au déploiement", "exercise", "joint-exercises", JFTC,
         "Pre-deployment training", "Intermediate", "event", 7, EN, None, None, NU, 2008),
    Item("EXE-004", "", "Maritime interoperability exercise (live)",
         "Exercice d'interopérabilité maritime (réel)", "exercise", "maritime-security", MARCOM,
         "Maritime operations", "Advanced", "event", 10, EN, None, None, NU, 2009),
    Item("EXE-005", "", "Consequence management field exercise",
         "Exercice sur le terrain de gestion des conséquences", "exercise", "crisis-management", EADRCC,
         "Civil emergency planning", "Intermediate", "event", 5, EN, None, None, NU, 2005),
    Item("EXE-006", "", "Live-fire cyber defence exercise", "Exercice de cyberdéfense en conditions réelles",
         "exercise", "cyber-defence", CCDCOE, "Cyber defence", "Advanced", "event", 4, EN, None, None, NU,
         2012),
    Item("OPS-001", "", "Liaison officer posting at an operational headquarters",
         "Affectation d'un officier de liaison à un quartier général opérationnel", "operation",
         "joint-operations", ACO, "Operations", "Senior", "event", 1, EN, None, None, NR, 2005),
    Item("OPS-002", "", "Force generation conference for ISAF",
         "Conférence de génération de forces pour la FIAS", "operation", "joint-operations", ACO,
         "Force generation", "Senior", "event", 2, EN, None, None, NR, 2006, 2014),
    Item("OPS-003", "", "Planning through the International Coordination Centre",
         "Planification par l'intermédiaire du Centre de coordination international", "operation",
         "joint-operations", ACO, "Operational planning", "Senior", "event", 3, EN, None, None, NR, 2005),
    Item("OPS-004", "ACT.588", "Pre-deployment training for ISAF headquarters staff",
         "Formation préalable au déploiement pour le personnel du quartier général de la FIAS", "operation",
         "joint-operations", JFTC, "Pre-deployment training", "Intermediate", "resident", 10, EN, E("950.00"),
         None, NR, 2007, 2014),
    Item("INT-001", "", "Operational Capabilities Concept evaluation and feedback",
         "Évaluation et retour d'information du concept de capacités opérationnelles", "other",
         "interoperability", ACT, "Interoperability", "Advanced", "mobile", 5, EN, None, None, NU, 2011),
    Item("INT-002", "", "Interoperability standards seminar (STANAGs)",
         "Séminaire sur les normes d'interopérabilité (STANAG)", "other", "interoperability", ACT,
         "Standardization", "Intermediate", "event", 3, EN, None, "open", NU, 2008),
    Item("DIA-001", "", "Meeting of the North Atlantic Council with partner ministers",
         "Réunion du Conseil de l'Atlantique Nord avec des ministres partenaires", "dialogue",
         "political-dialogue", NHQ, "Political affairs", "Senior", "event", 1, EN_FR, None, None, NU, 2008),
    Item("DIA-002", "", "High-level talks", "Entretiens de haut niveau", "dialogue", "political-dialogue",
         NHQ, "Political affairs", "Senior", "event", 1, EN_FR, None, None, NU, 2008),
    Item("DIA-003", "", "Meeting with ambassadors", "Réunion avec les ambassadeurs", "dialogue",
         "political-dialogue", NHQ, "Political affairs", "Senior", "event", 1, EN_FR, None, "briefing", NU,
         2008),
    Item("SPS-001", "", "Science for Peace and Security advanced research workshop",
         "Atelier de recherche avancée du programme pour la science au service de la paix et de la sécurité",
         "other", "science", SPS, "Science", "Advanced", "event", 3, EN, None, "sps", PU, 2007),
    Item("SPS-002", "", "Science for Peace and Security multi-year project",
         "Projet pluriannuel du programme pour la science au service de la paix et de la sécurité", "other",
         "science", SPS, "Science", "Advanced", "event", None, EN, None, "sps", PU, 2007),
    Item("CEP-001", "", "Civil emergency planning seminar", "Séminaire sur les plans civils d'urgence",
         "other", "crisis-management", EADRCC, "Civil emergency planning", "Intermediate", "event", 3, EN_FR,
         None, None, NU, 2006),
]
# fmt: on
