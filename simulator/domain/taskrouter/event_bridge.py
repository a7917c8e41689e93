"""The event bridge: how agent apps (Twilio's ``twilio-taskrouter`` JavaScript SDK) reach a
Worker. A Worker's app holds a Twilio Access Token (a JWT signed with one of the account's API
key secrets, carrying a ``task_router`` grant) and opens a websocket that receives the Worker's
events; its REST calls carry the same token.

Here: the token's verification (on the simulator clock, so a clock advance expires it), the
registry of connected Workers (``Hub``, one per Simulator), and what a disconnection does to the
Worker's activity. The wire (websocket frames, the REST endpoint, payload shapes) is the
bridge door's (``simulator/bridge/``).
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import jwt

from ...errors import TwilioError
from ..accounts import account_of, key_of
from .activities import activities_of
from .workers import update_worker, worker_of

TOKEN_CONTENT_TYPE = "twilio-fpa;v=1"
ROLES = ("worker", "supervisor", "admin")
EB_PATH = "/event-bridge/v1/wschannels"   # the REST endpoint on the simulator's own port
WS_PATH = "/v1/wschannels"                # the websocket path, as on event-bridge.twilio.com
NBF_LEEWAY_SECONDS = 60


# -- tokens ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Grant:
    """What a verified token allows: one Worker of one workspace (supervisors and admins may
    also act on the workspace's other Workers)."""
    account_sid: str
    key_sid: str
    workspace_sid: str
    worker_sid: str
    role: str
    expires: datetime


def _refused(code: int, detail: str) -> TwilioError:
    return TwilioError(code, f"{TwilioError(code).message}: {detail}")


def verify_token(s, token: str | None) -> Grant:
    """A Twilio Access Token with a ``task_router`` grant, checked the way Twilio checks one:
    header ``cty: twilio-fpa;v=1``, HS256 signed with the secret of the API key ``iss`` of the
    account ``sub``, not expired on the simulator clock, a grant naming a workspace and a
    Worker of that account. Refusals: 20101 (malformed), 20102 (header), 20103 (issuer or
    subject), 20104 (expired), 20105 (not yet valid), 20106 (grant), 20107 (signature)."""
    if not token:
        raise _refused(20101, "no token was given")
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as e:
        raise _refused(20101, str(e)) from None
    if header.get("cty") != TOKEN_CONTENT_TYPE or header.get("alg") != "HS256":
        raise _refused(20102, f"expected alg HS256 and cty {TOKEN_CONTENT_TYPE}")
    key_sid, account_sid = claims.get("iss"), claims.get("sub")
    account = account_of(s, account_sid) if isinstance(account_sid, str) else None
    try:
        key = key_of(s, account_sid, key_sid) if account and isinstance(key_sid, str) else None
    except TwilioError:
        key = None
    if account is None or key is None:
        raise _refused(20103, "iss must be an API key SID of the account named by sub")
    if account["status"] != "active":
        raise TwilioError(20005)
    try:
        jwt.decode(token, key["secret"], algorithms=["HS256"],
                   options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                            "verify_aud": False})
    except jwt.InvalidSignatureError:
        raise _refused(20107, "not signed with the secret of its API key") from None
    except jwt.PyJWTError as e:
        raise _refused(20101, str(e)) from None
    now = s.clock.now().timestamp()
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool):
        raise _refused(20104, "the token has no expiry (exp)")
    if exp <= now:
        raise _refused(20104, "the token expired (on the simulator clock)")
    nbf = claims.get("nbf")
    # not before: against the later of the simulator clock and real time, so a clock frozen
    # in the past still accepts tokens minted just now
    latest = max(now, datetime.now(timezone.utc).timestamp()) + NBF_LEEWAY_SECONDS
    if isinstance(nbf, (int, float)) and not isinstance(nbf, bool) and nbf > latest:
        raise _refused(20105, "the token is not valid yet (nbf)")
    grants = claims.get("grants")
    grant = grants.get("task_router") if isinstance(grants, dict) else None
    if not isinstance(grant, dict) or not grant.get("workspace_sid") or not grant.get("worker_sid"):
        raise _refused(20106, "a task_router grant with a workspace_sid and a worker_sid is "
                              "required")
    role = grant.get("role") or "worker"
    if role not in ROLES:
        raise _refused(20106, f"role must be one of {', '.join(ROLES)}")
    ws = s.store.get("tr_workspaces", grant["workspace_sid"])
    if ws is None or ws["account_sid"] != account_sid:
        raise _refused(20106, f"{grant['workspace_sid']} is not a workspace of {account_sid}")
    try:
        worker_of(s, ws["sid"], grant["worker_sid"])
    except TwilioError:
        raise _refused(20106, f"{grant['worker_sid']} is not a Worker of "
                              f"{ws['sid']}") from None
    return Grant(account_sid, key_sid, ws["sid"], grant["worker_sid"], role,
                 datetime.fromtimestamp(exp, timezone.utc))


