"""Calls, minimal: create, lifecycle on the clock with signed callbacks, update, list."""
import pytest
from twilio.base.exceptions import TwilioRestException

from messaging_fixtures import numbers

TO = "+14155550199"


def _code(fn):
    with pytest.raises(TwilioRestException) as e:
        fn()
    return e.value.code


def test_call_lifecycle_and_callbacks(sim, client, frozen, receiver):
    local, _ = numbers(client)
    call = client.calls.create(to=TO, from_=local.phone_number, url=receiver.url("/voice"),
                               status_callback=receiver.url("/call-status"),
                               status_callback_event=["initiated", "ringing", "answered",
                                                      "completed"])
    assert call.sid.startswith("CA") and call.status == "queued"
    assert call.phone_number_sid == local.sid and call.direction == "outbound-api"
    sim.advance(1)
    assert client.calls(call.sid).fetch().status == "ringing"
    sim.advance(2)
    answered = client.calls(call.sid).fetch()
    assert answered.status == "in-progress" and answered.start_time is not None
    assert receiver.at("/voice")[0]["form"]["CallSid"] == call.sid
    assert receiver.valid(receiver.at("/voice")[0], sim.auth_token)
    sim.advance(5)
    done = client.calls(call.sid).fetch()
    assert (done.status, done.duration) == ("completed", "5")
    events = receiver.at("/call-status")
    assert [e["form"]["CallStatus"] for e in events] == ["queued", "ringing", "in-progress",
                                                         "completed"]
    assert [e["form"]["SequenceNumber"] for e in events] == ["0", "1", "2", "3"]
    assert events[-1]["form"]["CallDuration"] == "5"
    assert all(receiver.valid(e, sim.auth_token) for e in events)


def test_default_callback_is_completed_only(sim, client, frozen, receiver):
    local, _ = numbers(client)
    client.calls.create(to=TO, from_=local.phone_number, twiml="<Response><Say>Hi</Say></Response>",
                        status_callback=receiver.url("/done"))
    sim.advance(20)
    assert [e["form"]["CallStatus"] for e in receiver.at("/done")] == ["completed"]


def test_update_hang_up_and_cancel(sim, client, frozen):
    local, _ = numbers(client)
    ringing = client.calls.create(to=TO, from_=local.phone_number, url="https://example.com/v")
    assert client.calls(ringing.sid).update(status="canceled").status == "canceled"
    live = client.calls.create(to=TO, from_=local.phone_number, url="https://example.com/v")
    sim.advance(4)
    assert _code(lambda: client.calls(live.sid).update(status="canceled")) == 21220
    ended = client.calls(live.sid).update(status="completed")
    assert ended.status == "completed" and ended.duration == "1"
    sim.advance(60)
    assert client.calls(live.sid).fetch().status == "completed"
    assert _code(lambda: client.calls(live.sid).update(status="busy")) == 20422
    assert client.calls(live.sid).delete() is True


def test_validation(client):
    local, _ = numbers(client)
    assert _code(lambda: client.calls.create(to="", from_=local.phone_number,
                                             url="https://example.com")) == 21201
    assert _code(lambda: client.calls.create(to=TO, from_="", url="https://example.com")) == 21213
    assert _code(lambda: client.calls.create(to=TO, from_=local.phone_number)) == 21205
    assert _code(lambda: client.calls.create(to=TO, from_=local.phone_number,
                                             url="notaurl")) == 21205
    assert _code(lambda: client.calls.create(to="12", from_=local.phone_number,
                                             url="https://example.com")) == 21211
    assert _code(lambda: client.calls.create(to=TO, from_="+12125550111",
                                             url="https://example.com")) == 21210
    assert client.calls.list() == []


def test_list_and_filters(sim, client, frozen):
    local, toll_free = numbers(client)
    a = client.calls.create(to=TO, from_=local.phone_number, url="https://example.com/v")
    b = client.calls.create(to="+13125550142", from_=toll_free.phone_number,
                            url="https://example.com/v")
    assert [c.sid for c in client.calls.list()] == [b.sid, a.sid]
    assert [c.sid for c in client.calls.list(to=TO)] == [a.sid]
    assert [c.sid for c in client.calls.list(from_=toll_free.phone_number)] == [b.sid]
    sim.advance(20)
    assert len(client.calls.list(status="completed")) == 2
    assert client.calls.list(status="queued") == []
