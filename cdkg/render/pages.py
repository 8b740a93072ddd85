"""Page contents: what each HTML page shows, built from RDF and rendered with Jinja2.

The same functions serve the live server and the static site; only the
:class:`~cdkg.render.paths.Linker` differs (relative ``.html`` links on disk, absolute
paths live).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import rdflib
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import BNode, Node

from cdkg import __version__
from cdkg.model.namespaces import CDKG, PREFIXES, VERDICT
from cdkg.model.ontology import ontology_graph
from cdkg.render.charts import Bar, ProfileRow, bar_chart_svg, participation_profile_svg
from cdkg.render.charts import profile_description as _profile_sentence
from cdkg.render.data import VERDICT_NAMES, Summary, first_literal
from cdkg.render.negotiation import REPRESENTATIONS
from cdkg.render.paths import Linker, external_href
from cdkg.render.serialize import jsonld, script_safe
from cdkg.render.words import (
    country_name,
    gsbpm_label,
    levels,
    local_name,
    sdg_goals,
    sdg_name,
    stages,
    vocab_label,
)

SITE_NAME = "Citizen Data Registry"
_FORMAT_LABELS = {"html": "HTML", "ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("cdkg.render", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def site_context(linker: Linker) -> dict[str, Any]:
    """Links of the site navigation (the check form and SPARQL exist only live)."""
    return {
        "name": SITE_NAME,
        "version": __version__,
        "home": linker.page(""),
        "dashboard": linker.page("dashboard"),
        "check": None if linker.static else linker.page("check"),
        "assess": None if linker.static else linker.page("assess"),
        "sparql": None if linker.static else linker.page("sparql"),
        "ontology": linker.page("ontology"),
        "downloads": linker.page("dumps/index"),
        "css": linker.asset("static/style.css"),
    }


def alternates(linker: Linker, path: str) -> list[dict[str, str]]:
    return [
        {
            "label": _FORMAT_LABELS[f.extension],
            "media_type": f.media_type,
            "href": linker.page(path, ext=f.extension),
        }
        for f in REPRESENTATIONS
    ]


# --------------------------------------------------------------------------- labels


class Namer:
    """Names for IRIs: the registry's names, then the vocabularies', then the IRI's tail."""

    def __init__(self, names: Mapping[str, str] | None = None) -> None:
        self.names = dict(names or {})

    def __call__(self, node: Node) -> str:
        if isinstance(node, Literal):
            return str(node)
        text = str(node)
        if isinstance(node, BNode):
            return "(unnamed node)"
        return self.names.get(text) or vocab_label(text) or _curie(text) or local_name(text)


@lru_cache(maxsize=1 << 16)
def _curie(iri: str) -> str | None:
    best: tuple[int, str] | None = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > best[0]):
            best = (len(ns), f"{prefix}:{iri[len(ns) :]}")
    return best[1] if best else None


def link(text: str, href: str | None) -> dict[str, str | None]:
    """An entry of a page: ``text``, a link when ``href`` is given. ``href`` is a
    :class:`~cdkg.render.paths.Linker`'s answer, or an IRI from the data passed through
    :func:`~cdkg.render.paths.external_href` (never a raw IRI: it may be ``javascript:``)."""
    return {"text": text, "href": href}


# --------------------------------------------------------------------------- verdicts


#: How a page marks each verdict: a sign beside the words and a class for the colour, so
#: the colour never carries the meaning alone. "To be assessed" is not a "no" (Table 2's
#: yellow columns, ¶30): it has its own sign and colour.
VERDICT_MARKS = {
    "citizen-data": ("✔", "yes"),
    "not-citizen-data": ("✘", "no"),
    "to-be-assessed": ("?", "open"),
}


def verdict_name(is_citizen_data: bool | None) -> str:
    """The verdict that ``cdkg:isCitizenData`` alone says (absent: to be assessed)."""
    if is_citizen_data is None:
        return "to-be-assessed"
    return "citizen-data" if is_citizen_data else "not-citizen-data"


def verdict_label(name: str) -> str:
    """The verdict's label in the shipped vocabulary ("Citizen data", "To be assessed")."""
    return vocab_label(str(VERDICT[name])) or name.replace("-", " ").capitalize()


