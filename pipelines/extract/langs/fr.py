"""French (French editions of Vietnamese papers: "le Comité du Parti de la commune de Nam Dan",
"40 cellules du Parti, avec 1 193 membres du Parti")."""

from pipelines.extract.langs._shared import COMMON_STOPWORDS
from pipelines.extract.pack import Pack

_UP = r"(?-i:[A-ZÀ-ỸĐ])"
# "de la commune de", "du district de": the article and preposition before a unit word
_DE = r"(?:de |d'|d’|du |des |en )"

PACK = Pack(
    code="fr",
    space_groups=True,
    units=[
        (r"communes?|quartiers?|cantons?|bourgs?|villes?[- ]districts?(?= de)", "commune", "before"),
        (r"districts?|arrondissements?|villes? de district|chef-lieu de district", "district", "before"),
        (r"villes?|cité", "city", "before"),
        (r"provinces?|comité (?:du parti )?provincial(?: du parti)?(?= de)", "province", "before"),
        (r"villages?|hameaux|hameau|bourgades?|groupes? résidentiels?|quartiers? résidentiels?|zones? résidentielles?|(?:cellule du Parti|cellule) du village", "village", "before"),
    ],
    unit_name_joiners=r"(?:de|d'|d’|du|appelée?|nommée?|dénommée?)",
    org_words=r"comités? du parti|comité (?:communal|provincial|de district|municipal) du parti|organisations? du parti|cellules? du parti|comité exécutif du parti|section du parti",
    cell_words=r"[Cc]ellule du [Pp]arti(?: du village| du hameau| de)?",
    anaphors=[
        (f"(?:le |du |au )?[Cc]omité (?:du [Pp]arti (?:de la |de )commune(?!\\w)(?! (?:de )?{_UP})|communal du [Pp]arti)|(?:cette|la même|toute la) commune(?!\\w)(?! (?:de )?{_UP})", "commune"),
        (f"(?:le |du |au )?[Cc]omité (?:du [Pp]arti (?:du |de )district(?!\\w)(?! (?:de )?{_UP})|de district du [Pp]arti)|(?:ce|le même|tout le) district(?!\\w)(?! (?:de )?{_UP})", "district"),
        (f"(?:le |du |au )?[Cc]omité (?:exécutif |permanent )?(?:provincial du [Pp]arti|du [Pp]arti provincial|du [Pp]arti de la province)(?! (?:de |du )?{_UP})|(?:cette|toute la|dans la) province(?!\\w)(?! (?:de )?{_UP})", "province"),
        (r"(?:le |du |au |notre |ce )?[Cc]omité du [Pp]arti(?! (?:central|de la commune|du district|de la province|provincial|communal))|la cellule du [Pp]arti(?! du village| du hameau| de)|l['’]organisation du [Pp]arti", None),
    ],
    stopwords=COMMON_STOPWORDS | {
        # not "Le", "La", "Son", "Mai", "Bien", "Dao", "Tay": Vietnamese name syllables (Le Thi Mai, Son La)
        "Les", "Un", "Une", "Au", "Aux", "En", "Et", "Ou", "De", "Des", "Sur", "Par",
        "Pour", "Ses", "Il", "Ils", "Elle", "Elles", "On", "Ce", "Cet", "Ces", "Nous",
        "Vous", "Lors", "Tout", "Tous", "Mais", "Non", "Ni", "Plus", "Dans", "Avec",
        "Chez", "Sous", "Vers", "Dont", "Leur", "Leurs", "Cela", "Ceci", "Puis", "Ainsi", "Donc", "Car",
        "Parti", "Comité", "Commune", "District", "Province", "Village", "Hameau", "Ville", "Quartier",
        "Secrétaire", "Membre", "Membres", "Camarade", "Camarades", "Monsieur", "Madame", "Mme", "Congrès",
        "Conseil", "Front", "Commission", "Bureau", "Cellule", "Vice", "Président", "Chef", "Section",
        "Selon", "Depuis", "Après", "Avant", "Pendant", "Lesson", "Leçon", "Mars", "Juin", "Août",
        "Hmong", "Khmer",
    },
    counts=[
        ("affiliated_party_orgs", r"(?:organisations?|comités?|cellules?) (?:et (?:les )?(?:comités?|cellules?) )?(?:du [Pp]arti )?(?:affiliée?s|subordonnée?s|rattachée?s|directement (?:affiliée?s|rattachée?s|subordonnée?s)|relevant directement)|(?:comités et cellules|cellules et comités) du [Pp]arti|comités du [Pp]arti et cellules|organisations du [Pp]arti (?:sous|relevant)"),
        ("grassroots_party_orgs", r"organisations? (?:du [Pp]arti )?(?:de base|à la base|de la base|locales?)(?: du [Pp]arti)?|organisations? de base du [Pp]arti|comités? du [Pp]arti de base et cellules"),
        ("subordinate_party_committees", r"comités? (?:du [Pp]arti )?(?:subordonnés?|de base|de district|communaux|de commune)|comités? du [Pp]arti(?! de (?:la commune|la province|district))|comités? (?:de district|communaux|provinciaux) du [Pp]arti"),
        ("party_cells", r"cellules?(?: (?:du|de) [Pp]arti)?|sections? du [Pp]arti|branches? du [Pp]arti"),
        ("party_members", r"(?:nouveaux |nouvelles )?membres? (?:officiels? |titulaires |stagiaires |réservistes )?(?:du|de) [Pp]arti|adhérents?(?: du [Pp]arti)?|militants? du [Pp]arti|membres? du [Pp]arti communiste"),
        ("cadres_transferred", r"cadres?|fonctionnaires?"),
    ],
    bare_members=r"membres?",
    bare_members_blockers=r"\s+(?:du|de la|de l'|au|dans le)\s+(?:[Cc]omité (?:exécutif|permanent)|[Bb]ureau|[Pp]résidium|[Cc]onseil|[Cc]ommission|comité)|\s+(?:du|au)\s+[Cc]omité(?! du [Pp]arti)",
    not_party_bodies=r"comité exécutif|comité permanent|bureau permanent|présidium|délégu\w*|conseil|composée? de|composé de|formée? de",
    person_nouns=r"personnes|camarades|(?:nouveaux |jeunes |excellents )?membres(?: du [Pp]arti)?|cadres|fonctionnaires|individus|militants",
    admit_verbs=r"\badmis\w*|\badmission\w*|\badmettre|\badmet\w*|\brecrut\w*|\bnouveaux membres|\bnouvelles membres|\badhésion\w*",
    remove_verbs=r"\bexclu\w*|\bexclusion\w*|\bradié\w*|\bradiation\w*|\bexpuls\w*|\brayé\w*|\bretiré\w* du [Pp]arti",
    transfer_verbs=r"\bmuté\w*|\bmutation\w*|\btransfér\w*|\btransfert\w*|\brotation\w*|\bdétaché\w*|\baffecté\w*|\bréaffect\w*|\bredéploy\w*",
    future_words=r"\bva\b|\bvont\b|\bsera\b|\bseront\b|\bprévoit\b|\bprévu\w*|\bvise\w* à|\bs['’]efforce\w*|\bcompte (?:atteindre|porter)",
    target_words=r"objectifs?|cible|plan|prévision",
    count_skip=r"dossiers?|examen|candidats?|proposé\w*|nominat\w*",
    qualifiers=[
        (r"près de|presque|environ|quelque|autour de|approximativement|pratiquement|quasiment|plus ou moins", "approx"),
        (r"plus de|au moins|dépassant|dépassé|supérieure? à|au-delà de|plus d['’]|excédant", "at_least"),
        (r"moins de|au plus|au maximum|inférieure? à|pas plus de|moins d['’]", "at_most"),
    ],
    scales=[(r"mille milliards|billions?", 1e12), (r"milliards?|mds?", 1e9), (r"millions?|mio", 1e6), (r"mille", 1e3)],
    currency=r"(?:de |d['’])?(?:VND|VNĐ|dongs?|đồng)",
    rate_concepts={
        "MEMBERS": r"membres du [Pp]arti|\bmembres\b|adhérents",
        "CELLS": r"cellules|organisations (?:de base )?du [Pp]arti|organisations de base|sections du [Pp]arti",
        "ATTEND": r"particip\w*|assist\w*|présence|assiduité|fréquentation",
        "OFFICIALS": r"membres du comité|membres des comités|dirigeants|cadres|comité permanent|responsables|fonctionnaires",
        "TOP": r"propres? et (?:forte?s?|solides?|vigoureu\w*)|excellem\w*|excellen\w*|exemplaire\w*",
        "GOOD": r"\bbien\b|\bbonne?s?\b",
        "ORBETTER": r"ou plus|ou mieux|ou au-dessus|et plus|ou supérieur",
        "SECRETARIES": r"secrétaires de cellule|secrétaires",
        "TRAINED": r"\bformé\w*|formation|qualifi\w*",
        "GROWTH": r"croissance économique|taux de croissance",
        "NOT": r"ménages pauvres|pauvreté|ethni\w*|enseignants|chefs de village|assurance",
    },
    money_keywords={
        "production_value": r"valeur (?:totale )?(?:de la |de )?production|valeur de production",
        "income_per_capita": r"revenus?(?: moyens?)?(?: par (?:habitant|personne|tête))?|revenu moyen",
    },
    merger_triggers=[
        (r"(?:a été |ont été |est |sont |fut )?(?:créée?s?|formée?s?|établie?s?|constituée?s?|fondée?s?)\s+(?:sur la base de|à partir de|par|de|grâce à)\s+(?:la\s+)?(?:fusion|réunion|regroupement|consolidation|l['’]intégration)\s*(?:des|de la|de l['’]|du|de|d['’])?\s*(?:anciens?\s+|anciennes?\s+)?", "new_before"),
        (r"sur la base de la fusion (?:des|de la|de l['’]|du|de|d['’])?\s*(?:anciens?\s+|anciennes?\s+)?", "new_before"),
        (r"(?:est |sont )?(?:issue?s?|née?s?) de la fusion (?:des|de la|de l['’]|du|de|d['’])?\s*(?:anciens?\s+|anciennes?\s+)?", "new_before"),
        (r"(?:ont été |a été |sont |seront )?(?:fusionnée?s?|regroupée?s?|réunie?s?) (?:en|dans|pour former|pour constituer|pour créer)\s+(?:une |la |le |l['’])?(?:nouvelle |nouveau )?", "new_after"),
        (r"(?:a |ont )?fusionnée? avec (?:la |le |l['’])?(?:ancienne? )?", "with"),
    ],
    merger_stops=r"\b(?:conformément|selon|en vertu|décision|résolution|arrêté|décret|le \d|du \d)|\bDécision\b|\bRésolution\b|\bdu district de (?-i:[A-Z])|\bde la province de",
    honorifics=r"camarades?|m\.|mme|monsieur|madame|mlle",
    roles=[
        (r"secrétaires? adjoint(?:e|s|es)? permanent(?:e|s|es)?|vice-secrétaires? permanent(?:e|s|es)?|secrétaires? permanent(?:e|s|es)?|premier secrétaire adjoint", "permanent deputy secretary"),
        (r"secrétaires? adjoint(?:e|s|es)?|vice-secrétaires?|sous-secrétaires?", "deputy secretary"),
        (r"secrétaires?", "secretary"),
        (r"vice-président(?:e|s|es)?(?: permanent(?:e|s|es)?)?|vice président(?:e|s|es)?|président(?:e|s|es)? adjoint(?:e|s|es)?", "vice chairman"),
        (r"président(?:e|s|es)?", "chairman"),
        (r"chef(?:fe)?s? adjoint(?:e|s|es)?|directeur(?:s)? adjoint(?:s)?|directrice adjointe|sous-directeur\w*|vice-directeur\w*", "deputy head"),
        (r"chef(?:fe)?s?|directeur(?:s)?|directrice(?:s)?", "head"),
        (r"membres?", "member"),
    ],
    board_words=r"commission d['’]organisation|commission de l['’]organisation|département|bureau|commission de (?:la )?propagande|commission de (?:la )?mobilisation|comité d['’]organisation|commission (?:de |des )?(?:affaires|éducation)|service",
    inspection_words=r"inspection|contrôle",
    # a government body only when no "et" joins another title before it: in "membre du Comité
    # exécutif du Parti et vice-président du Comité populaire" the first title is the Party one
    government_words=r"^(?:(?!\bet\b)[^;])*?(?:comité populaire|conseil populaire|front de la patrie|front patriotique|croix-rouge|assemblée nationale)",
    national_words=r"bureau politique|politburo|comité central|assemblée nationale|premier ministre|président de la république|secrétaire général",
    appoint_markers=r"\ben tant que\b|au poste de|\bnommée?\b|\bélue?\b|\bdésignée?\b",
    list_conj=r"et|ou",
    word_numbers={
        "un seul": 1, "une seule": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
        "huit": 8, "neuf": 9, "dix": 10,
    },
)
