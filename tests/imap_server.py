"""A real IMAP server on loopback for the tests: pymap's in-memory ("dict") backend in a
subprocess, so that stopping it drops every connection the way a server going down does.

pymap offers plain IMAP or STARTTLS; `TlsFront` puts implicit TLS (port 993 style) in front
of a plain one. Run as a script this file is the server: pymap's own entry point, with
password hashing made cheap (pymap's default, 500,000 PBKDF2 rounds, costs 0.3 s per login).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path] | None:
    """A self-signed certificate for 127.0.0.1 (cert, key), or None without openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                    f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST}",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=30)
    return cert, key


class ImapServer:
    """pymap with one user, started on a free port (the same port again after `stop`)."""

    def __init__(self, log_dir: Path, *, user: str = "support@shop.example",
                 password: str = "s3cret-pass", cert: tuple[Path, Path] | None = None) -> None:
        self.user, self.password, self.cert = user, password, cert
        self.port = free_port()
        self.log = log_dir / f"pymap-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        tls = (["--cert", str(self.cert[0]), "--key", str(self.cert[1])] if self.cert
               else ["--no-tls"])
        # FQDN: pymap's greeting otherwise looks the host name up in DNS, per connection.
        env = {**os.environ, "FQDN": "localhost"}
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, __file__, *tls, "--host", HOST, "--port", str(self.port),
                 "dict", "--demo-user", self.user, "--demo-password", self.password],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection((HOST, self.port), timeout=0.2).close()
                return
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"pymap did not start: {self.log.read_text()}") from None
                time.sleep(0.02)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(10)


class TlsFront:
    """Implicit TLS on its own port, passed on in clear to a plain IMAP port."""

    def __init__(self, target_port: int, cert: tuple[Path, Path]) -> None:
        self.target_port = target_port
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(*cert)
        self.port = free_port()
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop = asyncio.new_event_loop()
        started = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(started,), daemon=True)
        self._thread.start()
        started.wait(10)

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._stopped = asyncio.Event()
        self._loop.run_until_complete(self._main(started))
        self._loop.close()

    async def _main(self, started: threading.Event) -> None:
        server = await asyncio.start_server(self._serve, HOST, self.port, ssl=self.context)
        started.set()
        await self._stopped.wait()
        server.close()
        for writer in self._writers:  # a server going away drops its connections
            writer.transport.abort()
        await asyncio.wait_for(asyncio.gather(*self._tasks, return_exceptions=True), 5)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(HOST, self.target_port)
        except OSError:
            writer.close()
            return
        task = asyncio.current_task()
        assert task is not None
        self._writers |= {writer, target_writer}
        self._tasks.add(task)
        await asyncio.gather(_pump(reader, target_writer), _pump(target_reader, writer))
        self._writers -= {writer, target_writer}
        self._tasks.discard(task)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(10)


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


def _serve() -> None:
    import functools

    import pymap.config
    from pymap.main import main
    from pysasl.hashing import BuiltinHash

    assert hasattr(pymap.config, "BuiltinHash"), "pymap changed: see tests/imap_server.py"
    pymap.config.BuiltinHash = functools.partial(BuiltinHash, rounds=1000)  # type: ignore[misc,assignment]
    main()


if __name__ == "__main__":
    _serve()
