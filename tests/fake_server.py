"""A real server process on the fake embedder, for tests that need several processes.

    python -m tests.fake_server PORT '{"kb_dir": ..., "index_dir": ...}'
"""

from __future__ import annotations

import json
import sys

from responder.api import server
from responder.api.app import create_app
from responder.config import Settings
from responder.wiring import build_services
from tests.fakes import FakeEmbedder


def main() -> None:
    port, values = int(sys.argv[1]), json.loads(sys.argv[2])
    services = build_services(Settings(**values), embedder=FakeEmbedder())
    services.prepare_to_serve()
    try:
        server.run(create_app(services=services), host="127.0.0.1", port=port,
                   log_level="warning")
    finally:
        services.close()


if __name__ == "__main__":
    main()