@dataclass
class Verdict:
    """What a page says about one initiative's classification."""

    key: str
    #: The type's label, or None where no type is inferred yet (to be assessed).
    type_label: str | None
    type_number: int | None
    type_href: str | None
    #: True, False, or None while to be assessed.
    is_citizen_data: bool | None
    title: str | None = None
    reasons: list[str] = field(default_factory=list)
    findings: list[dict[str, str]] = field(default_factory=list)
    reasons_missing: str | None = None
    #: ``citizen-data``, ``not-citizen-data`` or ``to-be-assessed`` (by default what
    #: ``is_citizen_data`` says).
    verdict: str = ""
    #: What would decide a to-be-assessed verdict, one sentence each.
    missing: list[str] = field(default_factory=list)
    #: The recorded assessment: outcome, by (a link), date, why.
    assessment: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not self.verdict:
            self.verdict = verdict_name(self.is_citizen_data)

    @property
    def label(self) -> str:
        return verdict_label(self.verdict)

    @property
    def badge(self) -> str:
        return VERDICT_MARKS.get(self.verdict, ("?", "open"))[0]

    @property
    def css(self) -> str:
        return VERDICT_MARKS.get(self.verdict, ("?", "open"))[1]


def verdict_from(
    result: Any, linker: Linker, namer: Namer, key: str, with_title: bool = False
) -> Verdict:
    """A :class:`Verdict` from a classifier result (``cdkg.classify.verdicts.InitiativeResult``)."""
    kind = result.initiative_type
    return Verdict(
        key=key,
        type_label=namer(URIRef(kind)) if kind else None,
        type_number=result.type_number,
        type_href=linker.resource(kind) if kind else None,
        is_citizen_data=result.is_citizen_data,
        title=result.title if with_title else None,
        reasons=list(result.reasons),
        findings=[
            {
                "severity": f.severity_name,
                "message": f.message,
                "shape": local_name(f.source_shape),
            }
            for f in result.findings
        ],
        verdict=getattr(result, "verdict", "") or verdict_name(result.is_citizen_data),
        missing=[m.message for m in getattr(result, "missing", None) or ()],
        assessment=_assessment(getattr(result, "assessment", None), linker, namer),
    )


def _assessment(found: Any, linker: Linker, namer: Namer) -> dict[str, Any] | None:
    """A recorded assessment (``cdkg.classify.reasons.Assessment``) as the page shows it:
    its outcome, who made it, when and why (¶30)."""
    if found is None:
        return None
    agent = found.attributed_to
    outcome = None if found.outcome is None else verdict_label(verdict_name(found.outcome))
    return {
        "outcome": outcome.lower() if outcome else "no outcome recorded",
        "by": link(namer(agent), linker.resource(str(agent)) if isinstance(agent, URIRef) else None)
        if agent is not None
        else None,
        "date": found.date,
        "why": found.description,
    }


# --------------------------------------------------------------------------- resources


@dataclass
class ResourcePage:
    """Everything :func:`resource_html` needs about one resource."""

    iri: str
    path: str
    graph: rdflib.Graph
    namer: Namer
    linker: Linker
    types: Mapping[str, set[str]] = field(default_factory=dict)
    referrers: Sequence[tuple[str, str]] = ()
    #: The classifier's result for this initiative (reasons, findings), when available.
    classification: Any = None
    classification_note: str | None = None
    #: The JSON-LD to embed, when the caller has it already (else serialised from graph).
    jsonld_text: str | None = None


def _value_links(nodes: Iterable[Node], linker: Linker, namer: Namer) -> list[dict[str, Any]]:
    out = []
    for node in sorted(nodes, key=lambda n: (isinstance(n, Literal), namer(n).casefold())):
        if isinstance(node, URIRef):
            out.append(link(namer(node), linker.resource(str(node))))
        elif isinstance(node, Literal):
            out.append(link(str(node), None))
        else:
            out.append(link("(unnamed node)", None))
    return out


def _kind(graph: rdflib.Graph, node: URIRef, namer: Namer) -> str:
    types = sorted(graph.objects(node, RDF.type), key=str)
    if (node, RDF.type, CDKG.Initiative) in graph:
        return "Initiative"
    if (node, RDF.type, SKOS.Concept) in graph:
        schemes = list(graph.objects(node, SKOS.inScheme))
        return f"Concept · {namer(schemes[0])}" if schemes else "Concept"
    named = [namer(t) for t in types if isinstance(t, URIRef)]
    return " · ".join(named) if named else "Resource"


