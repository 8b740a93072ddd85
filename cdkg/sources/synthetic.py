"""A realistic synthetic registry, for benchmarks and property-based tests.

``generate(n, seed=..., out=...)`` writes ``n`` initiative descriptions as Turtle files
(``initiatives-00000.ttl`` … , ``chunk_size`` initiatives each). The output is a
deterministic function of ``(n, seed, chunk_size)``: chunks are generated independently
from their own seeded random streams, so they can be written in parallel.

What the registry looks like:

* actors are drawn from one shared pool with a long-tailed (Zipf-like) popularity, so a
  few big organisations take part in many initiatives and most in one or two; every
  file describes (types and names) each actor it mentions, so a file is valid alone;
* each initiative follows a scenario (citizen-led, jointly initiated, statistics-office
  led, other-actor led) and records 0–10 engagements over every stage and level, so
  all six initiative types of the taxonomy occur;
* SDG links to goals, targets and indicators; datasets with and without a licence;
  CSOs that do not engage citizens directly; actors typed by a subclass declared in
  the data itself;
* the principles an initiative states it upholds (none to all ten), the population
  groups it covers (none to two) and, for some, its integration status with
  official statistics (drawn from a random stream of their own, so adding them left
  every other draw as it was);
* a few percent of descriptions carry one structural error (see :data:`ERROR_KINDS`),
  recorded in the returned :class:`Manifest`;
* the cases Contract 3 (revision 2) leaves to be assessed and the assessments that settle
  them, drawn from a random stream of their own (so every other draw is as it was):
  initiatives whose only citizen-side initiator is a civil society organisation that does
  not engage citizens directly (row 8), a few with an initiator of no known actor class
  (row 9, also a structural error, :data:`UNKNOWN_INITIATOR`), engagements whose engaged
  actor is a non-citizen actor (they count for nothing, so some initiatives record no
  citizen engagement: row 7), and recorded assessments (:data:`ASSESSMENT_KINDS`) that
  settle a to-be-assessed case, agree with the rules or, for a few, contradict them.

Terms come from the shipped ontology and vocabularies (``cdkg.model.ontology``), never from
lists in this module.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from cdkg.errors import InputError
from cdkg.model.namespaces import CDKG, SDGO, STAGE, VOCAB_BASE

#: Where generated resources live.
BASE = "https://registry.example.org/"
#: A class declared in the generated data (subclass of a citizen-actor class).
LOCAL_ACTOR_CLASS = f"{BASE}def/NeighbourhoodAssociation"

#: Structural errors injected into a few percent of the descriptions.
ERROR_KINDS = (
    "missing-title",
    "no-initiator",
    "untyped-initiator",
    "engagement-without-stage",
    "engagement-two-levels",
    "unknown-stage",
    "unknown-sdg",
    "malformed-date",
)
#: Share of descriptions that carry one structural error.
ERROR_RATE = 0.03
#: The structural error of row 9: an initiator typed only as a generic actor, so of no
#: known actor class (recorded in :attr:`Manifest.errors` under this name).
UNKNOWN_INITIATOR = "unknown-initiator-class"
#: Share of descriptions (without another error) given an initiator of no known class.
UNKNOWN_INITIATOR_RATE = 0.015
#: Share of citizen-led and jointly initiated descriptions whose citizen-side initiators
#: are replaced by one civil society organisation that does not engage citizens directly.
DOUBTFUL_CSO_RATE = 0.05
#: Share of engagements whose engaged actor is a non-citizen actor.
NON_CITIZEN_ENGAGEMENT_RATE = 0.05
#: What a recorded assessment does, as :attr:`Manifest.assessments` names it: settles a
#: to-be-assessed case; two that disagree, so the case stays to be assessed; agrees with
#: the verdict the rules give; contradicts it (the rules stand, with a Warning).
ASSESSMENT_KINDS = ("settles", "disagree", "agrees", "contradicts")
#: Share of to-be-assessed descriptions given an assessment, and of those a second one
#: that disagrees with the first.
SETTLE_RATE = 0.2
DISAGREE_RATE = 0.1
#: Shares of descriptions the rules decide given an agreeing or a contradicting assessment.
AGREE_RATE = 0.03
CONTRADICT_RATE = 0.006
#: Registry keepers who record assessments.
KEEPERS = 4
_ASSESSMENT_REASONS = {
    True: (
        "Citizens helped design the data collection, as the initiative confirmed.",
        "Community members collect the data and decide how it is used.",
        "The member groups involve residents in setting the questions and collecting.",
    ),
    False: (
        "Citizens answer questionnaires only; they do not shape design or collection.",
        "The organisation reports figures from its members; citizens are not engaged directly.",
        "Citizens were informed of the results only.",
    ),
}

_COUNTRIES = [
    "KEN",
    "GHA",
    "NGA",
    "ZAF",
    "UGA",
    "TZA",
    "ETH",
    "SEN",
    "IND",
    "BGD",
    "NPL",
    "PHL",
    "IDN",
    "VNM",
    "BRA",
    "COL",
    "MEX",
    "PER",
    "ARG",
    "CHL",
    "DNK",
    "DEU",
    "FRA",
    "ITA",
    "ESP",
    "GBR",
    "IRL",
    "NLD",
    "BEL",
    "PRT",
    "POL",
    "CAN",
    "USA",
    "AUS",
    "NZL",
    "JPN",
    "KOR",
    "EGY",
    "MAR",
    "TUN",
]
_COUNTRY_BASE = "http://publications.europa.eu/resource/authority/country/"
_LICENCES = (
    "https://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/licenses/by-sa/4.0/",
    "https://creativecommons.org/publicdomain/zero/1.0/",
    "http://opendatacommons.org/licenses/odbl/1-0/",
)
_WORDS = [
    "community",
    "water",
    "quality",
    "monitoring",
    "network",
    "open",
    "street",
    "mapping",
    "women",
    "safety",
    "audit",
    "youth",
    "budget",
    "scorecard",
    "air",
    "noise",
    "flood",
    "river",
    "plastic",
    "litter",
    "coast",
    "forest",
    "bird",
    "radiation",
    "price",
    "survey",
    "health",
    "clinic",
    "school",
    "attendance",
    "disability",
    "access",
    "migrant",
    "housing",
    "settlement",
    "profiling",
    "land",
    "tenure",
    "agriculture",
    "harvest",
    "rainfall",
    "market",
    "transport",
    "road",
    "traffic",
    "accident",
    "violence",
    "reporting",
    "map",
    "sanitation",
    "waste",
    "energy",
    "solar",
    "fisheries",
    "biodiversity",
    "pollinator",
    "urban",
    "heat",
]
_ORG_WORDS = [
    "Forum",
    "Federation",
    "Alliance",
    "Collective",
    "Network",
    "Institute",
    "Office",
    "Agency",
    "Council",
    "Association",
    "Foundation",
    "Centre",
    "Cooperative",
    "Union",
    "Trust",
    "Observatory",
    "Lab",
    "Group",
]

# Scenario → (share, initiator groups)
_SCENARIOS: tuple[tuple[str, float], ...] = (
    ("citizen", 0.30),
    ("joint", 0.15),
    ("nso", 0.20),
    ("other", 0.35),
)


@dataclass(frozen=True)
class Vocabulary:
    """The terms the generator draws from, read from the shipped ontology."""

    citizen_classes: tuple[str, ...]
    state_classes: tuple[str, ...]
    other_classes: tuple[str, ...]
    nso_class: str
    cso_class: str
    levels: tuple[str, ...]
    stages: tuple[str, ...]
    sdg_goals: tuple[str, ...]
    sdg_targets: tuple[str, ...]
    sdg_indicators: tuple[str, ...]
    principles: tuple[str, ...]
    population_groups: tuple[str, ...]
    integration_statuses: tuple[str, ...]
    #: Stages where citizens' engagement can make data citizen data: design, the stages
    #: narrower than it, and collection (¶12).
    defining_stages: tuple[str, ...]
    #: Participation levels sufficient at those stages (rank 4 or more, ¶24).
    sufficient_levels: tuple[str, ...]


def _leaf_subclasses(graph: Graph, parent: URIRef) -> tuple[str, ...]:
    found = {
        s
        for s in graph.transitive_subjects(RDFS.subClassOf, parent)
        if isinstance(s, URIRef) and s != parent
    }
    leaves = {c for c in found if not any(True for _ in graph.subjects(RDFS.subClassOf, c))}
    return tuple(sorted(str(c) for c in (leaves or found)))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Read the actor classes, levels, stages and SDG codes from the shipped ontology."""
    from cdkg.model.ontology import ontology_graph

    g = ontology_graph()

    def concepts(scheme: str) -> tuple[str, ...]:
        prefix = f"{VOCAB_BASE}{scheme}/"
        return tuple(
            sorted(
                {
                    str(s)
                    for s in g.subjects(RDF.type, SKOS.Concept)
                    if isinstance(s, URIRef) and str(s).startswith(prefix)
                }
                | {
                    str(s)
                    for s, _, _ in g.triples((None, SKOS.inScheme, None))
                    if isinstance(s, URIRef) and str(s).startswith(prefix)
                }
            )
        )

    def instances(cls: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(s) for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef)))

    vocab = Vocabulary(
        citizen_classes=_leaf_subclasses(g, CDKG.CitizenActor),
        state_classes=_leaf_subclasses(g, CDKG.StateActor),
        other_classes=_leaf_subclasses(g, CDKG.OtherActor),
        nso_class=str(CDKG.NationalStatisticalOffice),
        cso_class=str(CDKG.CivilSocietyOrganisation),
        levels=concepts("participation-level"),
        stages=concepts("stage"),
        sdg_goals=instances(SDGO.Goal),
        sdg_targets=instances(SDGO.Target),
        sdg_indicators=instances(SDGO.Indicator),
        principles=concepts("principle"),
        population_groups=concepts("population-group"),
        integration_statuses=concepts("integration-status"),
        defining_stages=tuple(
            sorted(
                {str(STAGE.collection)}
                | {str(s) for s in g.transitive_subjects(SKOS.broader, STAGE.design)}
            )
        ),
        sufficient_levels=tuple(
            sorted(
                str(s)
                for s, rank in g.subject_objects(CDKG.rank)
                if isinstance(rank, Literal) and int(rank) >= 4
            )
        ),
    )
    missing = [name for name, value in asdict(vocab).items() if not value]
    if missing:
        raise InputError.single(
            "ontology/",
            f"the shipped ontology lacks terms the generator needs: {', '.join(missing)}",
            hint="reinstall cdkg or check ontology/ and ontology/vocab/",
        )
    return vocab


