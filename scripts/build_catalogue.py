#!/usr/bin/env python3
"""Build the shipped catalogue of state acts: ``src/frisat/data/acts/<key>.yaml``.

How the catalogue is derived
============================

Input: the paragraph-split captures of Retsinformation's ELI documents in
``../shared/reference/lawtexts/<year>_<number>.json`` (public dataset
``Ansvar-Systems/Danish-law-mcp``, Apache-2.0). Each capture holds one consolidation (LBK),
law (LOV) or executive order (BEK); every provision has ``chapter``, ``section`` and
``content`` with the stk. marked inline ("Stk. 2.") and numbered items ("1)", "2)" ...).

Output: one ``frisat-bundle/1`` document per act (section ``acts``, see docs/bundle.md)
holding the provision *tree* (afsnit → kapitel → § → stk. → nr. → pkt.) with versions. No
wording of the law is copied: only structure, citations, dates, official names of afsnit and
chapters where a source gives them, and a few short summaries written in our own words.

Tree rules
----------
* ``kapitel N`` from the capture's ``chapter`` (``5a`` → ``kapitel 5 a``). Executive orders
  whose capture puts every § in chapter ``1`` have no chapters (the capture's default).
  Provisions with no chapter are the final provisions of amending acts that Retsinformation
  prints after a consolidation; they are not part of the act and are skipped.
* ``afsnit`` only for dagtilbudsloven (``DTL_AFSNIT`` below). Serviceloven also has afsnit,
  but the captures do not say which chapters they hold; its chapters hang on the act.
* ``§ N`` / ``§ N a``; a § (or a stk.) whose content is only "(Ophævet)" / "(Udelades)" in a
  consolidation is absent there. Grouped entries such as "§§ 104-109. (Udelades)" are absent.
* ``stk. N`` only when the § has two or more stk. (the first stk. is unmarked in the text).
  A "Stk. N." marker counts only when N is the next expected number, so quoted amendment
  text inside a § (e.g. lov 550/2012 § 31) does not create stk.
* ``nr. N`` under the stk. (or directly under the § when it has one stk.): the markers
  "1)", "2)", ... must run 1, 2, 3 ... (two or more). Retsinformation's footnotes are
  printed inline with the same "N)" markers; markers whose text reads like an editorial
  note ("... nyaffattes den ...", "Se note 6.", "Loven blev bekendtgjort ...") are ignored
  (``FOOTNOTE``).
* ``N. pkt.`` only where a regime names a sentence (``PKT_TARGETS``): folkeskoleloven § 6,
  stk. 2 and § 42, stk. 1; dagtilbudsloven § 81, stk. 1 (lov 880 § 8, stk. 2 and § 9,
  stk. 2 and 4); lov 880 § 8, stk. 1 (3. pkt.: private providers only on request) and
  § 9, stk. 1 (2. pkt.: the general teaching guardrail). Sentences are split at ". " before
  a capital letter, not after abbreviations (jf., nr., stk., pkt., m.v., f.eks. ...); a
  numbered list belongs to the sentence that introduces it.

Versions (an approximation — read this)
---------------------------------------
A node is *present* in a consolidation if it exists there. The consolidations of an act are
ordered by issued date; each maximal run of consolidations containing the node becomes a
version ``[from, to)``: ``from`` = issued date of the first consolidation of the run,
``to`` = issued date of the first later consolidation that lacks it (null if present in the
latest). **Presence by consolidation date is an approximation of the in-force dates**: a
provision usually entered into force earlier than the consolidation that first prints it,
and a text change that keeps the structure does not start a new version. Each version is
written bitemporally: ``{from, to: null, recorded_at: from}`` and, when it ended, a second
record with the same ``from``, the ``to`` and ``recorded_at: to``. ``enacted_by`` names the
consolidation (or law) that starts the version; in the closing record it names the act that
ended it (the first consolidation lacking the node, or the repealing act).

Exceptions to the presence rule, each from a text in the captures:

* ældreloven (lov 1651/2024) starts on its commencement date 2025-07-01 (§ 45, stk. 1).
* Serviceloven: every node present in LBK 155/2025 and absent from LBK 1129/2025 ends on
  2025-07-01, ended by ældreloven (which replaced the elder-care rules on that day), not on
  the later consolidation's date.
* Repeals stated in the acts themselves end the versions still open: lov 879/2021 on
  2025-07-01 (§ 14 as amended by lov 678/2024), lov 880/2021 on 2025-07-31 (§ 11 in LBK
  954/2024), BEK 892, 893, 894 and 900 of 2021 on 2024-09-30 (their own last §; whether they
  were later extended is not in the captures), lov 550/2012 (frikommuneloven) on
  2017-07-01 (repealed by lov 658/2017 § 31, in force 1 July 2017, § 32). "Ophæves den D"
  is read as: not in force from D.
* Lov 879/2021 was amended by lov 749/2023, which inserted § 9 a (from its issued date
  2023-06-13); lov 678/2024 only moved the repeal date.

Version exclusions (lov 2594/2021 and lov 2595/2021; rewritten by lov nr. 410 af 23/04/2024)
----------------------------------------------------------------------------------------------
Lov 2594/2021 § 2 (stk. 4 as enacted) and lov 2595/2021 § 2, stk. 2 (both amending
dagtilbudsloven, 28/12/2021) provided from the start that they have no effect in the
municipalities covered by lov 880 § 2, nr. 1 (Helsingør, Rebild); L 89 (2023-24) = lov
410/2024 §§ 2-3 rewrote those clauses ("affattes således") so that they hold until lov 880
is repealed; the earlier rules keep applying there. The exclusion is therefore recorded from
28/12/2021 citing the amending act itself, and again from 23/04/2024 citing the clause as
rewritten (https://ft.dk/samling/20231/lovforslag/l89/20231_l89_som_fremsat.htm). The
capture of lov 2594/2021 quotes the provisions it rewrote or inserted: § 5 (rewritten),
§§ 5 a, 5 b and 19 a (new). For lov 2595/2021 the capture has no text; the editorial note in
LBK 985/2022 says that § 83, stk. 2 is rewritten by lov 2595 § 1, nr. 1 from 1 January 2024.
For each of these nodes and their subtrees the version that starts with the first
consolidation printing the new text carries the exclusion; an older version (if any) ends
there. Smaller textual amendments these acts may have made elsewhere are not visible in the
captures and are not marked.

Executive orders named by BEK 892/2021 and BEK 893/2021
-------------------------------------------------------
Each executive order those BEKs let the municipalities set aside becomes a small act
``bek-<number>-<year>`` with ``partial: true`` holding only the provisions named (with the
parents needed to place them); an order named as a whole has no provisions. Their versions
start on the order's date as cited and stay open unless a source says otherwise (BEK
1542/2019 was repealed by BEK 2058/2021 in force 2021-11-18, § 50, stk. 3, per
https://elov.dk/dagtilbudsbekendtgorelsen/paragraf/50).

Sources for the afsnit of dagtilbudsloven
-----------------------------------------
Chapters per afsnit: I = 1; II = 2-5; II A = 5 a; III = 6-9; IV = 10-13; V = 14-16 (with 15 a);
VI = 17-22 a; VII = 23. Read from the table of contents of the consolidated act
(https://www.global-regulation.com/translation/denmark/613768/ , afsnit I-VI with chapters
1-19), https://elov.dk/dagtilbudsloven/afsnit/vi (afsnit VI opens with kapitel 17),
http://www.socialjura.dk/content-storage/love/love/dagtilbudslov/menu/all/love/ (afsnit I
"Indledning", kapitel 1), https://ft.dk/samling/20171/almdel/SOU/bilag/298/1920890/index.htm
(afsnit II A inserted with kapitel 5 a), and lov 880 § 8, stk. 2 (§§ 94-99 and 101-102 are in
the afsnit that § 8, stk. 1 names, so in VI). Chapters 20-22 a in VI and chapter 23 in a
separate afsnit VII are inferred (medium confidence): the captures carry no afsnit headings.

Re-run (needs ../shared): ``.venv/bin/python scripts/build_catalogue.py``
(``--lawtexts DIR``, ``--out DIR``, ``--check`` to compare with the committed files).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from frisat.law.citation import Ref, canonical_ref, parse_ref, sort_key  # noqa: E402

DEFAULT_LAWTEXTS = REPO.parent / "shared" / "reference" / "lawtexts"
DEFAULT_OUT = REPO / "src" / "frisat" / "data" / "acts"
ELI = "https://www.retsinformation.dk/eli/lta/{year}/{number}"

# --------------------------------------------------------------------------- act specs


@dataclass
class ActSpec:
    key: str
    files: list[str]  # "<year>_<number>", any order
    areas: list[str]
    short_title: str
    title: str | None = None  # default: from the latest file
    first_from: dt.date | None = None  # override of the earliest file's issued date
    first_enacted_by: str | None = None
    repeal: tuple[dt.date, str] | None = None  # end of versions still open
    # extra § nodes from amending acts: (ref, structural parent, from, enacted_by)
    amendments: list[tuple[str, str, dt.date, str]] = field(default_factory=list)


D = dt.date

# Acts that give the municipality powers or duties (the regimes' own laws, the rules on the
# § 6 overview) but do not themselves bind a daycare, school or care home: ``kinds: []``
# keeps them out of an institution's rule list; municipality-level questions still see them.
FRAMEWORK_ACTS = {"frikommuneloven", "frikommunenetvaerksloven", "velfaerdsaftaleloven",
                  "velfaerdsaftaleloven-aeldre", "bek-894-2021", "bek-900-2021"}

ACTS: list[ActSpec] = [
    ActSpec(
        "dagtilbudsloven",
        ["2018_1214", "2019_176", "2019_824", "2020_2", "2020_1326", "2021_1912", "2022_454",
         "2022_985", "2024_55", "2024_988", "2025_1038"],
        ["dagtilbud"], "dagtilbudsloven"),
    ActSpec(
        "folkeskoleloven",
        ["2019_823", "2020_1396", "2021_1887", "2022_1396", "2023_1086", "2024_90", "2024_989",
         "2025_1100"],
        ["folkeskole"], "folkeskoleloven"),
    ActSpec(
        "serviceloven",
        ["2019_798", "2020_1287", "2021_1548", "2022_170", "2023_1089", "2024_67", "2024_909",
         "2025_155", "2025_1129"],
        ["aeldre"], "serviceloven"),
    ActSpec("friplejeboligloven", ["2017_1162", "2025_1254"], ["aeldre"], "friplejeboligloven"),
    ActSpec(
        "velfaerdsaftaleloven-aeldre", ["2021_879"], ["aeldre"],
        "velfærdsaftaleloven på ældreområdet",
        repeal=(D(2025, 7, 1), "lov nr. 678 af 11/06/2024"),
        amendments=[("§ 9 a", "kapitel 4", D(2023, 6, 13), "lov nr. 749 af 13/06/2023")]),
    ActSpec(
        "velfaerdsaftaleloven", ["2021_880", "2022_1171", "2024_954"],
        ["dagtilbud", "folkeskole"], "velfærdsaftaleloven (dagtilbud og folkeskole)",
        repeal=(D(2025, 7, 31), "lov nr. 410 af 23/04/2024")),
    ActSpec(
        "aeldreloven", ["2024_1651"], ["aeldre"], "ældreloven",
        title="Ældrelov", first_from=D(2025, 7, 1),
        first_enacted_by="lov nr. 1651 af 30/12/2024"),
    ActSpec("bek-892-2021", ["2021_892"], ["dagtilbud"], "BEK 892/2021",
            repeal=(D(2024, 9, 30), "BEK nr. 892 af 12/05/2021 § 8, stk. 2")),
    ActSpec("bek-893-2021", ["2021_893"], ["folkeskole"], "BEK 893/2021",
            repeal=(D(2024, 9, 30), "BEK nr. 893 af 12/05/2021 § 24, stk. 2")),
    ActSpec("bek-894-2021", ["2021_894"], ["dagtilbud", "folkeskole"], "BEK 894/2021",
            repeal=(D(2024, 9, 30), "BEK nr. 894 af 12/05/2021 § 3, stk. 2")),
    ActSpec("bek-900-2021", ["2021_900"], ["aeldre"], "BEK 900/2021",
            repeal=(D(2024, 9, 30), "BEK nr. 900 af 12/05/2021 § 3, stk. 2")),
    ActSpec("frikommuneloven", ["2012_550"], ["dagtilbud", "folkeskole", "aeldre"],
            "frikommuneloven",
            repeal=(D(2017, 7, 1), "lov nr. 658 af 08/06/2017 § 31")),
    ActSpec("frikommunenetvaerksloven", ["2017_658", "2018_831"],
            ["dagtilbud", "folkeskole", "aeldre"], "frikommunenetværksloven"),
]

SEL_KEY = "serviceloven"
SEL_AELDRE_END = D(2025, 7, 1)
SEL_AELDRE_BY = "lov nr. 1651 af 30/12/2024 (ældreloven)"
SEL_BEFORE, SEL_AFTER = "2025_155", "2025_1129"

DTL_AFSNIT: dict[str, str] = {}
for _afsnit, _chapters in [
    ("I", ["1"]), ("II", ["2", "3", "4", "5"]), ("II A", ["5 a"]),
    ("III", ["6", "7", "8", "9"]), ("IV", ["10", "11", "12", "13"]),
    ("V", ["14", "15", "15 a", "16"]),
    ("VI", ["17", "18", "19", "20", "21", "22", "22 a"]), ("VII", ["23"]),
]:
    for _ch in _chapters:
        DTL_AFSNIT[_ch] = _afsnit

# Official names of afsnit and chapters, only where a source gives them (see docstring).
HEADINGS: dict[tuple[str, str], str] = {
    ("dagtilbudsloven", "afsnit I"): "Indledning",
    ("dagtilbudsloven", "afsnit II A"): "Obligatorisk læringstilbud",
    ("dagtilbudsloven", "kapitel 1"): "Formål, anvendelsesområde, ansvar, tilsyn m.v.",
    ("dagtilbudsloven", "kapitel 17"): "Betaling og tilbagebetaling",
}

PKT_TARGETS: dict[str, list[str]] = {
    "folkeskoleloven": ["§ 6, stk. 2", "§ 42, stk. 1"],
    "dagtilbudsloven": ["§ 81, stk. 1"],
    "velfaerdsaftaleloven": ["§ 8, stk. 1", "§ 9, stk. 1"],
}

EXCLUSION = {"regime": "velfaerdsaftale-dagtilbud", "area": "dagtilbud"}
# The clause that made the exclusion, per amending act, as the register learnt it: (known
# from, basis). Lov 2594/2021 § 2, stk. 4 and lov 2595/2021 § 2, stk. 2 as enacted; both
# rewritten by lov 410/2024 §§ 2-3 (lov 2594's clause was then § 2, stk. 3, after lov
# 1771/2023).
EXCLUSION_HISTORY: dict[str, list[tuple[dt.date, str]]] = {
    "lov nr. 2594 af 28/12/2021": [
        (D(2021, 12, 28), "lov nr. 2594 af 28/12/2021 § 2, stk. 4"),
        (D(2024, 4, 23), "lov nr. 2594 af 28/12/2021 § 2, stk. 3, som affattet ved lov nr. 410 "
                         "af 23/04/2024 § 2")],
    "lov nr. 2595 af 28/12/2021": [
        (D(2021, 12, 28), "lov nr. 2595 af 28/12/2021 § 2, stk. 2"),
        (D(2024, 4, 23), "lov nr. 2595 af 28/12/2021 § 2, stk. 2, som affattet ved lov nr. 410 "
                         "af 23/04/2024 § 3")],
}
# Acts whose earliest capture is a consolidation of a much older law: what it holds was in
# force before the capture date, so those versions start open (unknown start), never at the
# capture date. Acts captured from their enacting law (lov 879/880, ældreloven, the
# frikommune laws, the BEKs) start on their real date.
OPEN_START = {"dagtilbudsloven", "folkeskoleloven", "serviceloven", "friplejeboligloven"}
# (ref, amending act date): the node whose new text the amending act brought.
EXCLUDED_TARGETS: list[tuple[str, dt.date, str]] = [
    ("§ 5", D(2021, 12, 28), "lov nr. 2594 af 28/12/2021"),
    ("§ 5 a", D(2021, 12, 28), "lov nr. 2594 af 28/12/2021"),
    ("§ 5 b", D(2021, 12, 28), "lov nr. 2594 af 28/12/2021"),
    ("§ 19 a", D(2021, 12, 28), "lov nr. 2594 af 28/12/2021"),
    ("§ 83, stk. 2", D(2021, 12, 28), "lov nr. 2595 af 28/12/2021"),
]

# --------------------------------------------------------------------------- summaries
# Own-words paraphrases, only for provisions that the regimes list (lov 879 § 8-9,
# lov 880 § 8-9). Short, plain Danish; never the law's wording.
SUMMARIES: dict[str, dict[str, str]] = {
    "serviceloven": {
        "§ 79 a": "Kommunen tilbyder ældre borgere forebyggende hjemmebesøg.",
        "§ 81 a": "Kommunalbestyrelsen vedtager og offentliggør en værdighedspolitik for "
                  "ældreplejen.",
        "§ 83, stk. 1": "Kommunen skal give hjemmehjælp: personlig pleje, praktisk hjælp og "
                        "madservice.",
        "§ 83, stk. 3": "Før hjemmehjælp visiteres, vurderes det om et rehabiliteringsforløb "
                        "kan mindske behovet.",
        "§ 83, stk. 5": "Kommunen sætter mål for den enkeltes hjemmehjælp sammen med "
                        "borgeren.",
        "§ 83 a": "Kortere rehabiliteringsforløb, når de kan forbedre borgerens "
                  "funktionsevne.",
        "§ 84, stk. 1": "Kommunen giver aflastning eller afløsning til nære pårørende, som "
                        "passer et familiemedlem med nedsat funktionsevne.",
        "§ 86": "Genoptræning efter sygdom uden indlæggelse samt vedligeholdelsestræning.",
        "§ 90": "Hjælpen leveres som visiteret, og kommunen sikrer levering hvis leverandøren "
                "svigter.",
        "§ 91": "Borgeren kan vælge mellem flere leverandører af hjemmehjælp.",
        "§ 92": "Beredskab og garantier for konkurs hos private hjemmehjælpsleverandører.",
        "§ 94": "Borgeren kan selv pege på en hjælper, som kommunen godkender og indgår "
                "kontrakt med.",
        "§ 94 a": "Borgeren kan bytte den visiterede hjælp til anden hjælp.",
        "§ 139, stk. 2": "Ministeren kan kræve kvalitetsstandarder for bl.a. hjemmehjælp, "
                         "rehabilitering og træning.",
        "§ 151": "Kommunens tilsyn med hjemmehjælp, rehabilitering og træning, herunder "
                 "uanmeldte besøg.",
        "§ 151 b": "Opfølgning og påbud, når en friplejebolig ikke leverer den visiterede "
                   "hjælp.",
        "§ 151 c": "Kommunen har en offentlig tilsynspolitik for hjemmehjælp under frit "
                   "valg.",
    },
    "friplejeboligloven": {
        "§ 8, stk. 1": "Leverandøren af friplejeboliger leverer den hjælp, kommunen har "
                       "visiteret til.",
        "§ 8, stk. 2": "Leverandøren holder kommunen orienteret om forhold af betydning for "
                       "dens myndighedsopgaver.",
        "§ 32": "Priser og afregning mellem kommune og friplejeboligleverandør.",
        "§ 33": "Betaling mellem kommuner for tilsyn med friplejeboliger.",
    },
    "dagtilbudsloven": {
        "§ 2, stk. 2": "Forældre, der lovligt opholder sig i Danmark, kan få lovens tilbud.",
        "§ 3 a, stk. 1": "Kommunalbestyrelsen har ansvaret for dagtilbuddene.",
        "§ 3 a, stk. 4": "Dagtilbud skal være med til at give særlig støtte til børn, der har "
                         "brug for det.",
        "§ 4": "Kommunen skal have pladser nok og sikre støtte til børn med behov.",
        "§ 5": "Kommunen fører tilsyn med tilbuddene.",
        "§ 7": "Formålet: dagtilbud skal understøtte børns trivsel, udvikling og læring, med "
               "legen som grundlag.",
        "§ 8": "Hvert dagtilbud har en skriftlig pædagogisk læreplan.",
        "§ 11": "Sprogvurdering af børn omkring tre år og sprogstimulering.",
        "§ 14": "Forældrebestyrelser i kommunale dagtilbud.",
        "§ 16 a": "Sundt frokostmåltid i daginstitutioner.",
        "§ 19": "Hvordan daginstitutioner kan drives: kommunalt, selvejende, udliciteret, "
                "privat.",
        "§ 21": "Dagpleje, kommunal eller privat.",
        "§ 22 a": "Dansk er hovedsproget i dagtilbud.",
        "§ 23": "Kommunen skal garantere en plads i dagtilbud (pasningsgaranti).",
        "§ 24": "Tilskud når pasningsgarantien ikke opfyldes.",
        "§ 26": "Kommunen træffer afgørelse om optagelse.",
        "§ 26 a": "Højst 30 pct. af de nye børn i en daginstitution må komme fra udsatte "
                  "boligområder.",
        "§ 32": "Forældrebetalingen er højst 25 pct. af udgifterne.",
        "§ 43": "Fripladstilskud og søskendetilskud.",
        "§ 80": "Tilskud til forældre, der vælger privat pasning.",
        "§ 81, stk. 1, 1. pkt.": "Kommunen godkender aftalen om privat pasning og fører "
                                 "tilsyn med den.",
        "§ 97": "Afgørelser kan påklages til Ankestyrelsen.",
    },
    "folkeskoleloven": {
        "§ 1": "Det overordnede formål med folkeskolen og dens opgave over for eleverne.",
        "§ 2": "Folkeskolen er kommunens opgave, og undervisningen er gratis.",
        "§ 3 a": "Specialundervisning og anden støtte til elever med behov.",
        "§ 6, stk. 2, 1. pkt.": "Et barn fritages for kristendomskundskab, hvis forældrene "
                                "selv sørger for religionsundervisningen.",
        "§ 26": "Kommunen sørger for gratis skolebefordring efter visse afstande.",
        "§ 32": "Der er undervisningspligt, ikke skolepligt.",
        "§ 33": "Hvor og hvordan undervisningspligten opfyldes.",
        "§ 34, stk. 1": "Undervisningspligten begynder i august det år, barnet fylder seks.",
        "§ 42, stk. 1, 1. pkt.": "Hver skole har en skolebestyrelse.",
        "§ 46": "Elever kan danne elevråd.",
    },
    "velfaerdsaftaleloven-aeldre": {
        "§ 8": "Listen over ældreregler, som kommunerne kan sætte ud af kraft, og hvem der "
               "altid er beskyttet.",
        "§ 9": "Borgeren skal fortsat have den hjælp, der er behov for, efter en konkret "
               "vurdering.",
    },
    "velfaerdsaftaleloven": {
        "§ 8": "Hvilke dele af dagtilbudsloven Helsingør og Rebild kan sætte ud af kraft, og "
               "hvilke ikke.",
        "§ 9": "Esbjerg og Holbæk kan sætte folkeskoleloven ud af kraft, bortset fra de "
               "oplistede hegnspæle.",
    },
}

# --------------------------------------------------------------------------- partial BEKs
# Executive orders named in BEK 892/2021 (dagtilbud) and BEK 893/2021 (folkeskole).
# (number, year, date, title as cited, provisions named, naming §, area)
NAMED_BEKS: list[tuple[int, int, dt.date, str, list[str], str, str]] = [
    (968, 2018, D(2018, 6, 28), "Bekendtgørelse om pædagogiske mål og indhold i seks "
     "læreplanstemaer", [f"§ {n}" for n in range(1, 14)], "BEK 892/2021 § 2", "dagtilbud"),
    (1542, 2019, D(2019, 12, 19), "Bekendtgørelse om dagtilbud",
     [f"kapitel {n}" for n in range(3, 11)], "BEK 892/2021 §§ 3-6", "dagtilbud"),
    (691, 2014, D(2014, 6, 20), "Bekendtgørelse om procedureregler ved en elevs fritagelse "
     "for kristendomskundskab i folkeskolen", ["§ 1"], "BEK 893/2021 § 2", "folkeskole"),
    (1217, 2020, D(2020, 8, 19), "Bekendtgørelse om formål, kompetencemål, færdigheds- og "
     "vidensområder og opmærksomhedspunkter for folkeskolens fag og emner (Fælles Mål)", [],
     "BEK 893/2021 § 3", "folkeskole"),
    (186, 2018, D(2018, 3, 5), "Bekendtgørelse om formål, kompetencemål, færdigheds- og "
     "vidensområder og opmærksomhedspunkter for børnehaveklassen (Fælles Mål)", [],
     "BEK 893/2021 § 4", "folkeskole"),
    (696, 2019, D(2019, 7, 4), "Bekendtgørelse om obligatoriske sprogprøver i grundskolen", [],
     "BEK 893/2021 § 5", "folkeskole"),
    (742, 2017, D(2017, 6, 14), "Bekendtgørelse om obligatoriske test i folkeskolen", [],
     "BEK 893/2021 § 6", "folkeskole"),
    (918, 2019, D(2019, 9, 3), "Bekendtgørelse om projektopgaven i 9. klasse", [],
     "BEK 893/2021 § 6", "folkeskole"),
    (704, 2014, D(2014, 6, 23), "Bekendtgørelse om krav til digitale elevplaner i "
     "folkeskolen", [], "BEK 893/2021 § 7", "folkeskole"),
    (687, 2014, D(2014, 6, 20), "Bekendtgørelse om folkeskolens pædagogiske læringscentre",
     [], "BEK 893/2021 § 8", "folkeskole"),
    (439, 2015, D(2015, 4, 13), "Bekendtgørelse om obligatorisk selvvalgt opgave i "
     "folkeskolens 10. klasse", [], "BEK 893/2021 § 9", "folkeskole"),
    (1251, 2014, D(2014, 11, 27), "Bekendtgørelse om overenskomst mellem en "
     "kommunalbestyrelse og en institution, der udbyder erhvervsuddannelse, om varetagelse "
     "af 10. klasseundervisning samt om 10.-klasseforløbene eud10 og kombineret 10. klasse",
     [], "BEK 893/2021 § 10", "folkeskole"),
    (230, 2020, D(2020, 3, 18), "Bekendtgørelse om overenskomst mellem en kommunalbestyrelse "
     "og en institution for erhvervsrettet uddannelse om varetagelse af undervisning i "
     "grundskolen i dele af undervisningstiden", [], "BEK 893/2021 § 10", "folkeskole"),
    (700, 2014, D(2014, 6, 23), "Bekendtgørelse om procedure ved nedlæggelse af en "
     "folkeskole", [], "BEK 893/2021 § 11", "folkeskole"),
    (1063, 2019, D(2019, 10, 24), "Bekendtgørelse om elevers fravær fra undervisningen i "
     "folkeskolen", [], "BEK 893/2021 § 12", "folkeskole"),
    (1927, 2020, D(2020, 12, 10), "Bekendtgørelse om krav til indholdet af mål- og "
     "indholdsbeskrivelser for folkeskolens skolefritidsordninger", [], "BEK 893/2021 § 13",
     "folkeskole"),
    (204, 2020, D(2020, 3, 13), "Bekendtgørelse om kvalitetsrapporter i folkeskolen", [],
     "BEK 893/2021 § 14", "folkeskole"),
    (1074, 2017, D(2017, 9, 14), "Bekendtgørelse om valg af forældrerepræsentanter til "
     "skolebestyrelser i folkeskolen og om vederlag til forældre- og elevrepræsentanter i "
     "skolebestyrelser i folkeskolen", [], "BEK 893/2021 § 15", "folkeskole"),
    (695, 2014, D(2014, 6, 23), "Bekendtgørelse om elevråd i folkeskolen", [],
     "BEK 893/2021 § 16", "folkeskole"),
    (703, 2014, D(2014, 6, 23), "Bekendtgørelse om tilsynet med folkeskolens elever i "
     "skoletiden", [], "BEK 893/2021 § 17", "folkeskole"),
    (697, 2014, D(2014, 6, 23), "Bekendtgørelse om fremme af god orden i folkeskolen", [],
     "BEK 893/2021 § 17", "folkeskole"),
    (252, 2019, D(2019, 5, 1), "Bekendtgørelse om måling af elevernes trivsel i folkeskolen",
     [], "BEK 893/2021 § 18", "folkeskole"),
    (1128, 2019, D(2019, 11, 14), "Bekendtgørelse om folkeskolens prøver",
     ["§ 4", "§ 6", "§ 7", "§ 8", "§ 9"], "BEK 893/2021 § 19", "folkeskole"),
    (1016, 2019, D(2019, 10, 4), "Bekendtgørelse om uddannelsesparathedsvurdering og "
     "procedurer ved valg af ungdomsuddannelse", ["§ 3", "§ 4", "§ 5"], "BEK 893/2021 § 20",
     "folkeskole"),
    (1152, 2020, D(2020, 7, 7), "Bekendtgørelse om vejledning om valg af ungdomsuddannelse "
     "og erhverv", ["§ 4, stk. 1, nr. 5", "§ 4, stk. 1, nr. 6", "§ 4, stk. 1, nr. 7",
                    "§ 5, stk. 1", "§ 5, stk. 2", "§ 28"], "BEK 893/2021 §§ 21-22",
     "folkeskole"),
    (1015, 2019, D(2019, 10, 4), "Bekendtgørelse om introduktionskurser og brobygning til "
     "ungdomsuddannelserne", [f"§ {n}" for n in range(1, 15)], "BEK 893/2021 § 22",
     "folkeskole"),
]
NAMED_BEK_ENDS: dict[tuple[int, int], tuple[dt.date, str, str]] = {
    (1542, 2019): (D(2021, 11, 18), "BEK nr. 2058 af 15/11/2021",
                   "https://elov.dk/dagtilbudsbekendtgorelsen/paragraf/50"),
}

# --------------------------------------------------------------------------- text parsing

FOOTNOTE = re.compile(
    r"""^(?:
        §+\s*\d+.{0,200}?\b(?:nyaffattes|ophæves|affattes|indsættes|får\svirkning|
            træder\si\skraft|ændres)
      | Se\snote
      | Den\s(?:nyaffattelse|ændring|tilføjelse|ophævelse|affattelse)
      | Ved\s(?:en\sfejl|lov\snr|§)
      | Lov\snr\.[^)]{0,200}?(?:bekendtgjort|ophæves)
      | Loven\sblev
      | Henvisningen
      | Lovteksten
      | Opgaven\svaretages
      | Ministeriet\sfor
      | Økonomi-\sog
      | [A-ZÆØÅ][^)]{0,200}?er\sved\skongelig\sresolution
    )""",
    re.VERBOSE,
)
_MARKER = re.compile(r"(?<!\S)(\d{1,3})\)\s")
_STK = re.compile(r"(?<!\S)Stk\.\s*(\d+)\.(?=\s|$)")
_PARA_PREFIX = re.compile(r"^§§?\s*\d+(?:\s?[a-zæøå])?(?:\s*-\s*\d+(?:\s?[a-zæøå])?)?\.\s*")
_REPEALED = re.compile(r"^\(?(?:Ophævet|Udelades)\)?\.?$", re.IGNORECASE)
_ABBREV = re.compile(
    r"(?:\bjf|\bnr|\bstk|\bpkt|m\.v|f\.eks|bl\.a|\bpct|\bca|\bdvs|\bkl|\bevt|\bmv|\binkl"
    r"|\bekskl|o\.l|\bS|\bk|\bhhv|\bjfr|\bmm|\bvedr|\bstr|\bfx)$",
    re.IGNORECASE,
)


def markers(text: str) -> list[tuple[int, int, bool]]:
    """Every "N)" marker: (number, position, is_footnote)."""
    found = list(_MARKER.finditer(text))
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        follow = text[m.end():min(end, m.end() + 300)]
        out.append((int(m.group(1)), m.start(), bool(FOOTNOTE.match(follow))))
    return out


def list_items(text: str) -> list[int]:
    """Positions of the numbered items 1), 2), ... of a list in text (empty if none)."""
    expected, positions = 1, []
    for number, pos, note in markers(text):
        if note:
            continue
        if number == expected:
            positions.append(pos)
            expected += 1
    return positions if len(positions) >= 2 else []


def strip_footnotes(text: str) -> str:
    """The text up to the first editorial note (for comparing texts between versions)."""
    for _number, pos, note in markers(text):
        if note:
            return text[:pos].strip()
    return text.strip()


def is_repealed(text: str) -> bool:
    return bool(_REPEALED.match(strip_footnotes(text)))


def split_stk(body: str) -> list[str]:
    """The stk. of a § body (the first unmarked); a marker counts only in sequence."""
    cuts: list[tuple[int, int]] = []
    expected = 2
    for m in _STK.finditer(body):
        if int(m.group(1)) == expected:
            cuts.append((m.start(), m.end()))
            expected += 1
    parts, start = [], 0
    for s, e in cuts:
        parts.append(body[start:s].strip())
        start = e
    parts.append(body[start:].strip())
    return parts


def _sentence_ends(text: str) -> list[int]:
    """Positions just after each sentence-final period in text (not the last one)."""
    ends = []
    for m in re.finditer(r"\.\s+(?=[A-ZÆØÅ§»])", text):
        before = text[: m.start()]
        word = re.search(r"(\S+)$", before)
        token = word.group(1) if word else ""
        if _ABBREV.search(token):
            continue
        # A bare number before ". " and a capital ends a sentence ("jf. stk. 1. Hvis");
        # ordinals such as "1. august" are followed by lower case and never match.
        ends.append(m.end())
    return ends


def sentences(text: str) -> list[str]:
    """Split a stk. into sentences; a numbered list stays in the sentence introducing it."""
    text = strip_footnotes(text)
    items = list_items(text)
    if not items:
        cuts = _sentence_ends(text)
    else:
        head = text[: items[0]]
        cuts = [c for c in _sentence_ends(head) if c < len(head.rstrip())]
        # The list ends at the first sentence end after the last item that is followed by
        # text that is not another list item or a lettered sub-item.
        tail_start = items[-1]
        tail = text[tail_start:]
        tail_cuts = [tail_start + c for c in _sentence_ends(tail)]
        after_list = [c for c in tail_cuts
                      if not re.match(r"[a-zæøå]\)\s", text[c:])
                      and not re.match(r"Herunder\b", text[c:])]
        cuts += after_list
    out, start = [], 0
    for c in cuts:
        out.append(text[start:c].strip())
        start = c
    out.append(text[start:].strip())
    return [s for s in out if s]


@dataclass
class Node:
    ref: str
    parent_in: str | None = None  # explicit structural parent (kapitel/afsnit)
    text: str = ""


def section_ref(section: str) -> str:
    return canonical_ref("§ " + section)


def chapter_label(chapter: str) -> str:
    return canonical_ref("kapitel " + chapter).removeprefix("kapitel ")


def parse_file(act_key: str, doc: dict[str, Any]) -> dict[str, Node]:
    """All nodes of one capture, in text order."""
    provisions = [p for p in doc["provisions"] if p.get("chapter")]
    chapters = {p["chapter"] for p in provisions}
    use_chapters = not (len(chapters) == 1 and doc["title"].startswith("Bekendtgørelse om"))
    nodes: dict[str, Node] = {}

    def add(ref: str, parent_in: str | None = None, text: str = "") -> None:
        if ref in nodes:
            raise ValueError(f"{act_key} {doc['id']}: duplicate node {ref}")
        nodes[ref] = Node(ref, parent_in, text)

    pkt_targets = set(PKT_TARGETS.get(act_key, []))
    for p in provisions:
        section = p["section"]
        content = p["content"].replace("\u200d", "").replace("\u200c", "").replace("\xad", "")
        body = _PARA_PREFIX.sub("", content, count=1)
        if "-" in section:
            if not is_repealed(body):
                raise ValueError(f"{act_key} {doc['id']}: grouped § {section} not repealed")
            continue
        if is_repealed(body):
            continue
        chapter_in = None
        if use_chapters:
            label = chapter_label(p["chapter"])
            chapter_ref = f"kapitel {label}"
            if chapter_ref not in nodes:
                afsnit = DTL_AFSNIT.get(label) if act_key == "dagtilbudsloven" else None
                if act_key == "dagtilbudsloven" and afsnit is None:
                    raise ValueError(f"dagtilbudsloven: no afsnit for kapitel {label}")
                if afsnit is not None and f"afsnit {afsnit}" not in nodes:
                    add(f"afsnit {afsnit}")
                add(chapter_ref, f"afsnit {afsnit}" if afsnit else None)
            chapter_in = chapter_ref
        pref = section_ref(section)
        add(pref, chapter_in, body)
        stks = split_stk(body)
        multi = len(stks) >= 2
        for i, stk_text in enumerate(stks, start=1):
            if is_repealed(stk_text):
                continue
            base = f"{pref}, stk. {i}" if multi else pref
            if multi:
                add(base, None, stk_text)
            clean = strip_footnotes_keep_list(stk_text)
            for n, _pos in enumerate(list_items(clean), start=1):
                add(f"{base}, nr. {n}")
            if multi and base in pkt_targets:
                for k, _s in enumerate(sentences(stk_text), start=1):
                    add(f"{base}, {k}. pkt.")
    return nodes


def strip_footnotes_keep_list(text: str) -> str:
    """Text without editorial notes at its start (notes inside do not break lists)."""
    ms = markers(text)
    if ms and ms[0][1] == 0 and ms[0][2]:
        nxt = [pos for _n, pos, note in ms[1:] if not note]
        return text[nxt[0]:] if nxt else ""
    return text


# --------------------------------------------------------------------------- versions


@dataclass
class Consolidation:
    file: str
    issued: dt.date
    number: int
    year: int
    kind: str  # LBK, lov, BEK
    title: str
    nodes: dict[str, Node]

    @property
    def label(self) -> str:
        return f"{self.kind} nr. {self.number} af {self.issued:%d/%m/%Y}"

    @property
    def eli(self) -> str:
        return ELI.format(year=self.year, number=self.number)


def load_consolidation(lawtexts: Path, act_key: str, name: str) -> Consolidation:
    doc = json.loads((lawtexts / f"{name}.json").read_text(encoding="utf-8"))
    year, number = (int(x) for x in name.split("_"))
    title = doc["title"]
    if title.startswith("Bekendtgørelse af lov"):
        kind = "LBK"
    elif title.startswith("Bekendtgørelse"):
        kind = "BEK"
    else:
        kind = "lov"
    return Consolidation(name, dt.date.fromisoformat(doc["issued_date"]), number, year, kind,
                         title, parse_file(act_key, doc))


@dataclass
class Version:
    start: dt.date
    end: dt.date | None
    enacted_by: str
    ended_by: str | None = None
    exclusions: list[dict[str, str]] = field(default_factory=list)


def presence_versions(ref: str, cons: list[Consolidation], starts: list[dt.date]) -> list[Version]:
    out: list[Version] = []
    current: Version | None = None
    for c, start in zip(cons, starts, strict=True):
        present = ref in c.nodes
        if present and current is None:
            current = Version(start, None, c.label)
            out.append(current)
        elif not present and current is not None:
            current.end, current.ended_by = start, c.label
            current = None
    return out


def official_title(title: str) -> str:
    if title.startswith("Bekendtgørelse af lov"):
        rest = title.removeprefix("Bekendtgørelse af ")
        return rest[0].upper() + rest[1:]
    return title


def parent_of(ref: str, node: Node) -> str:
    if node.parent_in:
        return node.parent_in
    parsed = parse_ref(ref)
    parent = parsed.parent
    return str(parent) if parent is not None else ""


def build_act(spec: ActSpec, lawtexts: Path) -> dict[str, Any]:
    cons = sorted((load_consolidation(lawtexts, spec.key, f) for f in spec.files),
                  key=lambda c: c.issued)
    starts = [c.issued for c in cons]
    if spec.first_from:
        starts[0] = spec.first_from
    latest = cons[-1]

    # Merge the nodes of all consolidations; structural parents from the latest one.
    merged: dict[str, Node] = {}
    for c in cons:
        for ref, node in c.nodes.items():
            merged[ref] = node
    for ref, parent, _date, _by in spec.amendments:
        merged[canonical_ref(ref)] = Node(canonical_ref(ref), parent)

    versions: dict[str, list[Version]] = {}
    for ref in merged:
        vs = presence_versions(ref, cons, starts)
        if spec.first_enacted_by and vs and vs[0].start == starts[0]:
            vs[0].enacted_by = spec.first_enacted_by
        versions[ref] = vs
    for ref, _parent, date, by in spec.amendments:
        versions[canonical_ref(ref)] = [Version(date, None, by)]

    if spec.key == SEL_KEY:
        before = next(c for c in cons if c.file == SEL_BEFORE)
        after = next(c for c in cons if c.file == SEL_AFTER)
        for ref in before.nodes:
            if ref in after.nodes:
                continue
            for v in versions[ref]:
                if v.end == after.issued:
                    v.end, v.ended_by = SEL_AELDRE_END, SEL_AELDRE_BY

    if spec.repeal:
        date, by = spec.repeal
        for vs in versions.values():
            for v in vs:
                if v.end is None or v.end > date:
                    v.end, v.ended_by = date, by

    if spec.key == "dagtilbudsloven":
        apply_exclusions(cons, starts, merged, versions)

    # Tree order: depth-first from the act root, children in the order the act prints them.
    children: dict[str, list[str]] = {}
    for ref, node in merged.items():
        children.setdefault(parent_of(ref, node), []).append(ref)
    ordered: list[str] = []

    def walk(parent: str) -> None:
        for child in sorted(children.get(parent, []), key=sort_key):
            ordered.append(child)
            walk(child)

    walk("")
    if len(ordered) != len(merged):
        missing = set(merged) - set(ordered)
        raise ValueError(f"{spec.key}: nodes without a parent in the tree: {sorted(missing)}")

    summaries = SUMMARIES.get(spec.key, {})
    unknown = set(summaries) - set(merged)
    if unknown:
        raise ValueError(f"{spec.key}: summaries for unknown refs {sorted(unknown)}")
    provisions = []
    for ref in ordered:
        node = merged[ref]
        entry: dict[str, Any] = {"ref": ref}
        if node.parent_in:
            entry["in"] = node.parent_in
        heading = HEADINGS.get((spec.key, ref))
        if heading:
            entry["heading"] = heading
        if ref in summaries:
            entry["summary"] = summaries[ref]
        provisions.append(entry)

    first_from = min(v.start for vs in versions.values() for v in vs)
    open_start = first_from if spec.key in OPEN_START else None
    for entry in provisions:
        entry["versions"] = version_records(versions[entry["ref"]], open_start)
    return {
        "key": spec.key,
        "level": "state",
        "title": spec.title or official_title(latest.title),
        "short_title": spec.short_title,
        "areas": spec.areas,
        "kinds": [] if spec.key in FRAMEWORK_ACTS else None,
        "partial": False,
        "eli": latest.eli,
        "valid_from": first_from,
        "recorded_at": first_from,  # known from its first consolidation on
        "source_url": latest.eli,
        "source": "Retsinformation (ELI), via the captures "
                  + ", ".join(f"{c.label}" for c in cons),
        "provisions": provisions,
    }


def subtree(ref: str, refs: Iterable[str]) -> list[str]:
    return [r for r in refs if r == ref or r.startswith(ref + ", ")]


def apply_exclusions(cons: list[Consolidation], starts: list[dt.date],
                     merged: dict[str, Node], versions: dict[str, list[Version]]) -> None:
    """Mark the versions brought by lov 2594/2021 and lov 2595/2021 (see docstring)."""
    for target, amended_on, by in EXCLUDED_TARGETS:
        exclusion = {**EXCLUSION, "by": by}
        split_at: dt.date | None = None
        split_label = ""
        previous: str | None = None
        for c, start in zip(cons, starts, strict=True):
            node = c.nodes.get(target)
            text = strip_footnotes(node.text) if node else None
            if c.issued > amended_on and text is not None and text != previous:
                split_at, split_label = start, c.label
                break
            previous = text
        if split_at is None:
            raise ValueError(f"dagtilbudsloven {target}: no new text after {amended_on}")
        for ref in subtree(target, merged):
            new: list[Version] = []
            for v in versions[ref]:
                if v.start < split_at and (v.end is None or v.end > split_at):
                    new.append(Version(v.start, split_at, v.enacted_by, split_label))
                    new.append(Version(split_at, v.end, split_label, v.ended_by,
                                       [dict(exclusion)]))
                elif v.start >= split_at:
                    v.exclusions = [dict(exclusion)]
                    new.append(v)
                else:
                    new.append(v)
            versions[ref] = new


def version_records(vs: list[Version], first_capture: dt.date | None = None
                    ) -> list[dict[str, Any]]:
    """Each version as the register learnt it, one record per change of knowledge.

    - A version present in the act's earliest capture is open at the start (``from: null``):
      the capture date is when we first see it, not when it came into force.
    - Its end is recorded when the consolidation without it (or the repealing act) appeared.
    - An exclusion is recorded from the day the act that made it was enacted (lov 2594 and
      2595 of 28/12/2021), citing that act's clause; from 23/04/2024 citing the clause as lov
      410/2024 rewrote it. Before 28/12/2021 the register did not know it.
    """
    out: list[dict[str, Any]] = []
    for v in vs:
        start = None if first_capture is not None and v.start == first_capture else v.start
        events = {v.start}
        if v.end is not None:
            events.add(v.end)
        history = [h for e in v.exclusions for h in EXCLUSION_HISTORY[e["by"]]]
        events |= {max(known, v.start) for known, _ in history}
        for at in sorted(events):
            rec: dict[str, Any] = {"from": start,
                                   "to": v.end if v.end is not None and at >= v.end else None,
                                   "enacted_by": v.enacted_by, "recorded_at": at}
            excl = [{k: x for k, x in e.items() if k != "by"}
                    | {"basis": _basis_at(EXCLUSION_HISTORY[e["by"]], at)}
                    for e in v.exclusions if at >= EXCLUSION_HISTORY[e["by"]][0][0]]
            if excl:
                rec["exclusions"] = excl
            out.append(rec)
    return out


def _basis_at(history: list[tuple[dt.date, str]], at: dt.date) -> str:
    """The clause that made an exclusion, as the register knew it at ``at``."""
    return [basis for known, basis in history if known <= at][-1]


def build_named_bek(number: int, year: int, date: dt.date, title: str, refs: list[str],
                    named_in: str, area: str) -> dict[str, Any]:
    key = f"bek-{number}-{year}"
    label = f"BEK nr. {number} af {date:%d/%m/%Y}"
    end = NAMED_BEK_ENDS.get((number, year))
    version = Version(date, end[0] if end else None, label, end[1] if end else None)
    nodes: list[str] = []
    for ref in refs:
        parsed = parse_ref(ref)
        for depth in range(1, len(parsed.parts) + 1):
            r = str(Ref(parsed.parts[:depth]))
            if r not in nodes:
                nodes.append(r)
    nodes.sort(key=sort_key)
    eli = ELI.format(year=year, number=number)
    naming_bek = ELI.format(year=2021, number=892 if area == "dagtilbud" else 893)
    source = f"named in {named_in} ({naming_bek})"
    if end:
        source += f"; repealed from {end[0]:%Y-%m-%d} per {end[2]}"
    return {
        "key": key,
        "level": "state",
        "title": title,
        "short_title": f"BEK {number}/{year}",
        "areas": [area],
        "kinds": None,
        "partial": True,
        "eli": eli,
        "valid_from": date,
        "recorded_at": date,
        "source_url": eli,
        "source": source,
        "provisions": [{"ref": r, "versions": version_records([version])} for r in nodes],
    }


# --------------------------------------------------------------------------- output


class _FlowMap(dict):  # type: ignore[type-arg]
    """A mapping written on one line."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # no &id001 anchors for shared dates
        return True


