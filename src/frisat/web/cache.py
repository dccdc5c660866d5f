"""Rendered answers of pages and the API, keyed by the request and the register state.

An answer depends only on the register as known at K, the date and the request's own
parameters; with the newest load in the key, a change to the register is seen at once.
The compressed body is kept beside the plain one, so a repeated request costs neither the
answer nor the compression.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from frisat.registry import snapshot as snap


@dataclass(frozen=True)
class Cached:
    body: bytes
    gzipped: bytes | None
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()

    def response(self, request: HttpRequest) -> HttpResponse:
        wants_gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        if wants_gzip and self.gzipped is not None:
            resp = HttpResponse(self.gzipped, content_type=self.content_type)
            resp["Content-Encoding"] = "gzip"
        else:
            resp = HttpResponse(self.body, content_type=self.content_type)
        resp["Vary"] = "Accept-Encoding"
        for k, v in self.headers:
            resp[k] = v
        return resp


class ResponseCache:
    def __init__(self, size: int = 256) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], Cached] = OrderedDict()
        self._size = size

    def key(self, request: HttpRequest, *parts: Any) -> tuple[Any, ...]:
        return (snap.stamp(), request.path, *parts)

    def get(self, key: tuple[Any, ...]) -> Cached | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple[Any, ...], resp: HttpResponse) -> Cached:
        body = resp.content
        # small bodies are not worth compressing (GZipMiddleware's own threshold). Level 1
        # (nginx's default): a body is compressed on every new date, and for the map page
        # (71 kB) level 5 cost 1.6 ms, more than the rest of the answer; level 1 costs
        # 0.6 ms for a body 13 % larger (18.3 kB against 16.2 kB)
        zipped = gzip.compress(body, compresslevel=1, mtime=0) if len(body) >= 200 else None
        headers = tuple((k, v) for k, v in resp.items()
                        if k.lower() in ("content-disposition",))
        item = Cached(body, zipped, resp["Content-Type"], headers)
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return item


cache = ResponseCache()
