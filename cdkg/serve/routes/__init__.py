"""The routes of the live registry, one module per concern, each with an ``APIRouter``.

:mod:`~cdkg.serve.routes.pages` (home, browsing, dashboard, stylesheet, downloads),
:mod:`~cdkg.serve.routes.check` (the "Check an initiative" form),
:mod:`~cdkg.serve.routes.assess` (the questionnaire),
:mod:`~cdkg.serve.routes.validate` (``POST /validate``),
:mod:`~cdkg.serve.routes.sparql` (the SPARQL 1.1 Protocol endpoint),
:mod:`~cdkg.serve.routes.update` (the Graph Store Protocol and SPARQL Update, behind the
update token) and :mod:`~cdkg.serve.routes.resources` (every other path: a resource of
the registry, or the ontology and shapes documents, with content negotiation).
:mod:`~cdkg.serve.routes.common` holds the responses several of them give.
:func:`cdkg.serve.app.create_app` includes the routers in that order, the catch-all last.
"""
