"""The word tables claims are read with: numbers, modifiers, events, nouns, stop words.

Kept apart from the code so that recall (which the lexicon bounds, on purpose) is tuned here
without touching the extraction steps; the tables derived from these (inflected event forms,
the synonym index) are built next to the code that reads them.
"""

from __future__ import annotations

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

# Vague quantities, kept as words, with the loose (low, high) bounds they imply. Only these
# bounds decide whether a vague word contradicts a number: "several" (more than two) allows
# "seven" but not "one"; "dozens" does not allow "five". "many" allows anything.
VAGUE: dict[tuple[str, ...], tuple[int | None, int | None]] = {
    ("several",): (3, None),
    ("multiple",): (2, None),
    ("numerous",): (3, None),
    ("many",): (None, None),
    ("a", "few"): (2, 6),
    ("a", "handful"): (2, 6),
    ("a", "couple"): (2, 3),
    ("a", "number"): (2, None),
    ("dozens",): (24, None),
    ("scores",): (40, None),
    ("hundreds",): (200, None),
    ("thousands",): (2000, None),
    ("millions",): (2_000_000, None),
    ("tens", "of", "thousands"): (20_000, None),
    ("hundreds", "of", "thousands"): (200_000, None),
}
# Bare plurals that are quantities only before "of" ("scores of people", not "test scores").
VAGUE_NEEDS_OF = {("scores",), ("a", "number")}

# Modifiers before a number, longest first when matched: kind of bound they make.
MODIFIERS: dict[tuple[str, ...], str] = {
    ("more", "than"): "more_than", ("over",): "more_than", ("upwards", "of"): "more_than",
    ("in", "excess", "of"): "more_than", ("above",): "more_than",
    ("at", "least"): "at_least", ("no", "fewer", "than"): "at_least",
    ("no", "less", "than"): "at_least", ("a", "minimum", "of"): "at_least",
    ("fewer", "than"): "less_than", ("less", "than"): "less_than", ("under",): "less_than",
    ("at", "most"): "at_most", ("no", "more", "than"): "at_most", ("up", "to"): "at_most",
    ("as", "many", "as"): "at_most", ("a", "maximum", "of"): "at_most",
    ("about",): "approx", ("around",): "approx", ("roughly",): "approx",
    ("approximately",): "approx", ("some",): "approx", ("an", "estimated",): "approx",
    ("estimated",): "approx", ("nearly",): "nearly", ("almost",): "nearly",
    ("close", "to"): "nearly",
    ("only",): "exact", ("just",): "exact", ("exactly",): "exact", ("precisely",): "exact",
    ("a", "total", "of"): "exact",
}  # fmt: skip

# Event families: the group's "event"; events._forms() generates each lemma's inflected forms.
EVENTS: dict[str, tuple[str, ...]] = {
    "used": ("use", "launch", "fire", "target", "deploy", "employ", "involve", "send", "fly",
             "strike", "hit", "attack", "aim"),
    "intercepted": ("intercept", "shoot down", "down", "neutralise", "neutralize"),
    "injured": ("injure", "wound", "hurt", "hospitalise", "hospitalize", "maim"),
    "killed": ("kill", "die", "slay", "murder", "perish", "shoot dead"),
    "arrested": ("arrest", "detain", "capture", "apprehend"),
    "kidnapped": ("kidnap", "abduct"),
    "evacuated": ("evacuate", "displace"),
    "rescued": ("rescue",),
    "damaged": ("damage", "destroy"),
    "seized": ("seize", "confiscate"),
    "charged": ("charge", "indict", "convict"),
}  # fmt: skip
# Families whose patient is always a person: an elided noun is "person" ("12 were killed").
HUMAN_FAMILIES = {"injured", "killed", "arrested", "kidnapped", "evacuated", "rescued", "charged"}
IRREGULAR_FORMS = {
    "hit": ("hit", "hitting"),
    "strike": ("struck", "striking", "stricken"),
    "send": ("sent", "sending"),
    "fly": ("flew", "flown", "flying"),
    "hurt": ("hurt", "hurting"),
    "die": ("died", "dying", "dead"),
    "slay": ("slain", "slew", "slaying"),
    "shoot down": ("shot down", "shoots down", "shooting down"),
    "shoot dead": ("shot dead", "shoots dead", "shooting dead"),
    "down": ("downed", "downing"),  # the bare word "down" is a particle, never the event
    "kidnap": ("kidnapped", "kidnapping", "kidnaped", "kidnaping"),
}
# Forms that are events even without an auxiliary: participles/past tense, -ing and adjectives.
# Base and 3rd-person forms ("attack", "fires") are nouns as often as verbs, so they only count
# after "to" or a modal ("managed to intercept two").
VERB_CUES = {"to", "will", "would", "could", "can", "may", "might", "must", "should", "did",
              "do", "does", "not"}  # fmt: skip

# Counted nouns that carry their own event ("five deaths" = five people killed).
EVENT_NOUNS = {
    "death": "killed", "fatality": "killed", "dead": "killed", "injury": "injured",
    "arrest": "arrested", "casualty": "casualties",
}  # fmt: skip