def profile(
    graph: rdflib.Graph, node: URIRef, linker: Linker, namer: Namer, chart_id: str
) -> tuple[str, str, list[dict[str, Any]]] | None:
    """The participation-profile chart, its caption and the engagements table."""
    engagements = list(graph.objects(node, CDKG.hasEngagement))
    if not engagements:
        return None
    level_rank = {lv.iri: lv for lv in levels()}
    best: dict[str, tuple[int, str]] = {}
    table: list[dict[str, Any]] = []
    for e in engagements:
        stage = graph.value(e, CDKG.stage)
        level = graph.value(e, CDKG.participationLevel)
        lv = level_rank.get(str(level)) if level is not None else None
        if (stage is not None and lv is not None) and (
            str(stage) not in best or lv.rank > best[str(stage)][0]
        ):
            best[str(stage)] = (lv.rank, lv.label)
        known = next((s for s in stages() if s.iri == str(stage)), None)
        table.append(
            {
                "order": [s.iri for s in stages()].index(known.iri) if known else 99,
                "stage": link(namer(stage), linker.resource(str(stage)))
                if stage is not None
                else link("(no stage)", None),
                "level": link(f"{lv.rank} {lv.label}", linker.resource(lv.iri))
                if lv
                else link(namer(level) if level is not None else "(no level)", None),
                "gsbpm": [
                    link(gsbpm_label(p), external_href(p)) for p in (known.gsbpm if known else ())
                ],
                "actors": _value_links(graph.objects(e, CDKG.engagedActor), linker, namer),
            }
        )
    table.sort(key=lambda r: (r["order"], r["stage"]["text"]))
    rows = [
        ProfileRow(
            stage=s.iri,
            label=s.label,
            narrower=s.broader is not None,
            rank=best[s.iri][0] if s.iri in best else None,
            level_label=best[s.iri][1] if s.iri in best else None,
            href=linker.resource(s.iri),
            gsbpm=s.gsbpm,
        )
        for s in stages()
    ]
    title = f"Participation profile of {namer(node)}"
    svg = participation_profile_svg(
        rows, [(lv.rank, lv.label) for lv in levels()], title=title, chart_id=chart_id
    )
    return svg, _profile_sentence(rows), table


#: The stored explanation of a verdict (cdkg.classify.stored): the verdict box shows it.
EXPLANATION = frozenset({CDKG.reason, CDKG.missingFact, CDKG.finding})