@dataclass
class Manifest:
    """What was generated: counts, files, and the descriptions given structural errors."""

    initiatives: int
    seed: int
    chunk_size: int
    actors: int
    files: list[str] = field(default_factory=list)
    triples: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)
    #: Initiatives with recorded assessments, by what they do (:data:`ASSESSMENT_KINDS`).
    assessments: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @property
    def erroneous(self) -> set[str]:
        return {iri for iris in self.errors.values() for iri in iris}


# --------------------------------------------------------------------------- actor pool


@dataclass(frozen=True, eq=False)
class _Actor:
    iri: str
    cls: str
    name: str
    engages_directly: bool | None  # only for CSOs
    citizen: bool


@dataclass(frozen=True)
class _Pool:
    citizen: tuple[_Actor, ...]
    state: tuple[_Actor, ...]
    nso: tuple[_Actor, ...]
    other: tuple[_Actor, ...]
    #: Civil society organisations that do not engage citizens directly (¶30).
    doubtful: tuple[_Actor, ...]
    cum: dict[str, tuple[float, ...]]


def _zipf_cum(n: int, s: float = 1.07) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1.0 / (r + 1) ** s for r in range(n)))


def _pick(rng: random.Random, actors: Sequence[_Actor], cum: Sequence[float]) -> _Actor:
    return actors[bisect.bisect_right(cum, rng.random() * cum[-1])]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS).title()} {rng.choice(_WORDS).title()} {rng.choice(_ORG_WORDS)}"