# Near-synonymous counted nouns (lemmas, one or two words) → the name the group is about.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "guard": ("guard", "bodyguard", "body guard", "security guard", "protection force",
              "protective force", "protection detail", "security detail", "protective detail",
              "protection team", "protection unit", "close protection"),
    "drone": ("drone", "uav", "unmanned aerial vehicle", "aerial vehicle", "unmanned aircraft",
              "quadcopter"),
    "person": ("person", "people", "individual"),
    "protester": ("protester", "protestor", "demonstrator"),
    "soldier": ("soldier", "troop", "serviceman", "servicemember", "service member"),
    "police officer": ("police officer", "policeman", "policewoman", "cop", "police"),
    "militant": ("militant", "fighter", "insurgent"),
    "child": ("child", "kid"),
    "home": ("home", "house"),
}  # fmt: skip

# Group words looked through to their "of" phrase: "seven members of his protection force".
PARTITIVE = {"member", "part", "rest", "majority", "remainder", "element", "piece", "dozen"}
# Counted nouns that make a duration, unit or price rather than a count of things.
NOT_COUNTED = {
    "year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "night",
    "time", "percent", "cent", "point", "dollar", "euro", "pound", "dinar", "rial", "riyal",
    "rupee", "yuan", "yen", "am", "pm", "gmt", "utc", "o'clock", "st", "nd", "rd", "th",
    "mile", "metre", "meter", "kilometre", "kilometer", "km", "foot", "ft", "yard", "inch",
    "kilogram", "kg", "gram", "tonne", "ton", "litre", "liter", "gallon", "acre", "hectare",
    "degree", "mph", "knot", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "game", "season", "inning", "quarter", "lap",
}  # fmt: skip
# A word right after the counted noun that makes it a measure: "three blocks away", "two days
# later", "ten years old", "20 metres long".
MEASURE_AFTER = {"away", "ago", "old", "long", "later", "earlier", "apart", "deep", "high",
                 "tall", "wide", "late", "early", "younger", "older"}  # fmt: skip
# An elided quantity after these is an age, a score or a family size, never a count of the
# story's events: "dead at 95", "a mother of 12", "aged 45".
NOT_AFTER = {"at", "of", "aged", "age"}
IRREGULAR_PLURALS = {
    "people": "person", "children": "child", "men": "man", "women": "woman", "policemen":
    "policeman", "policewomen": "policewoman", "servicemen": "serviceman", "gunmen": "gunman",
    "firemen": "fireman", "lives": "life", "wives": "wife", "knives": "knife", "thieves":
    "thief", "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose", "police":
    "police", "series": "series", "species": "species", "news": "news", "buses": "bus",
    "crises": "crisis", "analyses": "analysis", "dead": "dead", "staff": "staff",
}  # fmt: skip

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}  # fmt: skip
# Words that end a noun phrase (and so cannot be part of the counted noun).
STOP = {
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
    "but", "were", "was", "are", "is", "be", "been", "being", "have", "has", "had", "who",
    "which", "that", "this", "these", "those", "their", "his", "her", "its", "our", "your",
    "my", "they", "them", "he", "she", "it", "we", "you", "i", "as", "than", "into", "onto",
    "over", "under", "after", "before", "during", "since", "while", "when", "where", "near",
    "toward", "towards", "against", "outside", "inside", "around", "about", "between",
    "through", "across", "per", "not", "no", "also", "will", "would", "could", "can", "may",
    "might", "must", "should", "did", "do", "does", "said", "says", "say", "each", "all",
    "more", "most", "such", "only", "just", "there", "here", "then", "so", "if",
    "because", "though", "although", "whereas", "up", "down", "out", "off", "among",
    "including", "like", "via", "whom", "whose", "what", "how", "why", "both", "either",
    "neither", "reportedly", "allegedly", "initially", "later", "now", "still", "yet",
    "according", "overnight", "today", "yesterday", "tonight", "ago", "again", "already",
    "alone", "too", "instead", "others", "some", "any", "every", "many", "several", "earlier",
}  # fmt: skip
DETERMINERS = {"the", "his", "her", "its", "their", "our", "your", "my", "these", "those",
               "this", "that", "all"}  # fmt: skip
PRONOUNS = {"them", "us", "which", "whom", "these", "those"}
CLAUSE_WORDS = {"but", "while", "whereas", "although", "though", "however", "because", "yet",
                "when", "after", "before", "until", "unless", "if", "whether"}  # fmt: skip
# Before an event word after its noun, these make the noun its patient: "were killed".
PASSIVE = {"was", "were", "been", "be", "being", "is", "are", "get", "got", "left", "remain",
           "remained", "reported", "reportedly"}  # fmt: skip
# Events whose subject is the patient even in the active voice: "three people died".
INTRANSITIVE = {"die", "perish"}
CLAUSE_PUNCT = set(",;:()[]—–")
NAME_AFTER = {"no", "any", "every", "each", "the", "this", "that", "which", "anyone", "someone"}

# "initially said three … later clarified two": cue words before a claim in its sentence.
INITIAL_CUES = {"initially", "originally", "first", "preliminary", "early", "earlier"}
LATER_CUES = {"later", "subsequently", "since", "revised", "corrected", "clarified",
              "updated", "amended", "now", "lowered", "raised"}  # fmt: skip

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "cpt", "maj", "adm", "gov",
    "sen", "rep", "rev", "st", "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "ltd",
    "prof", "pres", "dept", "approx", "est",
} | {m for m in MONTHS if len(m) <= 4 and m not in ("may", "june", "july")}  # fmt: skip