def resource_html(page: ResourcePage) -> str:
    graph, node, namer, linker = page.graph, URIRef(page.iri), page.namer, page.linker
    title = first_literal(graph, node, DCTERMS.title, SKOS.prefLabel, RDFS.label, FOAF.name)
    title = title or namer(node)
    description = first_literal(graph, node, DCTERMS.description, SKOS.definition, RDFS.comment)
    is_initiative = (
        (node, RDF.type, CDKG.Initiative) in graph
        or (node, CDKG.initiativeType, None) in graph
        or (node, CDKG.verdict, None) in graph
    )
    summary: list[dict[str, Any]] = []
    verdict = None
    svg = caption = None
    engagements: list[dict[str, Any]] = []
    actors: list[dict[str, Any]] = []
    if is_initiative:
        summary = _initiative_summary(graph, node, linker, namer)
        verdict = _initiative_verdict(page)
        drawn = profile(graph, node, linker, namer, "profile")
        if drawn:
            svg, caption, engagements = drawn
        for role, prop in (("Initiated by", CDKG.initiatedBy), ("Collaborator", CDKG.collaborator)):
            for actor in sorted(graph.objects(node, prop), key=lambda a: namer(a).casefold()):
                kinds = sorted(
                    namer(URIRef(t))
                    for t in page.types.get(str(actor), set())
                    if t.startswith(str(CDKG))
                )
                actors.append(
                    {
                        "role": role,
                        "name": namer(actor),
                        "href": linker.resource(str(actor)) if isinstance(actor, URIRef) else None,
                        "kind": ", ".join(kinds),
                    }
                )
    members = [
        link(namer(s), linker.resource(str(s)))
        for s in sorted(graph.subjects(SKOS.inScheme, node), key=lambda s: namer(s).casefold())
        if isinstance(s, URIRef) and s != node
    ]
    statements = []
    for prop in sorted(
        {p for p in graph.predicates(node, None) if isinstance(p, URIRef)},
        key=lambda p: namer(p).casefold(),
    ):
        if prop == SKOS.inScheme and members:
            continue
        if is_initiative and prop in EXPLANATION:  # shown in the verdict box
            continue
        statements.append(
            {
                "label": namer(prop),
                "iri": str(prop),
                "href": linker.resource(str(prop)),
                "entries": _value_links(graph.objects(node, prop), linker, namer),
            }
        )
    referrers = [
        {"subject": link(namer(URIRef(s)), linker.resource(s)), "property": namer(URIRef(p))}
        for s, p in page.referrers
    ]
    return render(
        "resource.html",
        site=site_context(linker),
        section="resource",
        title=title,
        iri=page.iri,
        kind_label=_kind(graph, node, namer),
        description=description,
        summary=summary,
        verdict=verdict,
        profile_svg=Markup(svg) if svg else None,
        profile_caption=caption,
        engagements=engagements,
        actors=actors,
        members=members,
        members_title="Concepts in this scheme",
        referrers=referrers,
        statements=statements,
        alternates=alternates(linker, page.path),
        jsonld=script_safe(page.jsonld_text if page.jsonld_text is not None else jsonld(graph)),
    )


def _initiative_summary(
    graph: rdflib.Graph, node: URIRef, linker: Linker, namer: Namer
) -> list[dict[str, Any]]:
    rows = []

    def add(label: str, values: list[dict[str, Any]]) -> None:
        if values:
            rows.append({"label": label, "entries": values})

    sdgs = sorted(graph.objects(node, CDKG.addressesSdg), key=lambda s: _sdg_key(str(s)))
    add("SDGs", [link(sdg_name(str(s)), external_href(str(s))) for s in sdgs])
    add(
        "Countries",
        [
            link(country_name(str(c)), external_href(str(c)))
            for c in graph.objects(node, DCTERMS.spatial)
        ],
    )
    add("Integration", _value_links(graph.objects(node, CDKG.integrationStatus), linker, namer))
    add(
        "Website",
        [link(str(p), external_href(str(p))) for p in graph.objects(node, DCAT.landingPage)],
    )
    add("Notes", [link(str(n), None) for n in graph.objects(node, SKOS.note)])
    return rows


def _sdg_key(iri: str) -> tuple[Any, ...]:
    tail = local_name(iri)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in tail.split("."))


def _initiative_verdict(page: ResourcePage) -> Verdict | None:
    """The verdict box of an initiative's page: the classifier's result (with its reasons)
    where it agrees with the verdict and type the registry holds, else what the registry
    holds, without reasons."""
    graph, node, namer, linker = page.graph, URIRef(page.iri), page.namer, page.linker
    stored_verdict = graph.value(node, CDKG.verdict)
    stored_type = graph.value(node, CDKG.initiativeType)
    stored_cd = graph.value(node, CDKG.isCitizenData)
    result = page.classification
    if (
        result is not None
        and (stored_verdict is None or stored_verdict == result.verdict_iri)
        and (stored_type is None or str(stored_type) == result.initiative_type)
    ):
        return verdict_from(result, linker, namer, "page")
    decided = stored_cd.toPython() is True if isinstance(stored_cd, Literal) else None
    name = str(stored_verdict)[len(str(VERDICT)) :] if stored_verdict is not None else None
    if name not in VERDICT_MARKS:
        if stored_cd is None:  # the registry holds no verdict cdkg knows
            return None
        name = verdict_name(decided)
    number = None
    if stored_type is not None:
        notation = ontology_graph().value(stored_type, SKOS.notation)
        number = int(str(notation)) if notation is not None and str(notation).isdigit() else None
    return Verdict(
        key="page",
        type_label=namer(stored_type) if stored_type is not None else None,
        type_number=number,
        type_href=linker.resource(str(stored_type)) if stored_type is not None else None,
        is_citizen_data=decided,
        verdict=name or "",
        reasons_missing=page.classification_note
        or "The registry holds no reasons for this verdict (the description was loaded by an "
        "older cdkg): load it again with cdkg load to see them.",
    )


