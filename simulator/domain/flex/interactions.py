"""Flex Interactions (KD...): a customer contact with its channel (UO...), the invites that
route it to agents as TaskRouter tasks (KG...), its participants (UT...) and transfers (UX...).

Creating an interaction for a conversation (``Channel.properties.media_channel_sid``, or an
agent-initiated one with ``participants``, which makes the conversation) creates the channel,
a customer participant, an invite and its task, whose attributes are the routing attributes
plus what Flex adds (``conversationSid``, ``channelType``, ``customerAddress``, ``from``,
``name``, ``customerName``, ``customers``, ``conversations``, ``flexInteractionSid``,
``flexInteractionChannelSid``, ``flexChannelInviteSid``, ``initiatedBy``, ``direction``).

TaskRouter tells this module (``taskrouter.hooks``) when a reservation is accepted: the worker
becomes an ``agent`` participant of the channel and joins the conversation under its Flex
identity. Closing the channel (``Status=closed``) moves the channel's assigned tasks to
``wrapping`` (``completed`` with ``Routing={"status": "closed"}``), cancels its waiting ones and
closes the conversation; ``inactive`` (which needs ``Routing={"status": "closed"}``) completes
them and leaves the conversation inactive. An agent participant set ``wrapup`` or ``closed``
leaves the conversation (its task wrapping, or completed) while the conversation stays open.
"""
from __future__ import annotations

import json
import logging

from ...dates import parse_iso
from ...errors import TwilioError
from ..conversations.core import create_conversation, find_conversation, set_state
from ..conversations.hooks import subscribe as on_conversation
from ..conversations.participants import (add_participant as add_conversation_participant,
                                          participant_by_identity, participants_of,
                                          remove_participant)
from ..taskrouter.hooks import subscribe as on_taskrouter
from ..taskrouter.task_channels import channel_of as task_channel_of
from ..taskrouter.tasks import create_task, update_task
from ..taskrouter.workspaces import workspace_of
from .instances import instance_of_account

log = logging.getLogger("twilio_sim")
CHANNEL_TYPES = ("voice", "sms", "email", "web", "whatsapp", "chat", "messenger", "gbm")
PARTICIPANT_TYPES = ("supervisor", "customer", "external", "agent", "unknown")
TASK_CHANNEL = {"sms": "sms", "voice": "voice"}   # others: chat
CLOSED_REASON = "Closed by the Interactions API"


def _invalid(detail: str, code: int = 45366) -> TwilioError:
    return TwilioError(code, f"{TwilioError(code).message} {detail}")


