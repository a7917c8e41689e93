"""Served over a socket with the clock in real time (as `twilio-sim serve` runs), message
statuses move and callbacks are delivered without any request to the simulator."""
import time

from simulator.testing import SimulatorHandle


def test_real_time_progression_without_polling(live_server, _http_receiver):
    receiver = _http_receiver
    receiver.reset()
    handle = SimulatorHandle(live_server.base_url)
    handle.reset()
    handle.real_time()
    client = handle.client()
    local = next(n for n in client.incoming_phone_numbers.list() if n.type == "local")
    m = client.messages.create(to="+14155550199", from_=local.phone_number, body="live",
                               status_callback=receiver.url("/rt"))
    deadline = time.monotonic() + 10
    while len(receiver.at("/rt")) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)           # no request to the simulator: its ticker does the work
    assert [r["form"]["MessageStatus"] for r in receiver.at("/rt")] == ["sending", "sent",
                                                                        "delivered"]
    assert all(receiver.valid(r, handle.auth_token) for r in receiver.at("/rt"))
    assert client.messages(m.sid).fetch().status == "delivered"