# --------------------------------------------------------------------------- index pages

FACETS = (
    ("verdict", "Verdict"),
    ("type", "Type"),
    ("sdg", "SDG goal"),
    ("country", "Country"),
    ("status", "Integration status"),
)


def facet_values(summary: Summary, facet: str) -> set[str]:
    if facet == "verdict":
        name = summary.verdict_name
        return {str(VERDICT[name])} if name else set()
    if facet == "type":
        return {summary.initiative_type} if summary.initiative_type else set()
    if facet == "sdg":
        return summary.goals
    if facet == "country":
        return set(summary.countries)
    return set(summary.statuses)


def facet_slug(iri: str) -> str:
    return local_name(iri)


def facet_label(facet: str, iri: str, namer: Namer) -> str:
    if facet == "verdict":
        return verdict_label(local_name(iri))
    if facet == "sdg":
        return sdg_name(iri)
    if facet == "country":
        return country_name(iri)
    return namer(URIRef(iri))


def _facet_order(facet: str, iri: str, label: str) -> tuple[Any, ...]:
    if facet == "sdg":
        goals = sdg_goals()
        return (goals.index(iri) if iri in goals else 99, label)
    if facet == "type":
        n = ontology_graph().value(URIRef(iri), SKOS.notation)
        return (int(str(n)) if n is not None and str(n).isdigit() else 99, label)
    if facet == "verdict":
        name = local_name(iri)
        return (VERDICT_NAMES.index(name) if name in VERDICT_NAMES else 99, label)
    return (0, label.casefold())


def verdict_counts(summaries: Sequence[Summary], linker: Linker) -> list[dict[str, Any]]:
    """How many of ``summaries`` have each of the three verdicts (Contract 3 revision 2),
    with the sign, class and browse page of each; the unclassified last, if any."""
    counts = {name: 0 for name in VERDICT_NAMES}
    unclassified = 0
    for s in summaries:
        name = s.verdict_name
        if name is None:
            unclassified += 1
        else:
            counts[name] += 1
    out = [
        {
            "key": name,
            "label": verdict_label(name),
            "count": count,
            "badge": VERDICT_MARKS[name][0],
            "css": VERDICT_MARKS[name][1],
            "href": linker.page(f"browse/verdict/{name}") if count else None,
        }
        for name, count in counts.items()
    ]
    if unclassified:
        out.append(
            {
                "key": "unclassified",
                "label": "Not classified",
                "count": unclassified,
                "badge": "–",
                "css": "none",
                "href": None,
            }
        )
    return out


def index_html(
    summaries: Sequence[Summary],
    linker: Linker,
    namer: Namer,
    *,
    facet: str | None = None,
    value: str | None = None,
) -> str:
    """The list of initiatives with the facet navigation; filtered when ``facet`` is given."""
    shown = [s for s in summaries if facet is None or value in facet_values(s, facet)]
    facets = []
    for key, title in FACETS:
        counts: dict[str, int] = {}
        for s in summaries:
            for v in facet_values(s, key):
                counts[v] = counts.get(v, 0) + 1
        values: list[dict[str, Any]] = []
        for iri, count in counts.items():
            label = facet_label(key, iri, namer)
            values.append(
                {
                    "label": label,
                    "count": count,
                    "href": linker.page(f"browse/{key}/{facet_slug(iri)}"),
                    "current": key == facet and iri == value,
                    "order": _facet_order(key, iri, label),
                }
            )
        values.sort(key=lambda v: v["order"])
        facets.append({"key": key, "title": title, "entries": values})
    rows = []
    for s in shown:
        name = s.verdict_name
        rows.append(
            {
                "title": s.title or s.iri,
                "href": linker.resource(s.iri),
                "type_label": namer(URIRef(s.initiative_type))
                if s.initiative_type
                else ("no type yet" if name else "—"),
                "verdict": verdict_label(name).lower() if name else "not classified",
                "badge": VERDICT_MARKS[name][0] if name else "–",
                "css": VERDICT_MARKS[name][1] if name else "none",
                "goals": [
                    sdg_name(g).split(":")[0] for g in sorted(s.goals, key=lambda g: _sdg_key(g))
                ],
                "countries": sorted(country_name(c) for c in s.countries),
            }
        )
    filt = None
    heading = "Citizen-data initiatives"
    if facet is not None and value is not None:
        label = facet_label(facet, value, namer)
        filt = {"facet": dict(FACETS)[facet].lower(), "label": label}
        heading = f"Initiatives — {label}"
    return render(
        "index.html",
        site=site_context(linker),
        section="index",
        title=heading,
        heading=heading,
        intro=(
            "Initiatives described in this registry, each classified with the Copenhagen "
            "Framework on Citizen Data: is it citizen data, of which type, and why."
        ),
        filter=filt,
        total=len(summaries),
        verdicts=verdict_counts(shown, linker),
        initiatives=rows,
        facets=facets,
    )