def _object(value, name: str) -> dict:
    """A parameter holding a JSON object (already parsed, or its text)."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except (ValueError, RecursionError):
            raise _invalid(f"{name} is not JSON") from None
    if not isinstance(value, dict):
        raise _invalid(f"{name} must be a JSON object")
    return value


# -- creating an interaction ---------------------------------------------------------------------
def create_interaction(s, account_sid: str, *, channel, routing=None,
                       interaction_context_sid: str | None = None,
                       webhook_ttid: str | None = None) -> dict:
    """Returns ``{"interaction", "channel", "invite", "task"}``."""
    channel = _object(channel, "Channel")
    routing = _object(routing, "Routing")
    kind = channel.get("type")
    if kind not in CHANNEL_TYPES:
        raise _invalid(f"Channel.type must be one of {', '.join(CHANNEL_TYPES)}")
    if kind == "voice":
        raise _invalid("voice interactions start with a call (Studio's Send to Flex)")
    initiated_by = channel.get("initiated_by") or "customer"
    if initiated_by not in ("customer", "agent", "api"):
        raise _invalid("Channel.initiated_by must be customer, agent or api")
    properties = _object(channel.get("properties"), "Channel.properties")
    conversation = _conversation(s, account_sid, kind, properties,
                                 channel.get("participants"))
    return _open(s, conversation, kind=kind, initiated_by=initiated_by,
                 routing=_object(routing.get("properties"), "Routing.properties"),
                 interaction_context_sid=interaction_context_sid, webhook_ttid=webhook_ttid)


def _conversation(s, account_sid: str, kind: str, properties: dict, participants) -> dict:
    sid = properties.get("media_channel_sid")
    if sid:
        conversation = find_conversation(s, sid)
        if conversation is None or conversation["account_sid"] != account_sid:
            raise _invalid(f"media_channel_sid {sid} is not a conversation of this account")
        if conversation["state"] == "closed":
            raise TwilioError(45354)
        return conversation
    if not participants or not isinstance(participants, list):
        raise _invalid("Channel.properties.media_channel_sid or Channel.participants is "
                       "required")
    conversation = create_conversation(s, account_sid)
    for p in participants:
        if not isinstance(p, dict):
            raise _invalid("Channel.participants must be objects")
        if kind == "sms" or p.get("address"):
            add_conversation_participant(s, conversation, address=p.get("address"),
                                         proxy_address=p.get("proxy_address"))
        else:
            add_conversation_participant(s, conversation, identity=p.get("identity"))
    return conversation


def _customer(s, conversation: dict) -> dict | None:
    """The conversation's customer: its SMS participant, else its first chat participant that
    is no Flex agent."""
    found = participants_of(s, conversation["sid"])
    for p in found:
        if p["messaging_binding"]:
            return p
    for p in found:
        if _attrs(p).get("member_type") != "agent":
            return p
    return None


def _attrs(record: dict) -> dict:
    try:
        value = json.loads(record.get("attributes") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _customer_facts(customer: dict | None) -> dict:
    if customer is None:
        return {"address": None, "name": None}
    binding = customer["messaging_binding"] or {}
    address = binding.get("address") or customer["identity"]
    return {"address": address, "name": _attrs(customer).get("friendlyName") or address}


def _open(s, conversation: dict, *, kind: str, initiated_by: str, routing: dict,
          interaction_context_sid=None, webhook_ttid=None, priority=None, timeout=None) -> dict:
    """The interaction, its channel, customer participant, first invite and task."""
    account_sid = conversation["account_sid"]
    ws = _workspace(s, account_sid, routing.get("workspace_sid"))
    now = s.now()
    interaction = s.store.insert("flex_interactions", {
        "sid": s.ids.sid("KD"), "account_sid": account_sid, "routing": {"properties": routing},
        "interaction_context_sid": interaction_context_sid, "webhook_ttid": webhook_ttid,
        "date_created": now, "date_updated": now})
    channel = s.store.insert("flex_interaction_channels", {
        "sid": s.ids.sid("UO"), "account_sid": account_sid,
        "interaction_sid": interaction["sid"], "type": kind, "status": "setup",
        "error_code": None, "error_message": None, "initiated_by": initiated_by,
        "media_channel_sid": conversation["sid"], "workspace_sid": ws["sid"],
        "date_created": now, "date_updated": now})
    interaction = s.store.update("flex_interactions", interaction["sid"],
                                 {"channel": {"type": kind, "sid": channel["sid"]}})
    customer = _customer(s, conversation)
    if customer is not None:
        _new_participant(s, channel, "customer", conversation_participant_sid=customer["sid"],
                         media_properties=_media(customer))
    facts = _customer_facts(customer)
    added = {"conversationSid": conversation["sid"],
             "channelType": kind,
             "customerAddress": facts["address"], "from": facts["name"],
             "name": facts["name"], "customerName": facts["name"],
             "customers": {"phone" if kind == "sms" else "name":
                           facts["address"] if kind == "sms" else facts["name"],
                           "name": facts["name"]},
             "conversations": {"initiated_by": initiated_by,
                               "conversation_id": interaction["sid"],
                               "media": [{"type": "ChatTranscript",
                                          "sid": conversation["sid"]}]},
             "flexInteractionSid": interaction["sid"],
             "flexInteractionChannelSid": channel["sid"],
             "initiatedBy": initiated_by,
             "direction": "inbound" if initiated_by == "customer" else "outbound"}
    invite = _invite(s, channel, ws, routing, added, priority=priority, timeout=timeout)
    channel = s.store.update("flex_interaction_channels", channel["sid"],
                             {"status": "active", "date_updated": s.now()})
    return {"interaction": interaction, "channel": channel, "invite": invite,
            "task": s.store.get("tr_tasks", invite["task_sid"])}


def _media(participant: dict) -> dict:
    binding = participant["messaging_binding"]
    if binding:
        return {"type": binding["type"], "address": binding["address"],
                "proxy_address": binding["proxy_address"],
                "conversation_participant_sid": participant["sid"]}
    return {"type": "chat", "identity": participant["identity"],
            "conversation_participant_sid": participant["sid"]}


def _workspace(s, account_sid: str, sid: str | None) -> dict:
    if sid is None:
        instance = instance_of_account(s, account_sid)
        if instance is None:
            raise _invalid("Routing.properties.workspace_sid is required")
        sid = instance["workspace_sid"]
    try:
        return workspace_of(s, account_sid, sid)
    except TwilioError:
        raise _invalid(f"workspace_sid {sid} is not a workspace of this account") from None


def _invite(s, channel: dict, ws: dict, routing: dict, added: dict, *, priority=None,
            timeout=None, transfer_sid: str | None = None) -> dict:
    """An invite: a task for the channel, routed by ``routing`` (workflow, queue or worker)."""
    attributes = routing.get("attributes") or {}
    if isinstance(attributes, str):
        attributes = _object(attributes, "Routing.properties.attributes")
    if not isinstance(attributes, dict):
        raise _invalid("Routing.properties.attributes must be a JSON object")
    task_channel = routing.get("task_channel_unique_name") or routing.get("task_channel_sid") \
        or TASK_CHANNEL.get(channel["type"], "chat")
    try:
        task_channel_of(s, ws["sid"], task_channel)
    except TwilioError:
        raise _invalid(f"task channel {task_channel} is not a TaskChannel of the workspace") \
            from None
    invite = s.store.insert("flex_interaction_invites", {
        "sid": s.ids.sid("KG"), "account_sid": channel["account_sid"],
        "interaction_sid": channel["interaction_sid"], "channel_sid": channel["sid"],
        "task_sid": None, "transfer_sid": transfer_sid, "date_created": s.now()})
    merged = {**attributes, **{k: v for k, v in added.items() if k not in attributes
                               or k.startswith("flex") or k == "conversationSid"},
              "flexChannelInviteSid": invite["sid"]}
    target = routing.get("worker_sid") or routing.get("queue_sid")
    try:
        task = create_task(
            s, ws, attributes=json.dumps(merged), task_channel=task_channel,
            workflow_sid=None if target and not routing.get("workflow_sid")
            else routing.get("workflow_sid"),
            routing_target=target,
            priority=_int(routing.get("priority"), priority),
            timeout=_int(routing.get("timeout"), timeout))
    except TwilioError as e:
        s.store.delete("flex_interaction_invites", invite["sid"])
        raise _invalid(e.message) from None
    return s.store.update("flex_interaction_invites", invite["sid"], {"task_sid": task["sid"]})


def _int(value, default):
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _invalid(f"{value!r} is not an integer") from None


def send_conversation_to_flex(s, conversation: dict, *, workflow_sid: str | None,
                              channel: str | None, attributes: dict, priority=None,
                              timeout=None) -> dict:
    """Studio's Send to Flex for a conversation: an interaction (channel ``sms`` for an SMS
    customer, ``web`` for a chat visitor) and its task; returns the task."""
    customer = _customer(s, conversation)
    kind = "sms" if customer is not None and customer["messaging_binding"] else "web"
    ws_sid = None
    if workflow_sid:
        workflow = s.store.get("tr_workflows", workflow_sid)
        if workflow is None or workflow["account_sid"] != conversation["account_sid"]:
            raise TwilioError.invalid("workflow", f"{workflow_sid} is not a Workflow of "
                                                  "this account")
        ws_sid = workflow["workspace_sid"]
    routing = {"workspace_sid": ws_sid, "workflow_sid": workflow_sid,
               "attributes": attributes}
    if channel:
        ws = _workspace(s, conversation["account_sid"], ws_sid)
        routing["task_channel_unique_name"] = task_channel_of(s, ws["sid"], channel)["unique_name"]
    opened = _open(s, conversation, kind=kind, initiated_by="customer", routing=routing,
                   priority=priority, timeout=timeout)
    return opened["task"]


# -- look-ups ------------------------------------------------------------------------------------
def interaction_of(s, account_sid: str, sid: str) -> dict:
    record = s.store.get("flex_interactions", sid)
    if record is None or record["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return record


def update_interaction(s, interaction: dict, *, webhook_ttid: str | None) -> dict:
    return s.modify("flex_interactions", interaction,
                    {"webhook_ttid": webhook_ttid}
                    if webhook_ttid is not None and webhook_ttid != interaction["webhook_ttid"]
                    else {})


def channel_of(s, interaction: dict, sid: str) -> dict:
    record = s.store.get("flex_interaction_channels", sid)
    if record is None or record["interaction_sid"] != interaction["sid"]:
        raise TwilioError.not_found()
    return record


def list_channels(s, interaction: dict):
    return s.store.pager("flex_interaction_channels", interaction["sid"])


def list_invites(s, channel: dict):
    return s.store.pager("flex_interaction_invites", channel["sid"])


def list_participants(s, channel: dict):
    return s.store.pager("flex_interaction_participants", channel["sid"])


def participant_of(s, channel: dict, sid: str) -> dict:
    record = s.store.get("flex_interaction_participants", sid)
    if record is None or record["channel_sid"] != channel["sid"]:
        raise TwilioError.not_found()
    return record


def channel_of_task(s, task: dict) -> dict | None:
    """The interaction channel a task belongs to (from the attributes Flex gave it)."""
    try:
        attributes = json.loads(task["attributes"])
    except ValueError:
        return None
    sid = attributes.get("flexInteractionChannelSid") if isinstance(attributes, dict) else None
    return s.store.get("flex_interaction_channels", sid) if sid else None


def task_view(s, task: dict | None) -> dict | None:
    """A task as Interactions answers it in ``routing.properties`` (dates as epoch seconds)."""
    if task is None:
        return None
    workflow = s.store.get("tr_workflows", task["workflow_sid"] or "") or {}
    queue = s.store.get("tr_task_queues", task["task_queue_sid"] or "") or {}
    now = s.clock.now()

    def epoch(value):
        return int(parse_iso(value).timestamp()) if value else None
    entered = task["task_queue_entered_date"]
    return {
        "account_sid": task["account_sid"], "workspace_sid": task["workspace_sid"],
        "sid": task["sid"], "date_created": epoch(task["date_created"]),
        "date_updated": epoch(task["date_updated"]), "attributes": task["attributes"],
        "assignment_status": task["assignment_status"], "workflow_sid": task["workflow_sid"],
        "workflow_name": workflow.get("friendly_name"), "queue_sid": task["task_queue_sid"],
        "queue_name": queue.get("friendly_name"), "priority": task["priority"],
        "age": int((now - parse_iso(task["date_created"])).total_seconds()),
        "reason": task["reason"] or "", "timeout": task["timeout"],
        "assignmentCounter": len(task.get("reservation_sids", [])),
        "task_channel_sid": task["task_channel_sid"],
        "task_channel_unique_name": task["task_channel_unique_name"],
        "routing_target": task["routing_target"], "task_queue_entered_date": epoch(entered),
        "age_in_queue": int((now - parse_iso(entered)).total_seconds()) if entered else 0,
        "addons": task["addons"]}


def invite_routing(s, invite: dict) -> dict:
    return {"reservation": None,
            "properties": task_view(s, s.store.get("tr_tasks", invite["task_sid"] or ""))}


def _channel_tasks(s, channel: dict) -> list[dict]:
    found = (s.store.get("tr_tasks", i["task_sid"] or "")
             for i in s.store.owned("flex_interaction_invites", channel["sid"]))
    return [t for t in found if t is not None]


# -- the channel's end ---------------------------------------------------------------------------
def update_channel(s, channel: dict, *, status: str | None, routing=None) -> dict:
    if not status:
        raise TwilioError(45358)
    if status not in ("closed", "inactive"):
        raise TwilioError(45359, f"Status must be closed or inactive, not {status!r}")
    routing_status = _object(routing, "Routing").get("status")
    if routing_status not in (None, "closed"):
        raise TwilioError(45359, "Routing.status can only be closed")
    if status == "inactive" and routing_status != "closed":
        raise TwilioError(45359, "Status inactive needs Routing={\"status\": \"closed\"}")
    if channel["status"] in ("closed", "inactive"):
        return channel
    return close_channel(s, channel, status, complete=routing_status == "closed")


def close_channel(s, channel: dict, status: str = "closed", *, complete: bool = False) -> dict:
    """End the channel: its tasks wrap up (or complete), the waiting ones are canceled, the
    conversation closes (``inactive``: stays, inactive)."""
    channel = s.store.update("flex_interaction_channels", channel["sid"],
                             {"status": status, "date_updated": s.now()})
    for task in _channel_tasks(s, channel):
        _end_task(s, task, complete=complete or status == "inactive")
    conversation = find_conversation(s, channel["media_channel_sid"] or "")
    if conversation is not None and conversation["state"] != "closed":
        set_state(s, conversation, "closed" if status == "closed" else "inactive")
    return channel


def _end_task(s, task: dict, *, complete: bool):
    status = task["assignment_status"]
    if status in ("pending", "reserved"):
        update_task(s, task, assignment_status="canceled", reason=CLOSED_REASON)
    elif status == "assigned" and not complete:
        update_task(s, task, assignment_status="wrapping")
    elif status in ("assigned", "wrapping") and complete:
        update_task(s, task, assignment_status="completed", reason=CLOSED_REASON)


def _conversation_closed(s, conversation: dict):
    """A conversation closed by itself (its timer, an update): its open channels close too."""
    for channel in s.store.find("flex_interaction_channels",
                                lambda c: c["media_channel_sid"] == conversation["sid"]
                                and c["status"] not in ("closed", "inactive", "failed")):
        close_channel(s, channel, "closed")


# -- participants --------------------------------------------------------------------------------
def _new_participant(s, channel: dict, kind: str, *, conversation_participant_sid=None,
                     media_properties=None, routing_properties=None) -> dict:
    return s.store.insert("flex_interaction_participants", {
        "sid": s.ids.sid("UT"), "account_sid": channel["account_sid"],
        "interaction_sid": channel["interaction_sid"], "channel_sid": channel["sid"],
        "type": kind, "status": "active", "media_properties": media_properties or {},
        "routing_properties": routing_properties,
        "conversation_participant_sid": conversation_participant_sid,
        "date_created": s.now()})


def add_participant(s, channel: dict, *, kind: str, media_properties,
                    routing_properties=None) -> dict:
    """A customer or external party (``MediaProperties``: ``address`` + ``proxy_address``, or
    ``identity``), or an agent/supervisor joining by ``identity`` (or the worker named by
    ``RoutingProperties.worker_sid``)."""
    if kind not in PARTICIPANT_TYPES:
        raise TwilioError(45367, f"Type must be one of {', '.join(PARTICIPANT_TYPES)}")
    media = _object(media_properties, "MediaProperties")
    routing_props = _object(routing_properties, "RoutingProperties") or None
    if channel["status"] in ("closed", "inactive"):
        raise TwilioError(45376)
    conversation = find_conversation(s, channel["media_channel_sid"] or "")
    if conversation is None or conversation["state"] == "closed":
        raise TwilioError(45376)
    identity = media.get("identity")
    if identity is None and kind in ("agent", "supervisor") and routing_props:
        worker = s.store.get("tr_workers", routing_props.get("worker_sid") or "")
        identity = worker_identity(worker) if worker else None
    try:
        if media.get("address"):
            joined = add_conversation_participant(
                s, conversation, address=media["address"],
                proxy_address=media.get("proxy_address"))
        elif identity:
            joined = participant_by_identity(s, conversation["sid"], identity) or \
                add_conversation_participant(s, conversation, identity=identity,
                                             attributes=json.dumps({"member_type": kind}))
        else:
            raise TwilioError(45367, "MediaProperties needs an address or an identity")
    except TwilioError as e:
        if e.code == 45367:
            raise
        raise TwilioError(45367, f"{TwilioError(45367).message} {e.message}") from None
    return _new_participant(s, channel, kind, conversation_participant_sid=joined["sid"],
                            media_properties=_media(joined), routing_properties=routing_props)


def update_participant(s, participant: dict, status: str | None) -> dict:
    """``wrapup``: the agent leaves the conversation, its task wraps up; ``closed``: it leaves
    and its task completes. The conversation stays open."""
    if status not in ("closed", "wrapup"):
        raise TwilioError(45367, "Status must be closed or wrapup")
    task = s.store.get("tr_tasks", (participant["routing_properties"] or {}).get("task_sid", ""))
    if task is not None:
        if task["assignment_status"] == "assigned":
            task = update_task(s, task, assignment_status="wrapping")
        if status == "closed" and task["assignment_status"] == "wrapping":
            update_task(s, task, assignment_status="completed", reason=CLOSED_REASON)
        elif task["assignment_status"] in ("pending", "reserved"):
            update_task(s, task, assignment_status="canceled", reason=CLOSED_REASON)
    _leave(s, participant)
    return s.store.update("flex_interaction_participants", participant["sid"],
                          {"status": status})


def _leave(s, participant: dict):
    channel = s.store.get("flex_interaction_channels", participant["channel_sid"]) or {}
    conversation = find_conversation(s, channel.get("media_channel_sid") or "")
    joined = s.store.get("conv_participants", participant["conversation_participant_sid"] or "")
    if conversation is not None and joined is not None:
        remove_participant(s, conversation, joined)


def worker_identity(worker: dict) -> str:
    """A worker's Flex identity (its ``contact_uri`` without ``client:``)."""
    try:
        contact = json.loads(worker["attributes"]).get("contact_uri") or ""
    except ValueError:
        contact = ""
    return contact[len("client:"):] if contact.startswith("client:") else worker["friendly_name"]


