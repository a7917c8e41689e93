"""A customer calls the seeded Owl Contact Center: the Voice IVR's Send to Flex enqueues the
call (a ``voice`` task), the agent accepts (the ``conference`` instruction: the agent's call
joins the caller in a conference named by the task), and the caller's hang-up moves the task
to wrapping."""
import json

from owl import CUSTOMER, FLEX_NUMBER, OWL_SID, OWL_TOKEN, available_agent, desk, identity, press


def _call(sim, sender=CUSTOMER):
    return sim.control("POST", "calls/inbound", {"From": sender, "To": FLEX_NUMBER})


def test_a_call_reaches_an_agent_and_the_hang_up_wraps_the_task(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    agent = available_agent(sim, api)
    ws = owl.taskrouter.v1.workspaces(agent["workspace_sid"])

    placed = _call(sim)
    call_sid, task_sid = placed["call"]["sid"], placed["task_sid"]
    assert placed["call"]["status"] == "in-progress" and task_sid
    call = owl.calls(call_sid).fetch()
    assert call.direction == "inbound" and call._from == CUSTOMER and call.to == FLEX_NUMBER
    task = ws.tasks(task_sid).fetch()
    assert task.task_channel_unique_name == "voice" and task.assignment_status == "reserved"
    attributes = json.loads(task.attributes)
    assert attributes["type"] == "inbound" and attributes["name"] == CUSTOMER
    assert attributes["call_sid"] == call_sid and attributes["from"] == CUSTOMER
    assert attributes["to"] == FLEX_NUMBER and attributes["direction"] == "inbound"

    [offer] = desk(api, agent)
    assert offer["task_sid"] == task_sid and offer["call"]["sid"] == call_sid
    press(api, agent, offer["reservation_sid"], "accept")   # the conference instruction
    task = ws.tasks(task_sid).fetch()
    assert task.assignment_status == "assigned"
    room = json.loads(task.attributes)["conference"]
    assert room["participants"]["customer"] == call_sid
    worker_call = owl.calls(room["participants"]["worker"]).fetch()
    assert worker_call.to == f"client:{identity(agent['email'])}"
    sim.advance(3)
    assert owl.calls(worker_call.sid).fetch().status == "in-progress"
    assert owl.calls(call_sid).fetch().status == "in-progress"
    [active] = desk(api, agent)
    assert active["call"]["conference_sid"] == room["sid"]

    owl.calls(call_sid).update(status="completed")   # the caller hangs up
    assert ws.tasks(task_sid).fetch().assignment_status == "wrapping"
    assert owl.calls(worker_call.sid).fetch().status == "completed"
    press(api, agent, offer["reservation_sid"], "complete")
    assert ws.tasks(task_sid).fetch().assignment_status == "completed"


def test_the_rest_conference_instruction_connects_the_agent(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    agent = available_agent(sim, api)
    ws = owl.taskrouter.v1.workspaces(agent["workspace_sid"])
    placed = _call(sim)
    [reservation] = ws.tasks(placed["task_sid"]).reservations.list()
    ws.tasks(placed["task_sid"]).reservations(reservation.sid).update(
        instruction="conference", from_=FLEX_NUMBER)
    assert ws.tasks(placed["task_sid"]).fetch().assignment_status == "assigned"
    sim.control("POST", f"calls/{placed['call']['sid']}/hangup")
    assert ws.tasks(placed["task_sid"]).fetch().assignment_status == "wrapping"


def test_a_caller_who_hangs_up_in_the_queue_cancels_the_task(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    info = sim.control("GET", "flex/accounts")["flex_accounts"]
    ws_sid = next(a["workspace_sid"] for a in info if a["account_sid"] == OWL_SID)
    placed = _call(sim)   # nobody is available: the task waits
    ws = owl.taskrouter.v1.workspaces(ws_sid)
    assert ws.tasks(placed["task_sid"]).fetch().assignment_status == "pending"
    hung = sim.control("POST", f"calls/{placed['call']['sid']}/hangup")["call"]
    assert hung["status"] == "completed"
    task = ws.tasks(placed["task_sid"]).fetch()
    assert task.assignment_status == "canceled" and task.reason == "hangup"


def test_the_agent_desktop_wrap_up_hangs_up_the_call(sim, api):
    sim.freeze()
    owl = sim.client(OWL_SID, OWL_TOKEN)
    agent = available_agent(sim, api)
    placed = _call(sim)
    [offer] = desk(api, agent)
    press(api, agent, offer["reservation_sid"], "accept")
    assert press(api, agent, offer["reservation_sid"], "wrap")["reservation_status"] == "wrapping"
    assert owl.calls(placed["call"]["sid"]).fetch().status == "completed"
