"""The documented nginx configuration (docs/webserver/nginx.conf) serves a published site
with content negotiation: a real nginx on 127.0.0.1, started and stopped by the test."""

from __future__ import annotations

import getpass
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib import URIRef

from cdkg.load.loader import load
from cdkg.model.namespaces import CDKG
from cdkg.publish.site import publish
from cdkg.store import open_store
from tests.support.paths import EXAMPLES, REPO
from tests.support.webfixtures import free_port

pytestmark = pytest.mark.server
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BASE = "https://w3id.org/cdkg/examples/"
HARASSMAP = "harassmap"


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `make system-deps` installs it (Debian nginx-light)")
    root = tmp_path_factory.mktemp("nginx")
    with open_store(root / "store") as store:
        load(store, [str(EXAMPLES)], progress=False)
        publish(store, root / "site", BASE)
    port = free_port()
    documented = (REPO / "docs" / "webserver" / "nginx.conf").read_text(encoding="utf-8")
    server = re.sub(r"listen\s+80;", f"listen 127.0.0.1:{port};", documented)
    server = server.replace("root /srv/cdkg/site;", f"root {root / 'site'};")
    assert f"127.0.0.1:{port}" in server and str(root / "site") in server
    (root / "logs").mkdir()
    (root / "nginx.conf").write_text(
        # workers read the site as the test's own user (pytest's folders are private)
        f"user {getpass.getuser()};\n"
        f"pid {root}/nginx.pid;\nerror_log {root}/logs/error.log;\nevents {{}}\n"
        f"http {{\n access_log {root}/logs/access.log;\n"
        f" client_body_temp_path {root}/tmp;\n proxy_temp_path {root}/tmp;\n"
        f" fastcgi_temp_path {root}/tmp;\n uwsgi_temp_path {root}/tmp;\n"
        f" scgi_temp_path {root}/tmp;\n{server}\n}}\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_accept_header_selects_the_representation(
    nginx: str, accept: str, media: str, fmt: str
) -> None:
    answer = httpx.get(f"{nginx}/{HARASSMAP}", headers={"Accept": accept}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert "Accept" in answer.headers.get("vary", "")
    graph = rdflib.Graph().parse(data=answer.text, format=fmt)
    assert graph.value(URIRef(BASE + HARASSMAP), CDKG.isCitizenData) is not None


def test_browsers_get_html_and_mediatype_parameter_overrides(nginx: str) -> None:
    page = httpx.get(
        f"{nginx}/{HARASSMAP}", headers={"Accept": "text/html,application/xhtml+xml"}, timeout=10
    )
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Civic action" in page.text
    forced = httpx.get(
        f"{nginx}/{HARASSMAP}",
        params={"_mediatype": "text/turtle"},
        headers={"Accept": "text/html"},
        timeout=10,
    )
    assert forced.headers["content-type"].startswith("text/turtle")


def test_unknown_resource_is_404_and_home_is_the_index(nginx: str) -> None:
    assert httpx.get(f"{nginx}/no-such-initiative", timeout=10).status_code == 404
    home = httpx.get(f"{nginx}/", timeout=10)
    assert home.status_code == 200 and "Citizen-data initiatives" in home.text