# -- invites and transfers -----------------------------------------------------------------------
def _base_attributes(s, channel: dict) -> dict:
    """The attributes of the channel's first task (what another invite starts from)."""
    first = s.store.owned("flex_interaction_invites", channel["sid"], limit=1)
    task = s.store.get("tr_tasks", first[0]["task_sid"] or "") if first else None
    try:
        attributes = json.loads(task["attributes"]) if task else {}
    except ValueError:
        attributes = {}
    attributes.pop("flexChannelInviteSid", None)
    return attributes


def create_invite(s, channel: dict, routing, *, transfer_sid: str | None = None) -> dict:
    """Route the channel to one more agent: a new task (``Routing.properties``: workspace,
    workflow, queue or worker, task channel, attributes)."""
    if channel["status"] in ("closed", "inactive"):
        raise TwilioError(45354)
    props = _object(_object(routing, "Routing").get("properties"), "Routing.properties")
    ws = _workspace(s, channel["account_sid"], props.get("workspace_sid")
                    or channel.get("workspace_sid"))
    if "task_channel_unique_name" not in props and "task_channel_sid" not in props:
        first = _channel_tasks(s, channel)
        if first:
            props = {**props, "task_channel_unique_name": first[0]["task_channel_unique_name"]}
    return _invite(s, channel, ws, props, _base_attributes(s, channel), transfer_sid=transfer_sid)