def _build_pool(n: int, seed: int, vocab: Vocabulary) -> _Pool:
    rng = random.Random(f"cdkg-bench/{seed}/actors")
    size = max(24, n // 2)
    groups: dict[str, list[_Actor]] = {"citizen": [], "state": [], "nso": [], "other": []}
    shares = (("citizen", 0.45), ("state", 0.15), ("nso", 0.05), ("other", 0.35))
    state_classes = [c for c in vocab.state_classes if c != vocab.nso_class] or [vocab.nso_class]
    for i in range(size):
        group = rng.choices([g for g, _ in shares], [w for _, w in shares])[0]
        if group == "citizen":
            cls = rng.choice(vocab.citizen_classes)
            if rng.random() < 0.05:
                cls = LOCAL_ACTOR_CLASS
        elif group == "state":
            cls = rng.choice(state_classes)
        elif group == "nso":
            cls = vocab.nso_class
        else:
            cls = rng.choice(vocab.other_classes)
        engages = (rng.random() >= 0.1) if cls == vocab.cso_class else None
        groups[group].append(
            _Actor(f"{BASE}actor/a{i:07d}", cls, _name(rng), engages, group == "citizen")
        )
    fallback = {
        "citizen": vocab.citizen_classes[0],
        "state": state_classes[0],
        "nso": vocab.nso_class,
        "other": vocab.other_classes[0],
    }
    for group, members in groups.items():  # every group non-empty, whatever the draw
        if not members:
            iri = f"{BASE}actor/a{size:07d}"
            members.append(_Actor(iri, fallback[group], _name(rng), None, group == "citizen"))
            size += 1
    # drawn from a stream of their own, so the pool above is as it was without them
    extra = random.Random(f"cdkg-bench/{seed}/actors/doubtful")
    doubtful = tuple(
        _Actor(f"{BASE}actor/d{i:07d}", vocab.cso_class, _name(extra), False, True)
        for i in range(max(3, size // 50))
    )
    cum = {k: _zipf_cum(len(v)) for k, v in groups.items()}
    cum["doubtful"] = _zipf_cum(len(doubtful))
    return _Pool(
        citizen=tuple(groups["citizen"]),
        state=tuple(groups["state"]),
        nso=tuple(groups["nso"]),
        other=tuple(groups["other"]),
        doubtful=doubtful,
        cum=cum,
    )


def _rules_verdict(
    initiators: Sequence[_Actor],
    engagements: Sequence[tuple[str, str, _Actor]],
    unknown: bool,
    vocab: Vocabulary,
) -> bool | None:
    """The verdict Contract 3 (revision 2) gives before any assessment, None to be assessed.

    Only for descriptions without a structural error other than an unknown initiator;
    ``engagements`` are (stage, level, engaged actor).
    """
    if unknown:
        return None  # row 9
    sufficient = any(
        actor.citizen and stage in vocab.defining_stages and level in vocab.sufficient_levels
        for stage, level, actor in engagements
    )
    citizens = [a for a in initiators if a.citizen]
    if citizens:
        if any(not _is_doubtful(a, vocab) for a in citizens):
            return True  # rows 1-3
        return True if sufficient else None  # row 8' or row 8
    if not any(actor.citizen for _stage, _level, actor in engagements):
        return None  # row 7
    return sufficient  # rows 4-5 or row 6


def _is_doubtful(actor: _Actor, vocab: Vocabulary) -> bool:
    return actor.cls == vocab.cso_class and actor.engages_directly is False


# --------------------------------------------------------------------------- writing

_PREFIXES = f"""\
@prefix cdkg: <{CDKG}> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix rdfs: <{RDFS}> .
@prefix owl: <{OWL}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""


class _Statement:
    """The Turtle of one subject: ``<s> a T ; p o, o ; … .`` and how many triples it holds."""

    __slots__ = ("count", "parts")

    def __init__(self, subject: str, rdf_type: str) -> None:
        self.parts = [f"<{subject}> a {rdf_type}"]
        self.count = 1

    def add(self, predicate: str, obj: str) -> None:
        self.parts.append(f"{predicate} {obj}")
        self.count += 1

    def add_iris(self, predicate: str, iris: Sequence[str]) -> None:
        if iris:
            self.parts.append(predicate + " " + ", ".join(f"<{i}>" for i in iris))
            self.count += len(iris)

    def text(self) -> str:
        return " ;\n    ".join(self.parts) + " .\n"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _non_citizen(rng: random.Random, around: Sequence[_Actor], pool: _Pool) -> _Actor:
    """A non-citizen actor to name as engaged: one of ``around`` if any, else a state actor."""
    known = [a for a in around if not a.citizen]
    return rng.choice(known) if known else _pick(rng, pool.state, pool.cum["state"])


def _assessment_outcomes(rng: random.Random, decided: bool | None) -> tuple[list[bool], str]:
    """The outcomes of the assessments recorded for one initiative and what they do."""
    draw = rng.random()
    if decided is None:
        if draw >= SETTLE_RATE:
            return [], ""
        outcome = rng.random() < 0.5
        if rng.random() < DISAGREE_RATE:
            return [outcome, not outcome], "disagree"
        return [outcome], "settles"
    if draw < AGREE_RATE:
        return [decided], "agrees"
    if draw < AGREE_RATE + CONTRADICT_RATE:
        return [not decided], "contradicts"
    return [], ""


def _assessment(rng: random.Random, iri: str, outcome: bool) -> tuple[_Statement, int]:
    """A recorded assessment and the number of the keeper who made it."""
    keeper = rng.randrange(KEEPERS) + 1
    q = _Statement(iri, "cdkg:Assessment")
    q.add("cdkg:outcome", "true" if outcome else "false")
    q.add_iris("prov:wasAttributedTo", [f"{BASE}agent/keeper-{keeper}"])
    y, m, d = rng.randint(2024, 2026), rng.randint(1, 12), rng.randint(1, 28)
    q.add("dct:date", f'"{y}-{m:02d}-{d:02d}"^^xsd:date')
    q.add("dct:description", f"{_lit(rng.choice(_ASSESSMENT_REASONS[outcome]))}@en")
    return q, keeper


def _chunk(
    index: int, first: int, count: int, seed: int, pool: _Pool, vocab: Vocabulary
) -> tuple[str, int, dict[str, list[str]], dict[str, list[str]]]:
    """Turtle text of one chunk, its triple count, the errors injected and the assessments."""
    rng = random.Random(f"cdkg-bench/{seed}/chunk/{index}")
    # what an initiative states of itself beyond its actors, engagements, SDGs and data
    profile = random.Random(f"cdkg-bench/{seed}/chunk/{index}/profile")
    # the cases revision 2 of Contract 3 adds: doubtful CSOs, initiators of no known class,
    # engagements of non-citizen actors, recorded assessments
    revision = random.Random(f"cdkg-bench/{seed}/chunk/{index}/revision-2")
    lines: list[str] = []
    triples = 0
    errors: dict[str, list[str]] = {}
    assessments: dict[str, list[str]] = {}
    keepers: set[int] = set()
    mentioned: dict[str, _Actor] = {}
    sdg_all = (vocab.sdg_goals, vocab.sdg_targets, vocab.sdg_indicators)
    scenario_names = [s for s, _ in _SCENARIOS]
    scenario_weights = [w for _, w in _SCENARIOS]

    for k in range(first, first + count):
        iri = f"{BASE}initiative/i{k:07d}"
        error = rng.choice(ERROR_KINDS) if rng.random() < ERROR_RATE else None
        if error:
            errors.setdefault(error, []).append(iri)
        scenario = rng.choices(scenario_names, scenario_weights)[0]
        initiators: list[_Actor] = []
        if scenario in ("citizen", "joint"):
            initiators.append(_pick(rng, pool.citizen, pool.cum["citizen"]))
            if rng.random() < 0.25:
                initiators.append(_pick(rng, pool.citizen, pool.cum["citizen"]))
        if scenario in ("joint", "nso") or (scenario == "other" and rng.random() < 0.05):
            initiators.append(_pick(rng, pool.nso, pool.cum["nso"]))
        if scenario == "joint" and rng.random() < 0.5:
            initiators.append(_pick(rng, pool.other, pool.cum["other"]))
        if scenario == "other":
            group = "state" if rng.random() < 0.4 else "other"
            initiators.append(_pick(rng, getattr(pool, group), pool.cum[group]))
        initiators = list(dict.fromkeys(initiators))
        collaborators: list[_Actor] = []
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            group = rng.choice(("citizen", "state", "other", "nso"))
            collaborators.append(_pick(rng, getattr(pool, group), pool.cum[group]))
        collaborators = [c for c in dict.fromkeys(collaborators) if c not in initiators]
        # revision 2: an initiator of no known class (row 9), or one CSO that does not
        # engage citizens directly in place of the citizen-side initiators (row 8)
        kind = revision.random()
        unknown = error is None and kind < UNKNOWN_INITIATOR_RATE
        replaced: dict[_Actor, _Actor] = {}
        if (
            scenario in ("citizen", "joint")
            and UNKNOWN_INITIATOR_RATE <= kind < UNKNOWN_INITIATOR_RATE + DOUBTFUL_CSO_RATE
        ):
            cso = _pick(revision, pool.doubtful, pool.cum["doubtful"])
            replaced = {a: cso for a in initiators if a.citizen}
        written = list(dict.fromkeys(replaced.get(a, a) for a in initiators))

        p = _Statement(iri, "cdkg:Initiative")
        if error != "missing-title":
            p.add("dct:title", f"{_lit(_title(rng))}@en")
        p.add("dct:description", f"{_lit(_description(rng))}@en")
        initiator_iris = [a.iri for a in written]
        if error == "untyped-initiator":
            initiator_iris.append(f"{BASE}actor/untyped-{k:07d}")
        if unknown:
            stranger = _Actor(
                f"{BASE}actor/unspecified-{k:07d}", str(CDKG.Actor), _name(revision), None, False
            )
            initiator_iris.append(stranger.iri)
            mentioned[stranger.iri] = stranger
            errors.setdefault(UNKNOWN_INITIATOR, []).append(iri)
        if error != "no-initiator":
            p.add_iris("cdkg:initiatedBy", initiator_iris)
        p.add_iris("cdkg:collaborator", [a.iri for a in collaborators])
        engaged_pool = [a for a in initiators + collaborators if a.citizen] or [
            _pick(rng, pool.citizen, pool.cum["citizen"])
        ]
        n_eng = min(10, int(rng.expovariate(1 / 2.6)))
        if error in ("engagement-without-stage", "engagement-two-levels", "unknown-stage"):
            n_eng = max(n_eng, 1)
        eng_iris = [f"{iri}#engagement-{j + 1}" for j in range(n_eng)]
        p.add_iris("cdkg:hasEngagement", eng_iris)
        sdgs = {rng.choice(rng.choice(sdg_all)) for _ in range(rng.choice((0, 1, 1, 2, 3, 4)))}
        if error == "unknown-sdg":
            sdgs.add("http://metadata.un.org/sdg/99.9")
        p.add_iris("cdkg:addressesSdg", sorted(sdgs))
        p.add_iris("dct:spatial", [f"{_COUNTRY_BASE}{rng.choice(_COUNTRIES)}"])
        if error == "malformed-date":
            p.add("prov:startedAtTime", '"spring 2021"')
        elif rng.random() < 0.9:
            y, m, d = rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28)
            p.add("prov:startedAtTime", f'"{y}-{m:02d}-{d:02d}T00:00:00Z"^^xsd:dateTime')
        datasets = [f"{BASE}dataset/i{k:07d}-{j + 1}" for j in range(rng.choice((0, 1, 1, 2, 3)))]
        p.add_iris("prov:generated", datasets)
        k = profile.choice((0, 0, 0, 1, 2, 3, 4, 10))
        p.add_iris("cdkg:principle", sorted(profile.sample(vocab.principles, k)))
        k = profile.choice((0, 0, 1, 1, 2))
        p.add_iris("cdkg:populationGroup", sorted(profile.sample(vocab.population_groups, k)))
        if profile.random() < 0.35:
            p.add_iris("cdkg:integrationStatus", [profile.choice(vocab.integration_statuses)])
        statements = [p]

        recorded: list[tuple[str, str, _Actor]] = []
        for j, e in enumerate(eng_iris):
            stage = rng.choice(vocab.stages)
            level = rng.choice(vocab.levels)
            q = _Statement(e, "cdkg:Engagement")
            if j == 0 and error == "unknown-stage":
                q.add_iris("cdkg:stage", [f"{VOCAB_BASE}stage/planning"])
            elif not (j == 0 and error == "engagement-without-stage"):
                q.add_iris("cdkg:stage", [stage])
            if j == 0 and error == "engagement-two-levels":
                other = vocab.levels[(vocab.levels.index(level) + 1) % len(vocab.levels)]
                q.add_iris("cdkg:participationLevel", [level, other])
            else:
                q.add_iris("cdkg:participationLevel", [level])
            actor = rng.choice(engaged_pool)
            actor = replaced.get(actor, actor)
            if revision.random() < NON_CITIZEN_ENGAGEMENT_RATE:
                actor = _non_citizen(revision, written + collaborators, pool)
            mentioned[actor.iri] = actor
            q.add_iris("cdkg:engagedActor", [actor.iri])
            statements.append(q)
            recorded.append((stage, level, actor))
        if error is None:
            decided = _rules_verdict(written, recorded, unknown, vocab)
            outcomes, what = _assessment_outcomes(revision, decided)
            if outcomes:
                assessments.setdefault(what, []).append(iri)
                assessed = [f"{iri}#assessment-{j + 1}" for j in range(len(outcomes))]
                p.add_iris("cdkg:assessment", assessed)
                for a_iri, outcome in zip(assessed, outcomes, strict=True):
                    q, keeper = _assessment(revision, a_iri, outcome)
                    keepers.add(keeper)
                    statements.append(q)
        for dataset in datasets:
            q = _Statement(dataset, "dcat:Dataset")
            q.add("dct:title", f"{_lit('Data of ' + _title(rng))}@en")
            if rng.random() < 0.7:
                q.add_iris("dct:license", [rng.choice(_LICENCES)])
            statements.append(q)
        for a in written + collaborators:
            mentioned[a.iri] = a
        for st in statements:
            lines.append(st.text())
            triples += st.count

    local_class_used = False
    for a in sorted(mentioned.values(), key=lambda x: x.iri):
        q = _Statement(a.iri, f"<{a.cls}>")
        q.add("rdfs:label", _lit(a.name))
        if a.engages_directly is not None:
            q.add("cdkg:directlyEngagesCitizens", "true" if a.engages_directly else "false")
        local_class_used = local_class_used or a.cls == LOCAL_ACTOR_CLASS
        lines.append(q.text())
        triples += q.count
    for keeper in sorted(keepers):
        q = _Statement(f"{BASE}agent/keeper-{keeper}", "prov:Agent")
        q.add("rdfs:label", _lit(f"Registry keeper {keeper}"))
        lines.append(q.text())
        triples += q.count
    header = _PREFIXES
    if local_class_used:
        community = str(CDKG.Community)
        parent = community if community in vocab.citizen_classes else vocab.citizen_classes[0]
        header += (
            f"<{LOCAL_ACTOR_CLASS}> a owl:Class ;\n    rdfs:subClassOf <{parent}> ;\n"
            f'    rdfs:label "Neighbourhood association"@en .\n\n'
        )
        triples += 3
    return header + "".join(lines), triples, errors, assessments


def _title(rng: random.Random) -> str:
    words = rng.sample(_WORDS, 3)
    return " ".join(w.title() for w in words) + f" {rng.choice(('Project', 'Programme', 'Map'))}"


def _description(rng: random.Random) -> str:
    return "Citizens and partners working on " + ", ".join(rng.sample(_WORDS, 5)) + "."


def _write_chunk(
    job: tuple[int, int, int, int, int, str, Vocabulary],
) -> tuple[str, int, dict[str, list[str]], dict[str, list[str]]]:
    index, first, count, seed, n, out, vocab = job
    pool = _pool_cached(n, seed, vocab)
    text, triples, errors, assessments = _chunk(index, first, count, seed, pool, vocab)
    path = Path(out) / f"initiatives-{index:05d}.ttl"
    path.write_text(text, encoding="utf-8")
    return path.name, triples, errors, assessments


@lru_cache(maxsize=2)
def _pool_cached(n: int, seed: int, vocab: Vocabulary) -> _Pool:
    return _build_pool(n, seed, vocab)


def generate(
    n: int,
    *,
    out: Path,
    seed: int = 0,
    chunk_size: int = 1000,
    workers: int = 1,
    vocab: Vocabulary | None = None,
) -> Manifest:
    """Write a registry of ``n`` initiatives into the folder ``out`` and describe it."""
    if n < 1:
        raise InputError.single("--initiatives", f"must be at least 1, got {n}")
    if chunk_size < 1:
        raise InputError.single("--chunk-size", f"must be at least 1, got {chunk_size}")
    vocab = vocab or vocabulary()
    if out.exists() and not out.is_dir():
        raise InputError.single(str(out), "exists and is not a folder", hint="choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    stale = sorted(out.glob("initiatives-*.ttl"))
    if stale:
        raise InputError.single(
            str(out),
            f"already holds {len(stale)} generated files",
            hint="give an empty or new folder as --out",
        )
    jobs = [
        (i, first, min(chunk_size, n - first), seed, n, str(out), vocab)
        for i, first in enumerate(range(0, n, chunk_size))
    ]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as ex:
            results = list(ex.map(_write_chunk, jobs, chunksize=max(1, len(jobs) // (4 * workers))))
    else:
        results = [_write_chunk(j) for j in jobs]
    pool = _pool_cached(n, seed, vocab)
    manifest = Manifest(
        initiatives=n,
        seed=seed,
        chunk_size=chunk_size,
        actors=len(pool.citizen)
        + len(pool.state)
        + len(pool.nso)
        + len(pool.other)
        + len(pool.doubtful),
    )
    for name, triples, errors, assessments in results:
        manifest.files.append(name)
        manifest.triples += triples
        for kind, iris in errors.items():
            manifest.errors.setdefault(kind, []).extend(iris)
        for kind, iris in assessments.items():
            manifest.assessments.setdefault(kind, []).extend(iris)
    return manifest