def facet_pages(summaries: Sequence[Summary]) -> list[tuple[str, str]]:
    """``(facet, value IRI)`` of every facet page the index links to."""
    seen: set[tuple[str, str]] = set()
    for s in summaries:
        for key, _ in FACETS:
            for v in facet_values(s, key):
                seen.add((key, v))
    return sorted(seen)


def resolve_facet(summaries: Sequence[Summary], facet: str, slug: str) -> str | None:
    for key, value in facet_pages(summaries):
        if key == facet and facet_slug(value) == slug:
            return value
    return None


def dashboard_html(summaries: Sequence[Summary], linker: Linker, namer: Namer) -> str:
    from cdkg.model.choices import scheme_choices

    by_type: dict[str, int] = {}
    for s in summaries:
        if s.initiative_type:
            by_type[s.initiative_type] = by_type.get(s.initiative_type, 0) + 1
    type_bars = []
    for choice in sorted(
        scheme_choices("initiative-type").choices,
        key=lambda c: int(c.notation) if c.notation and c.notation.isdigit() else 99,
    ):
        count = by_type.get(str(choice.iri), 0)
        type_bars.append(
            Bar(
                f"{choice.notation}. {choice.label}",
                count,
                # a type no initiative has has no browse page
                linker.page(f"browse/type/{facet_slug(str(choice.iri))}") if count else None,
            )
        )
    untyped = sum(1 for s in summaries if not s.initiative_type and s.verdict_name)
    if untyped:
        type_bars.append(Bar("No type yet (to be assessed)", untyped))
    unclassified = sum(1 for s in summaries if not s.initiative_type and not s.verdict_name)
    if unclassified:
        type_bars.append(Bar("Not classified", unclassified))
    verdicts = verdict_counts(summaries, linker)
    verdict_bars = [Bar(v["label"], v["count"], v["href"]) for v in verdicts]
    sdg_bars = []
    for goal in sdg_goals():
        with_goal = [s for s in summaries if goal in s.goals]
        cd = sum(1 for s in with_goal if s.is_citizen_data)
        sdg_bars.append(
            Bar(
                sdg_name(goal),
                len(with_goal),
                linker.page(f"browse/sdg/{facet_slug(goal)}") if with_goal else None,
                note=f"{cd} citizen data",
            )
        )
    return render(
        "dashboard.html",
        site=site_context(linker),
        section="dashboard",
        title="Dashboard",
        total=len(summaries),
        verdicts=verdicts,
        verdict_svg=Markup(
            bar_chart_svg(verdict_bars, title="Initiatives by verdict", chart_id="chart-verdicts")
        ),
        type_svg=Markup(
            bar_chart_svg(type_bars, title="Initiatives by type", chart_id="chart-types")
        ),
        sdg_svg=Markup(
            bar_chart_svg(sdg_bars, title="Initiatives by SDG goal", chart_id="chart-sdgs")
        ),
        type_bars=type_bars,
    )


def message_html(
    linker: Linker,
    title: str,
    paragraphs: Sequence[str],
    links: Sequence[dict[str, str]] = (),
    section: str = "",
) -> str:
    return render(
        "message.html",
        site=site_context(linker),
        section=section,
        title=title,
        paragraphs=paragraphs,
        links=links,
    )