def create_transfer(s, channel: dict, body: dict) -> dict:
    """A transfer ``{"from": UT (an agent participant), "to": WK | WQ | WW, "type": "cold" |
    "warm"}``: an invite to ``to``; ``completed`` when its reservation is accepted (a cold
    transfer then wraps the transferring agent's task and takes them out of the
    conversation), ``failed`` when its task is canceled."""
    body = _object(body, "body")
    kind = body.get("type") or "cold"
    if kind not in ("cold", "warm"):
        raise _invalid("type must be cold or warm")
    source = s.store.get("flex_interaction_participants", body.get("from") or "")
    if source is None or source["channel_sid"] != channel["sid"] or source["type"] != "agent":
        raise _invalid("from must be an agent participant of the channel")
    target = body.get("to") or ""
    key = {"WK": "worker_sid", "WQ": "queue_sid", "WW": "workflow_sid"}.get(target[:2])
    if key is None:
        raise _invalid("to must be a Worker, TaskQueue or Workflow SID")
    instance = instance_of_account(s, channel["account_sid"])
    now = s.now()
    transfer = s.store.insert("flex_interaction_transfers", {
        "sid": s.ids.sid("UX"), "account_sid": channel["account_sid"],
        "instance_sid": instance["sid"] if instance else None,
        "interaction_sid": channel["interaction_sid"], "channel_sid": channel["sid"],
        "execution_sid": None, "type": kind, "status": "active", "from": source["sid"],
        "to": target, "note_sid": None, "summary_sid": None, "invite_sid": None,
        "date_created": now, "date_updated": now})
    try:
        invite = create_invite(s, channel, {"properties": {key: target}},
                               transfer_sid=transfer["sid"])
    except TwilioError:
        s.store.delete("flex_interaction_transfers", transfer["sid"])
        raise
    return s.store.update("flex_interaction_transfers", transfer["sid"],
                          {"invite_sid": invite["sid"]})


