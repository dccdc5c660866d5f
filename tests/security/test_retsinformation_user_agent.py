"""Issue 14, finding 8: ``frisat import act <ELI>`` and ``import sync`` failed before any
network call with "'ascii' codec can't encode", because the User-Agent held "æ". HTTP header
values are ASCII; the client's is now, and the default client is built and used here against
a recorded response (httpx.MockTransport, never the network)."""

from __future__ import annotations

from pathlib import Path

import httpx

from frisat.sources import retsinformation as ri

XML = (Path(__file__).resolve().parents[1] / "fixtures" / "lexdania"
       / "consolidation-v1.xml").read_bytes()


def test_the_user_agent_is_ascii_and_names_frisat():
    assert ri.USER_AGENT.isascii()
    assert ri.USER_AGENT.startswith("frisat")


def test_the_default_client_can_be_made():
    client = ri.Client()
    assert client.http.headers["User-Agent"] == ri.USER_AGENT


def test_the_client_sends_its_user_agent_and_fetches_an_act():
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=XML)

    client = ri.Client(http=ri.http_client(httpx.MockTransport(answer)), min_interval=0)
    assert client.act_xml("https://www.retsinformation.dk/eli/lta/2021/880") == XML
    assert seen[0].headers["User-Agent"] == ri.USER_AGENT
    assert str(seen[0].url) == "https://www.retsinformation.dk/eli/lta/2021/880/xml"
