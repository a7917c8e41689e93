"""Studio flows (FW...) and the one widget the simulator runs: Send to Flex.

Flows are records with a JSON ``definition`` (``states``, ``initial_state``), a ``revision``
(each update is a new revision, kept for ``/Revisions``) and a ``webhook_url``
(``https://webhooks.twilio.com/v1/Accounts/{AC}/Flows/{FW}``), which a number's voice or SMS
URL or a conversation's ``studio`` webhook points at.

A run starts at the trigger's transition for the event (``incomingConversationMessage``,
``incomingCall``) and follows transitions. ``send-to-flex`` hands the conversation (or the
call) to Flex: its ``attributes`` (a template: ``{{trigger.conversation.Author}}``,
``{{trigger.call.From}}`` ... are replaced, JSON-escaped) become the task's, with its
``workflow``, ``channel``, ``priority`` and ``timeout``; then ``callComplete`` (or
``failedToEnqueue``) is followed. A conversation handed over loses its studio webhook, so
later messages stay with the agent. Other widget types end the run (the simulator does not
execute them).
"""
from __future__ import annotations

import json
import logging
import re

from ..errors import TwilioError
from .conversations.hooks import subscribe
from .conversations.participants import participant_by_address, participant_by_identity
from .conversations.webhooks import remove_studio_webhooks
from .flex.interactions import send_conversation_to_flex
from .flex.voice import enqueue_call

log = logging.getLogger("twilio_sim")
WEBHOOK_URL = "https://webhooks.twilio.com/v1/Accounts/{}/Flows/{}"
_WEBHOOK = re.compile(r"^https?://webhooks\.twilio\.com/v1/Accounts/(AC[0-9a-f]{32})/Flows/"
                      r"(FW[0-9a-f]{32})/?$")
_PLACEHOLDER = re.compile(r"\{\{\s*([\w.\-]+)\s*\}\}")
MAX_STEPS = 50
TRIGGER_EVENTS = ("incomingMessage", "incomingCall", "incomingConversationMessage",
                  "incomingRequest", "incomingParent")


# -- the three flows a Flex account comes with ---------------------------------------------------
def _trigger(next_by_event: dict) -> dict:
    return {"name": "Trigger", "type": "trigger",
            "transitions": [{"event": e, **({"next": next_by_event[e]} if e in next_by_event
                                            else {})} for e in TRIGGER_EVENTS],
            "properties": {"offset": {"x": 0, "y": 0}}}


def _send_to_flex(name: str, workflow_sid: str, channel_sid: str, attributes: dict) -> dict:
    return {"name": name, "type": "send-to-flex",
            "transitions": [{"event": "callComplete"}, {"event": "failedToEnqueue"},
                            {"event": "callFailure"}],
            "properties": {"offset": {"x": 20, "y": 370}, "workflow": workflow_sid,
                           "channel": channel_sid,
                           "attributes": json.dumps(attributes)}}


def flex_flow_definition(name: str, workflow_sid: str, channels: dict) -> dict:
    """The definition of a Flex account's "Messaging Flow", "Webchat Flow" or "Voice IVR"
    (``channels``: task channel unique name -> TC SID)."""
    if name == "Voice IVR":
        widget = _send_to_flex("SendCallToAgent", workflow_sid, channels["voice"],
                               {"type": "inbound", "name": "{{trigger.call.From}}"})
        event = "incomingCall"
    else:
        channel = channels["chat" if name == "Webchat Flow" else "sms"]
        widget = _send_to_flex("SendConversationToAgent", workflow_sid, channel,
                               {"name": "{{trigger.conversation.ChannelAttributes.from}}",
                                "channelType":
                                    "{{trigger.conversation.ChannelAttributes.channel_type}}"})
        event = "incomingConversationMessage"
    return {"description": name, "states": [_trigger({event: widget["name"]}), widget],
            "initial_state": "Trigger", "flags": {"allow_concurrent_calls": True}}


# -- flows -----------------------------------------------------------------------------------
def webhook_url(flow: dict) -> str:
    return WEBHOOK_URL.format(flow["account_sid"], flow["sid"])


def flow_for_url(s, account_sid: str, url: str | None) -> dict | None:
    """The account's flow a number's webhook URL points at, if it is a Studio flow's."""
    m = _WEBHOOK.match(url or "")
    if not m or m.group(1) != account_sid:
        return None
    flow = s.store.get("studio_flows", m.group(2))
    return flow if flow is not None and flow["account_sid"] == account_sid else None


