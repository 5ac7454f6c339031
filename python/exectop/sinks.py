"""sinks.py - where the profiler's records go: a log file, a FIFO, a directory.

Every sink takes one complete line (bytes ending in a newline) and sends it
with a single os.write(), so a line is never split into two writes.  No sink
blocks or raises in the pipeline it watches: a record that cannot be sent is
dropped and counted (`dropped`), with the reason's errno name kept in
`last_error`.

  FileSink       O_APPEND; a short write (disk full) is counted as dropped.
  FifoSink       O_NONBLOCK; no reader (ENXIO), no FIFO yet (ENOENT), a full
                 pipe (EAGAIN), a reader gone (EPIPE): dropped.  After a
                 failed open the FIFO is tried again only REOPEN_S (0.1 s)
                 later: records meanwhile are dropped without a syscall.  A line over
                 PIPE_BUF (4096 bytes) could be torn by the kernel when several
                 writers share the FIFO, so it is dropped and counted in
                 `too_long` (and in `dropped`), never sent in pieces.  Use a
                 DirectorySink for large records.
  DirectorySink  one file per process, DIR/<host>-<pid>.jsonl, reopened after a
                 fork; records of any size, never interleaved.
  RedisSink      XADD STREAM MAXLEN ~ N * record LINE through the `redis`
                 client (an optional extra): redis://[user[:password]@]host
                 [:port][/db]/STREAM, the grammar of exectop's source.  Every
                 call is bounded by `timeout` seconds (connect and reply); a
                 failure drops the record and the next REOPEN_S (1 s) of
                 records without trying; records get a "host" field.
"""
import errno
import json
import os
import select
import socket
import stat
import time

PIPE_BUF = getattr(select, "PIPE_BUF", 4096)


class Sink:
    """Counts what it sent and dropped; subclasses implement _write()."""

    kind = "none"

    def __init__(self, path):
        self.path = os.fspath(path)
        self.fd = -1
        self.sent = 0
        self.dropped = 0
        self.too_long = 0
        self.last_error = None

    def emit(self, line):
        """Sends one line (bytes with its newline); True when sent."""
        try:
            ok = self._write(line)
        except OSError as e:  # anything else: still never raise
            self._drop(e.errno)
            return False
        if ok:
            self.sent += 1
        return ok

    def _drop(self, err):
        self.dropped += 1
        self.last_error = errno.errorcode.get(err, str(err)) if err else None
        return False

    def _write_all(self, line):
        n = os.write(self.fd, line)
        if n != len(line):
            return self._drop(errno.EIO)
        return True

    def stats(self):
        return {"sent": self.sent, "dropped": self.dropped,
                "too_long": self.too_long}

    def close(self):
        if self.fd != -1:
            os.close(self.fd)
            self.fd = -1

    def __repr__(self):
        return "<%s %s sent=%d dropped=%d>" % (type(self).__name__, self.path,
                                               self.sent, self.dropped)


class FileSink(Sink):
    kind = "file"

    def _write(self, line):
        if self.fd == -1:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND |
                              os.O_CREAT | os.O_CLOEXEC, 0o644)
        return self._write_all(line)


class FifoSink(Sink):
    kind = "fifo"
    REOPEN_S = 0.1

    def __init__(self, path):
        super().__init__(path)
        self.retry_at = 0.0

    def _write(self, line):
        if len(line) > PIPE_BUF:
            self.too_long += 1
            return self._drop(errno.EMSGSIZE)
        if self.fd == -1:
            now = time.monotonic()
            if now < self.retry_at:
                self.dropped += 1  # last_error stays the open's
                return False
            try:
                self.fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK |
                                  os.O_CLOEXEC)
            except OSError as e:  # ENXIO: nobody reads; ENOENT: no FIFO
                self.retry_at = now + self.REOPEN_S
                return self._drop(e.errno)
        try:
            os.write(self.fd, line)  # <= PIPE_BUF: all or nothing
        except OSError as e:
            if e.errno == errno.EPIPE:  # the reader left: reopen next time
                self.close()
            return self._drop(e.errno)  # EAGAIN: the pipe is full
        return True


class DirectorySink(Sink):
    kind = "directory"

    def __init__(self, path):
        super().__init__(path)
        self.pid = -1
        self.file = None

    def _write(self, line):
        pid = os.getpid()
        if pid != self.pid:  # first record, or a child after fork()
            if self.fd != -1:
                os.close(self.fd)
                self.fd = -1
            os.makedirs(self.path, exist_ok=True)
            self.file = os.path.join(self.path, "%s-%d.jsonl" %
                                     (socket.gethostname(), pid))
            self.fd = os.open(self.file, os.O_WRONLY | os.O_APPEND |
                              os.O_CREAT | os.O_CLOEXEC, 0o644)
            self.pid = pid
        return self._write_all(line)


