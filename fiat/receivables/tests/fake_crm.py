"""A local HTTP server that answers as a CRM's REST API, for connector tests.

It serves canned JSON by method and path on 127.0.0.1, records each request
with its headers and body, and answers 401 without the expected header.
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FakeCrm:
    # (method, path with query) -> (status, JSON body)
    routes: dict[tuple[str, str], tuple[int, object]]
    required_header: tuple[str, str]
    requests: list[dict] = field(default_factory=list)
    url: str = ""


class _Handler(BaseHTTPRequestHandler):
    crm: FakeCrm

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.crm.requests.append(
            {"method": method, "path": self.path, "headers": headers,
             "body": json.loads(body) if body else None}
        )  # fmt: skip
        name, value = self.crm.required_header
        if self.headers.get(name) != value:
            status, answer = 401, {"message": "Authentication credentials not found."}
        else:
            status, answer = self.crm.routes.get(
                (method, self.path), (404, {"message": f"No route {self.path}"})
            )
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args) -> None:
        # Keep the test output quiet.
        return


def serve(crm: FakeCrm):
    """Start ``crm`` on a free local port; return the server to shut down."""
    handler = type("Handler", (_Handler,), {"crm": crm})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    crm.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
