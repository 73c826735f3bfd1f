"""Shape and consistency checks for the reference lexicon in ``kg/lexicon/data``.

countries.tsv (generated), state_forms.tsv, actors.tsv, locations.tsv, roles.tsv and institutions.tsv: every file
parses with its header, ids are unique, kinds and role ids are known, every reference points at an existing state or
actor, no lemma points two ways, and countries.tsv is exactly what ``scripts/build_countries.py`` makes.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "kg" / "lexicon" / "data"
BUILD_SCRIPT = ROOT / "scripts" / "build_countries.py"
SHARED_CSV = ROOT / ".." / "shared" / "data" / "reference" / "countries.csv"

HEADERS = {
    "countries.tsv": ["id", "iso2", "iso3", "wikidata", "label_en", "label_uk", "aliases_uk", "label_ru",
                      "aliases_ru", "aliases_en"],
    "state_forms.tsv": ["iso3", "form", "lemma"],
    "actors.tsv": ["id", "kind", "label_uk", "label_en", "wikidata", "country", "aliases_uk", "aliases_en", "roles"],
    "locations.tsv": ["id", "label_uk", "label_en", "wikidata", "country", "aliases_uk", "metonym_for"],
    "roles.tsv": ["lemma", "role"],
    "institutions.tsv": ["lemma", "kind"],
    "org_forms.tsv": ["lemma", "kind", "owner"],
}
ACTOR_KINDS = frozenset({"Person", "GovernmentBody", "ArmedForces", "IntelligenceAgency", "MediaOutlet",
                         "InternationalOrganization", "ArmedGroup", "Organization", "WeaponSystem"})
INSTITUTION_KINDS = frozenset({"State", "GovernmentBody", "ArmedForces", "IntelligenceAgency", "Person"})
FORMS = frozenset({"demonym", "adjective", "metonym", "alias"})
ROLES = frozenset({"head_of_state", "head_of_government", "leader", "foreign_minister", "defence_minister",
                   "minister", "commander", "spokesperson", "ambassador", "head"})
WIKIDATA = re.compile(r"^(Q[1-9][0-9]*)?$")
ENTITY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BAD_APOSTROPHES = ("\u2019", "\u02bc")
# states the lexicon must know by demonym and adjective: the G20 states and the post-Soviet states
G20 = "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA".split()
POST_SOVIET = "ARM AZE BLR EST GEO KAZ KGZ LVA LTU MDA RUS TJK TKM UKR UZB".split()


def read_tsv(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return list(reader.fieldnames or []), list(reader)


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[dict[str, str], ...]:
    return tuple(read_tsv(name)[1])


def split_list(value: str) -> list[str]:
    return [v for v in value.split("|") if v]


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    return frozenset(row["iso3"] for row in rows("countries.tsv"))


@lru_cache(maxsize=1)
def actor_kinds() -> dict[str, str]:
    return {row["id"]: row["kind"] for row in rows("actors.tsv")}


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_countries", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- every file -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, header", sorted(HEADERS.items()))
def test_lexicon_data_file_parses_with_header(name, header):
    found, body = read_tsv(name)
    assert found == header
    assert body, f"{name} has no rows"
    for number, row in enumerate(body, start=2):
        assert None not in row and None not in row.values(), f"{name}:{number}: wrong number of columns"
        assert all(v == v.strip() for v in row.values()), f"{name}:{number}: stray whitespace"


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_lexicon_data_uses_plain_apostrophe(name):
    text = (DATA / name).read_text(encoding="utf-8")
    bad = [line for line in text.splitlines() if any(ch in line for ch in BAD_APOSTROPHES)]
    assert not bad, f"{name}: typographic apostrophes in {bad[:3]}"


@pytest.mark.parametrize("name, column", [("countries.tsv", "wikidata"), ("actors.tsv", "wikidata"),
                                          ("locations.tsv", "wikidata")])
def test_lexicon_data_wikidata_ids_are_well_formed(name, column):
    bad = [row[column] for row in rows(name) if not WIKIDATA.match(row[column])]
    assert not bad


@pytest.mark.parametrize("name", ["countries.tsv", "actors.tsv", "locations.tsv"])
def test_lexicon_data_ids_are_kebab_ascii(name):
    bad = [row["id"] for row in rows(name) if not ENTITY_ID.match(row["id"])]
    assert not bad


@pytest.mark.parametrize("names", [("countries.tsv", "actors.tsv", "locations.tsv")])
def test_lexicon_data_ids_are_unique_across_files(names):
    seen: dict[str, str] = {}
    clashes = []
    for name in names:
        for row in rows(name):
            if row["id"] in seen:
                clashes.append((row["id"], seen[row["id"]], name))
            seen[row["id"]] = name
    assert not clashes


@pytest.mark.parametrize("name", ["actors.tsv", "locations.tsv"])
def test_lexicon_data_wikidata_ids_are_not_shared(name):
    owners = defaultdict(list)
    for row in [*rows("countries.tsv"), *rows(name)]:
        if row["wikidata"]:
            owners[row["wikidata"]].append(row["id"])
    assert not {qid: ids for qid, ids in owners.items() if len(ids) > 1}


# --- references between files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name, column, allowed_extra", [
    ("state_forms.tsv", "iso3", set()),
    ("actors.tsv", "country", {"IGO"}),
    ("locations.tsv", "country", {""}),
])
def test_lexicon_data_country_refers_to_known_state(name, column, allowed_extra):
    known = iso3_codes() | allowed_extra
    bad = [(row.get("id") or row.get("lemma"), row[column]) for row in rows(name)
           if row[column] not in known and not (name == "actors.tsv" and row[column] == ""
                                                and row["kind"] == "ArmedGroup")]
    assert not bad


@pytest.mark.parametrize("name", ["actors.tsv"])
def test_lexicon_data_roles_refer_to_role_and_state_or_organization(name):
    organizations = {i for i, kind in actor_kinds().items() if kind not in {"Person", "WeaponSystem"}}
    bad = []
    for row in rows(name):
        for item in split_list(row["roles"]):
            role, at, where = item.partition("@")
            if role not in ROLES or not at or (where not in iso3_codes() and where not in organizations):
                bad.append((row["id"], item))
    assert not bad


@pytest.mark.parametrize("name", ["actors.tsv"])
def test_lexicon_data_only_persons_hold_roles(name):
    assert not [row["id"] for row in rows(name) if row["roles"] and row["kind"] != "Person"]


@pytest.mark.parametrize("name", ["locations.tsv"])
def test_lexicon_data_metonym_for_refers_to_state_or_actor(name):
    bad = [(row["id"], row["metonym_for"]) for row in rows(name)
           if row["metonym_for"] and row["metonym_for"] not in iso3_codes()
           and row["metonym_for"] not in actor_kinds()]
    assert not bad


@pytest.mark.parametrize("name", ["state_forms.tsv"])
def test_lexicon_data_state_forms_name_states_with_ukrainian_label(name):
    labelled = {row["iso3"] for row in rows("countries.tsv") if row["label_uk"]}
    assert not [row for row in rows(name) if row["iso3"] not in labelled]


# --- kinds and values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, column, allowed", [
    ("actors.tsv", "kind", ACTOR_KINDS),
    ("institutions.tsv", "kind", INSTITUTION_KINDS),
    ("state_forms.tsv", "form", FORMS),
    ("roles.tsv", "role", ROLES),
    ("org_forms.tsv", "kind", frozenset({"", "Organization", "GovernmentBody"})),
    ("org_forms.tsv", "owner", frozenset({"", "state", "private"})),
])
def test_lexicon_data_values_are_known(name, column, allowed):
    assert not {row[column] for row in rows(name)} - allowed


@pytest.mark.parametrize("name", ["actors.tsv", "locations.tsv"])
def test_lexicon_data_rows_have_both_labels(name):
    assert not [row["id"] for row in rows(name) if not row["label_uk"] or not row["label_en"]]


@pytest.mark.parametrize("name, key, target", [
    ("state_forms.tsv", "lemma", "iso3"),
    ("roles.tsv", "lemma", "role"),
    ("institutions.tsv", "lemma", "kind"),
    ("org_forms.tsv", "lemma", "kind"),
])
def test_lexicon_data_lemmas_do_not_conflict(name, key, target):
    targets = defaultdict(set)
    for row in rows(name):
        targets[row[key].lower()].add(row[target])
    assert not {lemma: found for lemma, found in targets.items() if len(found) > 1}


@pytest.mark.parametrize("name, key", [("state_forms.tsv", "lemma"), ("roles.tsv", "lemma"),
                                       ("institutions.tsv", "lemma"), ("org_forms.tsv", "lemma")])
def test_lexicon_data_rows_are_not_repeated(name, key):
    keys = [tuple(row.values()) for row in rows(name)]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("form, ending", [("adjective", ("ий", "ій")), ("demonym", None)])
def test_lexicon_data_demonyms_and_adjectives_are_lower_case_nominative(form, ending):
    lemmas = [row["lemma"] for row in rows("state_forms.tsv") if row["form"] == form]
    assert lemmas
    assert all(lemma == lemma.lower() for lemma in lemmas)
    if ending:
        assert not [lemma for lemma in lemmas if not lemma.endswith(ending)]


@pytest.mark.parametrize("name", ["roles.tsv"])
def test_lexicon_data_role_phrases_start_lower_case(name):
    # a capitalized first word would only match capitalized text (see kg.lexicon.Phrase.cased)
    assert not [row["lemma"] for row in rows(name) if not row["lemma"][:1].islower()]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_lexicon_data_every_role_is_named_and_documented(role):
    assert any(row["role"] == role for row in rows("roles.tsv"))
    assert f"`{role}`" in (DATA / "README.md").read_text(encoding="utf-8")


# --- coverage ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("iso3", sorted(set(G20 + POST_SOVIET)))
def test_lexicon_data_main_states_have_adjective(iso3):
    forms = {row["form"] for row in rows("state_forms.tsv") if row["iso3"] == iso3}
    assert "adjective" in forms


@pytest.mark.parametrize("name, minimum", [("state_forms.tsv", 120), ("actors.tsv", 250)])
def test_lexicon_data_is_large_enough(name, minimum):
    key = "iso3" if name == "state_forms.tsv" else "id"
    assert len({row[key] for row in rows(name)}) >= minimum


@pytest.mark.parametrize("iso3, capital", [("RUS", "moscow"), ("USA", "washington"), ("CHN", "beijing"),
                                           ("PRK", "pyongyang"), ("UKR", "kyiv"), ("JPN", "tokyo")])
def test_lexicon_data_capitals_stand_for_their_state(iso3, capital):
    row = next(r for r in rows("locations.tsv") if r["id"] == capital)
    assert row["metonym_for"] == iso3 and row["country"] == iso3


# --- countries.tsv is generated ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Кот-д’Ивуар", "Кот-д'Ивуар"),
    ("Ліва́нська  Респу́бліка", "Ліванська Республіка"),
    ('"Штати"', "Штати"),
    ("Norwegen\u200f", "Norwegen"),
])
def test_lexicon_data_build_cleans_text(text, expected):
    assert load_build_script().clean_text(text) == expected


@pytest.mark.parametrize("alias, kept", [("🇺🇦", False), ("ua", False), ("lke", False), ("Ꜵ", False),
                                         ("UA", True), ("США", True), ("КНДР", True), ("Holland", True)])
def test_lexicon_data_build_keeps_only_names(alias, kept):
    assert load_build_script().is_name(alias) is kept


@pytest.mark.parametrize("source, expected", [
    ('iso2,iso3,wikidata,name_en,label_uk,aliases_uk,label_ru,aliases_ru,aliases_en\n'
     'UA,UKR,Q212,Ukraine,Україна,Вкраїна|Україна,Украина,,UKR|🇺🇦|ua\n'
     'AX,ALA,Q5689,Åland,,,,,\n',
     "id\tiso2\tiso3\twikidata\tlabel_en\tlabel_uk\taliases_uk\tlabel_ru\taliases_ru\taliases_en\n"
     "ala\tAX\tALA\tQ5689\tÅland\t\t\t\t\t\n"
     "ukr\tUA\tUKR\tQ212\tUkraine\tУкраїна\tВкраїна\tУкраина\t\tUKR\n"),
])
def test_lexicon_data_build_sorts_and_cleans_rows(tmp_path, source, expected):
    path = tmp_path / "countries.csv"
    path.write_text(source, encoding="utf-8")
    assert load_build_script().build(path) == expected


@pytest.mark.parametrize("source, target", [(SHARED_CSV, DATA / "countries.tsv")])
def test_lexicon_data_build_reproduces_countries_tsv(source, target):
    if not source.is_file():
        pytest.skip(f"shared reference table not present: {source}")
    assert load_build_script().build(source) == target.read_text(encoding="utf-8")


def test_lexicon_data_every_cue_kind_is_documented():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", readme[readme.index("## cues.tsv"):]))
    assert {row["kind"] for row in rows("cues.tsv")} - documented == set()