class RedisSink(Sink):
    kind = "redis"
    REOPEN_S = 1.0

    def __init__(self, url, timeout=0.05, maxlen=100000):
        super().__init__(url)
        self.host, self.port, self.db, self.user, self.password, \
            self.stream = parse_redis_url(url)
        self.timeout = timeout
        self.maxlen = maxlen
        self.client = None
        self.retry_at = 0.0
        self.attempts = 0  # connections tried
        self.pid = -1
        self.hostname = socket.gethostname()
        self._host_field = (b'"host":' + json.dumps(self.hostname).encode() +
                            b",")

    def _connect(self):
        import redis  # the optional extra: python3-redis / pip install redis
        self.attempts += 1
        self.client = redis.Redis(
            host=self.host, port=self.port, db=self.db, username=self.user,
            password=self.password, socket_timeout=self.timeout,
            socket_connect_timeout=self.timeout, retry_on_timeout=False)
        self.pid = os.getpid()

    def _write(self, line):
        now = time.monotonic()
        if now < self.retry_at:
            self.dropped += 1  # last_error stays the failure's
            return False
        body = line.rstrip(b"\n")
        if body.startswith(b"{") and b'"host"' not in body and \
                body[1:].lstrip() != b"}":
            body = b"{" + self._host_field + body[1:]
        try:
            if self.client is None or self.pid != os.getpid():
                self._connect()
            self.client.xadd(self.stream, {"record": body},
                             maxlen=self.maxlen, approximate=True)
        except ImportError:
            self.retry_at = now + 3600
            self.dropped += 1
            self.last_error = "no redis module (python3-redis)"
            return False
        except Exception as e:  # redis.ConnectionError, TimeoutError, ...
            self.retry_at = now + self.REOPEN_S
            self.client = None
            self.dropped += 1
            self.last_error = type(e).__name__ + ": " + str(e)
            return False
        return True

    def close(self):
        if self.client is not None:
            try:
                self.client.close()
            except Exception:
                pass
            self.client = None


def parse_redis_url(url):
    """redis://[user[:password]@]host[:port][/db]/STREAM -> (host, port, db,
    user, password, stream); the password may also come from
    EXECTOP_REDIS_PASSWORD."""
    from urllib.parse import unquote
    if not url.startswith("redis://"):
        raise ValueError("not a redis:// URL: %r" % url)
    rest = url[len("redis://"):]
    if "/" not in rest:
        raise ValueError("no stream in %r (redis://host[:port][/db]/STREAM)"
                         % url)
    auth_host, path = rest.split("/", 1)
    user = password = None
    if "@" in auth_host:
        auth, auth_host = auth_host.rsplit("@", 1)
        if ":" in auth:
            user, password = auth.split(":", 1)
            password = unquote(password)
        else:
            user = auth
        user = unquote(user) or None
    host, port = auth_host, 6379
    if host.startswith("["):
        host, _, p = host[1:].partition("]")
        if p.startswith(":"):
            port = int(p[1:])
    elif ":" in host:
        host, p = host.rsplit(":", 1)
        port = int(p)
    db = 0
    seg = path.split("/", 1)
    if len(seg) == 2 and seg[0].isdigit() and seg[1]:
        db, path = int(seg[0]), seg[1]
    path = path.split("?", 1)[0]
    if not host or not path:
        raise ValueError("bad Redis URL %r" % url)
    if password is None:
        password = os.environ.get("EXECTOP_REDIS_PASSWORD") or None
    return host, port, db, user, password, unquote(path)


def open_sink(target):
    """A sink for a path or URL: "fifo:PATH", "file:PATH", "dir:PATH", or a
    plain path: an existing FIFO, an existing directory (or a path ending in
    "/"), else a log file."""
    if target is None:
        return None
    if isinstance(target, Sink):
        return target
    s = os.fspath(target)
    for prefix, cls in (("fifo:", FifoSink), ("file:", FileSink),
                        ("dir:", DirectorySink)):
        if s.startswith(prefix):
            return cls(s[len(prefix):])
    if s.startswith("redis://"):
        return RedisSink(s)
    if s.startswith("rediss://"):
        raise ValueError("exectop: rediss:// (TLS) is not supported: Debian's "
                         "hiredis has none; tunnel through stunnel or ssh")
    if s.endswith("/"):
        return DirectorySink(s)
    try:
        st = os.stat(s)
    except FileNotFoundError:
        return FileSink(s)
    if stat.S_ISFIFO(st.st_mode):
        return FifoSink(s)
    if stat.S_ISDIR(st.st_mode):
        return DirectorySink(s)
    return FileSink(s)
