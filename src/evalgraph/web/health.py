"""``/health``: the store opens and answers; the query and validation workers and their counters."""

from __future__ import annotations

from fastapi import APIRouter, Request

from evalgraph._version import __version__
from evalgraph.web.dossier_service import dossiers_of
from evalgraph.web.requests import service_of

router = APIRouter()


@router.get("/health", summary="Liveness: the store opens and answers; query workers and their counters")
def health(request: Request) -> dict[str, object]:
    service = service_of(request)
    options, validation = service.options, dossiers_of(request).pool
    the_store = service.store()
    pool = service.pool
    return {
        "status": "ok",
        "triples": the_store.count(),
        "version": __version__,
        "query_workers": pool.size if pool else 0,
        "query_timeout_s": options.query_timeout,
        "queries_stopped": pool.timeouts if pool else 0,
        "requests_refused": pool.refused if pool else 0,
        "query_workers_network": pool.isolation if pool else "in-process (no isolation)",
        "validation_workers": validation.size if validation else 0,
        "validations_stopped": validation.timeouts if validation else 0,
        "validations_refused": validation.refused if validation else 0,
        "updates_enabled": options.allow_update,
        "read_only": options.read_only,
        "tokens": len(options.tokens),
        # the SHA-256 of the secret that `serve` wrote in <data-dir>/server.json (readable by its user only): how a
        # command proves that the server on this port is the one holding its store (evalgraph.store.running)
        "instance": getattr(request.app.state, "instance", None),
    }