def check_access(grant: Grant, workspace_sid: str, worker_sid: str | None = None) -> None:
    """A Worker's token reaches its own workspace, and of the Workers only itself (a
    supervisor's or an admin's reaches every Worker of the workspace)."""
    if workspace_sid != grant.workspace_sid:
        raise _refused(20106, f"the token's grant is for workspace {grant.workspace_sid}")
    if worker_sid is not None and worker_sid != grant.worker_sid and grant.role == "worker":
        raise _refused(20106, f"the token's grant is for Worker {grant.worker_sid}")


def lifetime_ms(s, grant: Grant) -> int:
    """Milliseconds the token has left on the simulator clock."""
    return max(int((grant.expires - s.clock.now()).total_seconds() * 1000), 0)


def expired(s, grant: Grant) -> bool:
    return s.clock.now() >= grant.expires


# -- who is connected ---------------------------------------------------------------------------
@dataclass(eq=False)
class Session:
    """One open websocket of a Worker: ``send(text)`` queues a frame, ``close(code, reason)``
    ends it."""
    grant: Grant
    send: Callable[[str], None]
    close: Callable[[int, str], None]
    offline_on_disconnect: bool = True
    expiry_told: bool = False

    @property
    def worker_sid(self) -> str:
        return self.grant.worker_sid


@dataclass
class Hub:
    """The connected Workers of one Simulator, and where its event bridge listens."""
    sessions: dict = field(default_factory=dict)   # worker SID -> [Session]
    ws_port: int | None = None                     # the websocket server's port, once served
    stopping: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of_worker(self, worker_sid: str) -> list[Session]:
        with self.lock:
            return list(self.sessions.get(worker_sid, ()))

    def all(self) -> list[Session]:
        with self.lock:
            return [x for found in self.sessions.values() for x in found]

    @property
    def empty(self) -> bool:
        return not self.sessions


_HUBS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_HUBS_LOCK = threading.Lock()


def hub(s) -> Hub:
    found = _HUBS.get(s)
    if found is None:
        with _HUBS_LOCK:
            found = _HUBS.setdefault(s, Hub())
    return found


def serve_at(s, ws_port: int | None) -> None:
    """The websocket server of this Simulator listens on ``ws_port`` (None: it stopped)."""
    h = hub(s)
    h.ws_port = ws_port
    h.stopping = ws_port is None


def urls(s, base_url: str) -> dict:
    """The URLs a Worker is given (``ebServer``, ``wsServer``), for a client that reaches the
    simulator at ``base_url`` (``http://127.0.0.1:4010``); ``ws_server`` is None while no
    websocket server runs (an in-process simulator)."""
    port = hub(s).ws_port
    host = base_url.split("://", 1)[-1].rstrip("/")
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return {"eb_server": f"{base_url.rstrip('/')}{EB_PATH}",
            "ws_server": f"ws://{hostname}:{port}{WS_PATH}" if port else None}


def connect(s, grant: Grant, send, close, *, close_existing: bool = False,
            offline_on_disconnect: bool = True) -> Session:
    """Register a Worker's websocket; ``close_existing`` closes its other sessions first
    (their Worker keeps its activity)."""
    session = Session(grant, send, close, offline_on_disconnect)
    h = hub(s)
    with h.lock:
        others = h.sessions.get(grant.worker_sid, [])
        h.sessions[grant.worker_sid] = [session] if close_existing else [*others, session]
    if close_existing:
        for other in others:
            other.close(1000, "Closed by a newer session of this Worker")
    return session


def offline_activity(s, workspace_sid: str) -> str | None:
    """Where a disconnected Worker goes: the workspace's unavailable activity named
    ``Offline``, else its timeout activity."""
    found = [a for a in activities_of(s, workspace_sid) if not a["available"]]
    for activity in found:
        if activity["friendly_name"] == "Offline":
            return activity["sid"]
    ws = s.store.get("tr_workspaces", workspace_sid)
    return ws["timeout_activity_sid"] if ws else None


def disconnect(s, session: Session) -> None:
    """A websocket closed. When it was the Worker's last one and its app asked for it
    (``setWorkerOfflineIfDisconnected``, true unless told otherwise), the Worker goes offline;
    not when the simulator itself is stopping."""
    h = hub(s)
    with h.lock:
        found = h.sessions.get(session.worker_sid, [])
        if session not in found:
            return
        found.remove(session)
        last = not found
        if last:
            del h.sessions[session.worker_sid]
    if not last or not session.offline_on_disconnect or h.stopping:
        return
    grant = session.grant
    try:
        worker = worker_of(s, grant.workspace_sid, grant.worker_sid)
    except TwilioError:
        return   # deleted meanwhile
    activity_sid = offline_activity(s, grant.workspace_sid)
    if activity_sid and activity_sid != worker["activity_sid"]:
        update_worker(s, worker, activity_sid=activity_sid)
