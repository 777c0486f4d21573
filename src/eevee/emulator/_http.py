"""A tiny urllib HTTP helper shared by the SkyEmu and mGBA-http clients.

Every failure becomes one :class:`RemoteEmulatorError` line naming the server, the
problem and how to fix it.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence

from eevee.errors import RemoteEmulatorError

Query = Sequence[tuple[str, str]]


class HttpClient:
    """GET/POST with a timeout against ``base_url``; ``what`` and ``hint`` shape the errors."""

    def __init__(self, base_url: str, what: str, hint: str, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.what = what
        self.hint = hint
        self.timeout = timeout
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never proxy
        self._open = opener.open

    def url(self, path: str, query: Query = ()) -> str:
        text = urllib.parse.urlencode(list(query), quote_via=urllib.parse.quote, safe="/:")
        return f"{self.base_url}{path}" + (f"?{text}" if text else "")

    def request(
        self, path: str, query: Query = (), *, method: str = "GET", body: bytes | None = None,
        timeout: float | None = None,
    ) -> bytes:
        url = self.url(path, query)
        req = urllib.request.Request(url, data=body, method=method)
        if body is not None:
            req.add_header("Content-Type", "text/plain")
        try:
            with self._open(req, timeout=timeout or self.timeout) as resp:
                data: bytes = resp.read()
                return data
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode("utf-8", "replace").strip().strip("\0")
            raise RemoteEmulatorError(
                f"{self.what} at {self.base_url} answered {path} with HTTP {exc.code}"
                f"{': ' + detail if detail else ''}; check the request and the server version"
            ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                problem = "connection refused"
            elif isinstance(reason, (socket.timeout, TimeoutError)):
                problem = f"no answer within {timeout or self.timeout:g} s"
            else:
                problem = str(reason)
            raise RemoteEmulatorError(
                f"cannot reach {self.what} at {self.base_url}: {problem}; {self.hint}"
            ) from None
        except TimeoutError:
            raise RemoteEmulatorError(
                f"{self.what} at {self.base_url} did not answer {path} within "
                f"{timeout or self.timeout:g} s; is it paused in a menu or overloaded?"
            ) from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise RemoteEmulatorError(
                f"lost the connection to {self.what} at {self.base_url} during {path} "
                f"({type(exc).__name__}: {exc}); {self.hint}"
            ) from None

    def text(
        self, path: str, query: Query = (), *, method: str = "GET", body: bytes | None = None,
        timeout: float | None = None,
    ) -> str:
        """The reply as text, without SkyEmu's trailing NUL and surrounding whitespace."""
        raw = self.request(path, query, method=method, body=body, timeout=timeout)
        return raw.decode("utf-8", "replace").strip("\0").strip()
