"""Crosswalk from PPSR-Core project metadata (Citizen Science Association, JSON) to cdkg.

PPSR-Core's Project Metadata Model describes citizen-science projects: name, aim,
description, status, responsible party, participation tasks, location… What maps onto
the Copenhagen Framework terms is mapped (see ``docs/ppsr-core-mapping.md``); what does
not is kept as ``skos:note`` so nothing is silently lost. PPSR-Core has no participation
ladder, so participation levels are left unset and the report says so: the Framework's
verdict needs them, and inventing them would make the verdict up.

A file may hold one project object, a list of them, or ``{"projects": [...]}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV

from cdkg.errors import InputError, Problem
from cdkg.model.choices import actor_type_choices, country_by_name, country_iri, scheme_choices
from cdkg.rdf.read import safe_json
from cdkg.sources.records import (
    ActorEntry,
    InitiativeRecord,
    is_web_address,
    slugify,
    xsd_date_or_datetime,
)

#: Fields whose content is contact data of people or organisations: never carried over
#: (Framework ¶31, principle 9: no personal contact data in what is published).
CONTACT_FIELDS = frozenset(
    {
        "projectResponsiblePartyContactEmail",
        "contactPoint",
        "contactName",
        "contactDetails",
        "meansOfContact",
        "contactPointType",
    }
)
#: Record-keeping fields of the source database (about the record, not the project).
RECORD_FIELDS = frozenset({"projectDateCreated", "projectLastUpdatedDate", "projectMedia"})
#: Roles of ``projectAssociatedParty`` that take part in producing the data.
COLLABORATOR_ROLES = frozenset({"collaborator", "partner"})
#: Not in PPSR-Core: a cdkg extension a source may add to state an actor's kind.
PARTY_TYPE_FIELDS = ("projectResponsiblePartyType", "projectAssociatedPartyType")
#: The practice every PPSR-Core record is, by the scope of the standard (Framework ¶10).
PPSR_PRACTICE_LABEL = "citizen science"

NO_LADDER = (
    "participation levels left unset: PPSR-Core has no participation ladder; add a level "
    "(1–5) per stage of the value chain before classifying (e.g. cdkg export --format xlsx, "
    "fill the level columns, cdkg import)"
)


@dataclass
class CrosswalkResult:
    """The records and, per record, what the crosswalk could not map."""

    records: list[InitiativeRecord]
    report: list[str] = field(default_factory=list)


def read_ppsr(path: Path) -> CrosswalkResult:
    """Read a PPSR-Core JSON file; :class:`InputError` naming the record and key on bad input."""
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError.single(name, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError.single(name, f"not UTF-8 text ({exc.reason})") from None
    doc = safe_json(text, name)  # nesting and lone surrogates refused, with line and column
    return ppsr_to_records(doc, name)


def _projects(doc: Any, source: str) -> list[Any]:
    if isinstance(doc, dict) and isinstance(doc.get("projects"), list):
        return list(doc["projects"])
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        return [doc]
    raise InputError.single(
        source, 'expected a PPSR-Core project object, a list of them or {"projects": [...]}'
    )


def _strings(value: Any) -> list[str] | None:
    """A string or list of strings as a list; None if it is anything else."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    return None


def _compact(value: Any) -> str:
    return (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    )


def ppsr_to_records(doc: Any, source: str = "<ppsr>") -> CrosswalkResult:
    """Map PPSR-Core project objects to records; every problem is reported before raising."""
    problems: list[Problem] = []
    result = CrosswalkResult([])
    seen: dict[str, str] = {}
    for index, project in enumerate(_projects(doc, source), start=1):
        where = f"project {index}"
        if not isinstance(project, dict):
            problems.append(Problem(source, f"{where}: not a JSON object"))
            continue
        mapper = _ProjectMapper(project, where, source)
        record = mapper.map()
        problems.extend(mapper.problems)
        if record is None:
            continue
        if record.key in seen:
            problems.append(
                Problem(source, f"{where}: same projectId/projectName as {seen[record.key]}")
            )
        seen[record.key] = where
        result.records.append(record)
        label = f"{where} ({record.title})"
        result.report.append(f"{label}: {NO_LADDER}")
        result.report.extend(f"{label}: {line}" for line in mapper.report)
    if problems:
        raise InputError(problems)
    if not result.records:
        raise InputError.single(source, "no PPSR-Core projects in the file")
    return result