def _flow_map(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(_FlowMap, _flow_map)


def dump_bundle(act: dict[str, Any]) -> str:
    act = dict(act)
    act["provisions"] = [_FlowMap(p) for p in act["provisions"]]
    doc = {"format": "frisat-bundle/1", "acts": [act]}
    header = (
        "# Generated by scripts/build_catalogue.py from the Retsinformation captures in\n"
        "# ../shared/reference/lawtexts. Do not edit by hand; re-run the script.\n"
        "# Version dates follow presence in consolidations (an approximation of in-force\n"
        "# dates; see the script's docstring).\n"
    )
    body = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=10_000)
    return header + body


def count(act: dict[str, Any]) -> tuple[int, int]:
    refs = [p["ref"] for p in act["provisions"]]
    parents = set()
    for p in act["provisions"]:
        if p.get("in"):
            parents.add(p["in"])
        parent = parse_ref(p["ref"]).parent
        if parent is not None and str(parent):
            parents.add(str(parent))
    return len(refs), sum(1 for r in refs if r not in parents)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lawtexts", type=Path, default=DEFAULT_LAWTEXTS)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="fail if the output would change")
    args = ap.parse_args(argv)
    if not args.lawtexts.is_dir():
        print(f"law texts not found: {args.lawtexts}", file=sys.stderr)
        return 1
    acts = [build_act(spec, args.lawtexts) for spec in ACTS]
    acts += [build_named_bek(*spec) for spec in NAMED_BEKS]
    args.out.mkdir(parents=True, exist_ok=True)
    changed = []
    for act in acts:
        path = args.out / f"{act['key']}.yaml"
        text = dump_bundle(act)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        changed.append(path.name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    for act in acts:
        nodes, leaves = count(act)
        print(f"{act['key']:32} nodes {nodes:5}  leaves {leaves:5}")
    if args.check and changed:
        print("would change: " + ", ".join(changed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