def _check_definition(definition) -> dict:
    if not isinstance(definition, dict) or not isinstance(definition.get("states"), list) \
            or not definition.get("initial_state"):
        raise TwilioError.invalid("Definition", "must be a JSON object with states and "
                                                "initial_state")
    names = {st.get("name") for st in definition["states"] if isinstance(st, dict)}
    if definition["initial_state"] not in names:
        raise TwilioError.invalid("Definition", "initial_state names no state")
    return definition


def new_flow(s, account_sid: str, *, friendly_name: str, definition: dict,
             status: str = "published", commit_message: str | None = None,
             sid: str | None = None) -> dict:
    _check_definition(definition)
    now = s.now()
    flow = s.store.insert("studio_flows", {
        "sid": sid or s.ids.sid("FW"), "account_sid": account_sid,
        "friendly_name": friendly_name, "status": status, "definition": definition,
        "revision": 1, "commit_message": commit_message, "author_sid": None,
        "date_created": now, "date_updated": None})
    _revision(s, flow)
    return flow


def _revision(s, flow: dict):
    s.store.insert("studio_flow_revisions", {
        "sid": s.ids.sid("FR"), "flow_sid": flow["sid"], "account_sid": flow["account_sid"],
        "revision": flow["revision"], "friendly_name": flow["friendly_name"],
        "definition": flow["definition"], "status": flow["status"],
        "commit_message": flow["commit_message"], "author_sid": flow["author_sid"],
        "date_created": flow["date_created"], "date_updated": flow["date_updated"]})