class _ProjectMapper:
    def __init__(self, project: dict[str, Any], where: str, source: str) -> None:
        self.project, self.where, self.source = project, where, source
        self.problems: list[Problem] = []
        self.report: list[str] = []
        self.used: set[str] = set()

    def bad(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.source, f"{self.where}: {key}: {message}"))

    def text(self, key: str) -> str | None:
        self.used.add(key)
        value = self.project.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.bad(key, f"expected text, found {type(value).__name__}")
            return None
        return value.strip() or None

    def strings(self, key: str) -> list[str]:
        self.used.add(key)
        value = self.project.get(key)
        if value is None:
            return []
        found = _strings(value)
        if found is None:
            self.bad(key, "expected text or a list of texts")
            return []
        return found

    def map(self) -> InitiativeRecord | None:
        title = self.text("projectName")
        if not title:
            self.bad("projectName", "missing; every project needs a name")
        ident = self.text("projectId")
        record = InitiativeRecord(title=title or "", key=slugify(ident or title or "project"))
        if ident:
            record.extra.append((DCTERMS.identifier, Literal(ident)))
        description = self.text("projectDescription")
        aim = self.text("projectAim")
        record.description = description or aim
        if description and aim:
            record.extra.append((DCTERMS.abstract, Literal(aim)))
        status = self.text("projectStatus")
        if status:
            record.notes.append(f"Project status (PPSR-Core projectStatus): {status}")
        for key, prop in (
            ("projectStartDate", PROV.startedAtTime),
            ("projectEndDate", PROV.endedAtTime),
        ):
            value = self.text(key)
            if value:
                literal = xsd_date_or_datetime(value)
                if literal is None:
                    self.bad(key, f"{value!r} is not an ISO 8601 date (YYYY-MM-DD) or date-time")
                else:
                    record.extra.append((prop, literal))
        url = self.text("projectUrl")
        if url:
            if is_web_address(url):
                record.website = url
            else:
                self.bad("projectUrl", f"{url!r} is not a web address")
        self._parties(record)
        self._places(record)
        self._tasks(record)
        for keyword in self.strings("keyword") + self.strings("hasTag"):
            practice = scheme_choices("practice").lookup(keyword)
            if practice is not None:
                record.concepts.setdefault("practices", []).append(practice.iri)
            else:
                record.extra.append((DCAT.keyword, Literal(keyword)))
        practice = scheme_choices("practice").lookup(PPSR_PRACTICE_LABEL)
        if practice is not None and practice.iri not in record.concepts.get("practices", []):
            record.concepts.setdefault("practices", []).append(practice.iri)
        for outcome in self.strings("projectIntendedOutcomes"):
            objective = scheme_choices("objective").lookup(outcome)
            if objective is not None:
                record.concepts.setdefault("objectives", []).append(objective.iri)
            else:
                record.notes.append(
                    f"Intended outcome (PPSR-Core projectIntendedOutcomes): {outcome}"
                )
        dropped = sorted(k for k in self.project if k in CONTACT_FIELDS)
        if dropped:
            self.report.append(
                "not carried over (contact details are never published): " + ", ".join(dropped)
            )
        self.used |= CONTACT_FIELDS | RECORD_FIELDS
        kept = []
        for key in sorted(self.project):
            if key in self.used or self.project[key] in (None, "", [], {}):
                continue
            record.notes.append(f"PPSR-Core {key}: {_compact(self.project[key])}")
            kept.append(key)
        if kept:
            self.report.append("kept as notes (no cdkg term): " + ", ".join(kept))
        return record if title else None

    def _actor_type(self, key: str, name: str) -> tuple[URIRef, ...]:
        value = self.project.get(key) if key == PARTY_TYPE_FIELDS[0] else None
        return self._stated_type(key, value, name)

    def _stated_type(self, key: str, value: Any, name: str) -> tuple[URIRef, ...]:
        self.used.add(key)
        if value is None or value == "":
            self.report.append(
                f"the actor type of {name!r} is not stated; add it before classifying "
                f"({actor_type_choices().allowed()})"
            )
            return ()
        if not isinstance(value, str):
            self.bad(key, "expected text")
            return ()
        choice = actor_type_choices().lookup(value)
        if choice is None:
            self.bad(key, f"{value!r} is not allowed; {actor_type_choices().allowed()}")
            return ()
        return (choice.iri,)

    def _parties(self, record: InitiativeRecord) -> None:
        party = self.text("projectResponsiblePartyName")
        if party:
            types = self._actor_type(PARTY_TYPE_FIELDS[0], party)
            record.initiators.append(ActorEntry(party, types))
        else:
            self.report.append("no projectResponsiblePartyName: the initiator is unknown")
        self.used.add("projectAssociatedParty")
        parties = self.project.get("projectAssociatedParty") or []
        if isinstance(parties, dict):
            parties = [parties]
        if not isinstance(parties, list):
            self.bad("projectAssociatedParty", "expected an object or a list of objects")
            return
        for i, item in enumerate(parties, start=1):
            key = f"projectAssociatedParty[{i}]"
            if not isinstance(item, dict) or not isinstance(
                item.get("projectAssociatedPartyName"), str
            ):
                self.bad(key, "expected an object with projectAssociatedPartyName")
                continue
            name = item["projectAssociatedPartyName"].strip()
            role = str(item.get("projectAssociatedPartyRole") or "").strip()
            if role.casefold() in COLLABORATOR_ROLES:
                types = self._stated_type(
                    f"{key}.{PARTY_TYPE_FIELDS[1]}", item.get(PARTY_TYPE_FIELDS[1]), name
                )
                record.collaborators.append(ActorEntry(name, types))
            else:
                record.notes.append(
                    f"Associated party (PPSR-Core role {role or 'not given'}): {name}"
                )

    def _places(self, record: InitiativeRecord) -> None:
        for name in self.strings("projectCountry"):
            code = name.upper() if country_iri(name) is not None else country_by_name(name)
            if code and code not in record.countries:
                record.countries.append(code)
            elif not code:
                record.notes.append(f"Country (PPSR-Core projectCountry): {name}")
                self.report.append(f"country {name!r} not recognised; kept as a note")
        locality = self.text("projectLocality")
        if locality:
            code = country_by_name(locality)
            if code:
                if code not in record.countries:
                    record.countries.append(code)
            else:
                record.notes.append(f"Locality (PPSR-Core projectLocality): {locality}")

    def _tasks(self, record: InitiativeRecord) -> None:
        methods = scheme_choices("collection-method")
        practices = scheme_choices("practice")
        for task in self.strings("scientificProcessInvolved"):
            method = methods.lookup(task)
            practice = practices.lookup(task)
            if method is not None:
                record.concepts.setdefault("collection_methods", []).append(method.iri)
            elif practice is not None:
                record.concepts.setdefault("practices", []).append(practice.iri)
            else:
                record.notes.append(
                    f"Participation task (PPSR-Core scientificProcessInvolved): {task}"
                )
        for key in ("projectTask", "projectHowToParticipate"):
            text = self.text(key)
            if text:
                record.notes.append(f"How people take part (PPSR-Core {key}): {text}")