def transfer_of(s, channel: dict, sid: str) -> dict:
    record = s.store.get("flex_interaction_transfers", sid)
    if record is None or record["channel_sid"] != channel["sid"]:
        raise TwilioError.not_found()
    return record


def update_transfer(s, transfer: dict, body: dict) -> dict:
    """``{"status": "failed"}`` gives up an active transfer (its task is canceled)."""
    status = _object(body, "body").get("status")
    if status is None:
        return transfer
    if status != "failed" or transfer["status"] != "active":
        raise _invalid("only an active transfer can be set failed")
    invite = s.store.get("flex_interaction_invites", transfer["invite_sid"] or "") or {}
    task = s.store.get("tr_tasks", invite.get("task_sid") or "")
    if task is not None and task["assignment_status"] in ("pending", "reserved"):
        update_task(s, task, assignment_status="canceled", reason="Transfer canceled")
    return s.store.update("flex_interaction_transfers", transfer["sid"],
                          {"status": "failed", "date_updated": s.now()})


# -- what TaskRouter tells us --------------------------------------------------------------------
def _accepted(s, event: dict):
    """A reservation of an interaction task accepted: the worker joins the channel (an
    ``agent`` participant) and the conversation."""
    data = event["event_data"]
    task = s.store.get("tr_tasks", data.get("task_sid") or "")
    worker = s.store.get("tr_workers", data.get("worker_sid") or "")
    channel = channel_of_task(s, task) if task else None
    if channel is None or worker is None:
        return
    conversation = find_conversation(s, channel["media_channel_sid"] or "")
    joined = None
    if conversation is not None and conversation["state"] != "closed":
        identity = worker_identity(worker)
        joined = participant_by_identity(s, conversation["sid"], identity) or \
            add_conversation_participant(s, conversation, identity=identity,
                                         attributes=json.dumps({"member_type": "agent"}))
    _new_participant(s, channel, "agent",
                     conversation_participant_sid=joined["sid"] if joined else None,
                     media_properties=_media(joined) if joined else {},
                     routing_properties={"task_sid": task["sid"], "worker_sid": worker["sid"],
                                         "reservation_sid": data.get("reservation_sid")})
    invite = s.store.get("flex_interaction_invites",
                         json.loads(task["attributes"]).get("flexChannelInviteSid") or "")
    transfer = s.store.get("flex_interaction_transfers", (invite or {}).get("transfer_sid")
                           or "")
    if transfer is not None and transfer["status"] == "active":
        s.store.update("flex_interaction_transfers", transfer["sid"],
                       {"status": "completed", "date_updated": s.now()})
        source = s.store.get("flex_interaction_participants", transfer["from"])
        if transfer["type"] == "cold" and source is not None and source["status"] == "active":
            update_participant(s, source, "wrapup")


def _canceled(s, event: dict):
    """A transfer whose task was canceled has failed."""
    task = s.store.get("tr_tasks", event["event_data"].get("task_sid") or "")
    if task is None:
        return
    try:
        invite_sid = json.loads(task["attributes"]).get("flexChannelInviteSid")
    except ValueError:
        return
    invite = s.store.get("flex_interaction_invites", invite_sid or "")
    transfer = s.store.get("flex_interaction_transfers", (invite or {}).get("transfer_sid")
                           or "")
    if transfer is not None and transfer["status"] == "active":
        s.store.update("flex_interaction_transfers", transfer["sid"],
                       {"status": "failed", "date_updated": s.now()})


on_taskrouter("reservation.accepted", _accepted)
on_taskrouter("task.canceled", _canceled)
on_conversation("closed", _conversation_closed)