def flow_of(s, account_sid: str, sid: str) -> dict:
    flow = s.store.get("studio_flows", sid)
    if flow is None or flow["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return flow


def list_flows(s, account_sid: str):
    return s.store.pager("studio_flows", account_sid)


def update_flow(s, flow: dict, *, status: str, friendly_name: str | None = None,
                definition: dict | None = None, commit_message: str | None = None) -> dict:
    """A new revision of the flow."""
    if definition is not None:
        _check_definition(definition)
    now = s.now()
    flow = s.store.update("studio_flows", flow["sid"], {
        "status": status, "friendly_name": friendly_name or flow["friendly_name"],
        "definition": definition if definition is not None else flow["definition"],
        "commit_message": commit_message, "revision": flow["revision"] + 1,
        "date_updated": now})
    _revision(s, flow)
    return flow


def delete_flow(s, flow: dict):
    for revision in s.store.owned("studio_flow_revisions", flow["sid"]):
        s.store.delete("studio_flow_revisions", revision["sid"])
    s.store.delete("studio_flows", flow["sid"])


def revisions_of(s, flow: dict) -> list[dict]:
    """Newest first."""
    return s.store.owned("studio_flow_revisions", flow["sid"], newest_first=True)


def revision_of(s, flow: dict, revision: str) -> dict:
    """A revision by number, or ``LatestPublished`` / ``LatestRevision``."""
    found = revisions_of(s, flow)
    if revision == "LatestRevision":
        found = found[:1]
    elif revision == "LatestPublished":
        found = [r for r in found if r["status"] == "published"][:1]
    else:
        found = [r for r in found if str(r["revision"]) == revision]
    if not found:
        raise TwilioError.not_found()
    return found[0]


# -- running a flow --------------------------------------------------------------------------------
def render(template: str, context: dict) -> str:
    """``{{a.b.c}}`` replaced by that value of ``context`` (JSON-escaped; missing: empty)."""
    def value(m):
        node = context
        for part in m.group(1).split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return ""
        if isinstance(node, (dict, list)):
            node = json.dumps(node)
        return json.dumps(str(node))[1:-1]
    return _PLACEHOLDER.sub(value, template or "")


def run(s, flow: dict, event: str, context: dict, *, conversation: dict | None = None,
        call: dict | None = None) -> dict | None:
    """Run ``flow`` from its trigger's ``event`` transition; returns what Send to Flex made
    (``{"widget", "task"}``) or None."""
    states = {st.get("name"): st for st in (flow.get("definition") or {}).get("states", [])}
    state = states.get((flow.get("definition") or {}).get("initial_state"))
    outcome = None
    for _ in range(MAX_STEPS):
        if state is None:
            return outcome
        if state.get("type") == "trigger":
            transition = event
        elif state.get("type") == "send-to-flex":
            try:
                outcome = {"widget": state["name"],
                           "task": _send_to_flex_widget(s, flow, state, context,
                                                        conversation=conversation, call=call)}
                transition = "callComplete"
            except TwilioError as e:
                log.info("Studio flow %s: Send to Flex failed: %s", flow["sid"], e)
                transition = "failedToEnqueue"
        else:
            log.info("Studio flow %s: widget type %r is not simulated; the run ends",
                     flow["sid"], state.get("type"))
            return outcome
        nxt = next((t.get("next") for t in state.get("transitions", [])
                    if t.get("event") == transition), None)
        state = states.get(nxt) if nxt else None
    return outcome


def _send_to_flex_widget(s, flow: dict, state: dict, context: dict, *, conversation, call):
    props = state.get("properties") or {}
    try:
        attributes = json.loads(render(props.get("attributes") or "{}", context) or "{}")
    except (ValueError, RecursionError):
        raise TwilioError.invalid("attributes", "the widget's attributes are not JSON") from None
    if not isinstance(attributes, dict):
        raise TwilioError.invalid("attributes", "the widget's attributes are not an object")
    priority = _number(render(str(props.get("priority") or ""), context))
    timeout = _number(render(str(props.get("timeout") or ""), context))
    if conversation is not None:
        task = send_conversation_to_flex(
            s, conversation, workflow_sid=props.get("workflow"), channel=props.get("channel"),
            attributes=attributes, priority=priority, timeout=timeout)
        remove_studio_webhooks(s, conversation["sid"], flow["sid"])
        return task
    if call is not None:
        return enqueue_call(s, call, workflow_sid=props.get("workflow"), attributes=attributes,
                            priority=priority, timeout=timeout)
    raise TwilioError.invalid("trigger", "Send to Flex needs a conversation or a call")


def _number(value: str) -> int | None:
    try:
        return int(value) if value.strip() else None
    except ValueError:
        return None


def conversation_context(s, conversation: dict, message: dict) -> dict:
    """What ``trigger.conversation.*`` holds for a message added."""
    author = participant_by_identity(s, conversation["sid"], message["author"] or "") \
        or participant_by_address(s, conversation["sid"], message["author"] or "")
    binding = (author or {}).get("messaging_binding") or {}
    try:
        conv_attrs = json.loads(conversation["attributes"] or "{}")
        author_attrs = json.loads((author or {}).get("attributes") or "{}")
    except ValueError:
        conv_attrs, author_attrs = {}, {}
    channel_attributes = {
        **(conv_attrs if isinstance(conv_attrs, dict) else {}),
        "from": (author_attrs.get("friendlyName") if isinstance(author_attrs, dict) else None)
        or binding.get("address") or message["author"],
        "channel_type": binding.get("type") or "web"}
    return {"trigger": {"conversation": {
        "ConversationSid": conversation["sid"], "MessageSid": message["sid"],
        "Body": message["body"], "Author": message["author"],
        "ParticipantSid": message["participant_sid"], "Source": message["source"],
        "ChatServiceSid": conversation["chat_service_sid"],
        "AccountSid": conversation["account_sid"],
        "MessagingServiceSid": conversation.get("messaging_service_sid"),
        "Index": message["index"], "DateCreated": message["date_created"],
        "Attributes": message["attributes"], "ChannelAttributes": channel_attributes}}}


def _on_conversation_message(s, conversation: dict, webhook: dict, message: dict):
    """A conversation's ``studio`` webhook: run its flow for the message."""
    flow = s.store.get("studio_flows", webhook["configuration"].get("flow_sid") or "")
    if flow is None:
        return
    context = conversation_context(s, conversation, message)
    context["flow"] = {"flow_sid": flow["sid"]}
    run(s, flow, "incomingConversationMessage", context, conversation=conversation)


def call_context(call: dict, flow: dict) -> dict:
    """What ``trigger.call.*`` holds for an incoming call."""
    return {"trigger": {"call": {"CallSid": call["sid"], "From": call["from"], "To": call["to"],
                                 "Caller": call["from"], "Called": call["to"],
                                 "AccountSid": call["account_sid"], "Direction": "inbound",
                                 "CallStatus": call["status"]}},
            "flow": {"flow_sid": flow["sid"]}}


subscribe("studio", _on_conversation_message)
