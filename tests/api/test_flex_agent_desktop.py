"""The Agent Desktop: a task routed by TaskRouter reaches the agent's desk, and the agent's
accept, wrap-up and complete buttons move the reservation and the task as the REST API would."""


def _workspace(sim, cc):
    client = sim.client(cc["account_sid"], cc["auth_token"])
    return client.taskrouter.v1.workspaces(cc["workspace_sid"])


def _desk(api, cc):
    return api.ok("GET", "/flex/agent-desktop", token=cc["agent"])


def test_a_task_reaches_the_available_agent_who_accepts_wraps_and_completes(sim, api, cc):
    ws = _workspace(sim, cc)
    assert _desk(api, cc)["tasks"] == []
    api.ok("POST", "/flex/agent-desktop/activity", token=cc["agent"], body={"friendly_name": "Available"})
    task = ws.tasks.create(attributes='{"name": "Ann", "channelType": "web"}', task_channel="chat")

    [incoming] = _desk(api, cc)["tasks"]
    assert incoming["task_sid"] == task.sid and incoming["reservation_status"] == "pending"
    assert incoming["attributes"] == {"name": "Ann", "channelType": "web"}
    assert incoming["task_channel"] == "chat"
    assert ws.tasks(task.sid).fetch().assignment_status == "reserved"

    sid = incoming["reservation_sid"]
    for action, reservation, task_status in (("accept", "accepted", "assigned"),
                                             ("wrap", "wrapping", "wrapping"),
                                             ("complete", "completed", "completed")):
        answer = api.ok("POST", f"/flex/agent-desktop/reservations/{sid}", token=cc["agent"],
                        body={"action": action})
        assert answer == {"reservation_sid": sid, "reservation_status": reservation}
        assert ws.tasks(task.sid).reservations(sid).fetch().reservation_status == reservation
        assert ws.tasks(task.sid).fetch().assignment_status == task_status
    assert _desk(api, cc)["tasks"] == []


def test_only_the_agents_own_reservations_can_be_answered(sim, api, cc):
    ws = _workspace(sim, cc)
    api.ok("POST", "/flex/agent-desktop/activity", token=cc["agent"], body={"friendly_name": "Available"})
    task = ws.tasks.create(attributes="{}", task_channel="chat")
    [incoming] = _desk(api, cc)["tasks"]
    sid = incoming["reservation_sid"]

    status, err = api.call("POST", f"/flex/agent-desktop/reservations/{sid}",
                           token=cc["supervisor"], body={"action": "accept"})
    assert status == 404 and err["code"] == 20404
    status, err = api.call("POST", f"/flex/agent-desktop/reservations/{sid}", token=cc["agent"],
                           body={"action": "dance"})
    assert status == 400 and err["code"] == 20422
    status, err = api.call("POST", f"/flex/agent-desktop/reservations/{sid}", token=cc["agent"],
                           body={"action": "complete"})   # not accepted yet: Twilio's 400
    assert status == 400 and err["code"] == 20001
    assert ws.tasks(task.sid).reservations(sid).fetch().reservation_status == "pending"

    api.ok("POST", f"/flex/agent-desktop/reservations/{sid}", token=cc["agent"], body={"action": "reject"})
    assert ws.tasks(task.sid).reservations(sid).fetch().reservation_status == "rejected"


def test_an_offline_agent_gets_nothing(sim, api, cc):
    ws = _workspace(sim, cc)
    task = ws.tasks.create(attributes="{}", task_channel="chat")
    assert _desk(api, cc)["tasks"] == []
    assert ws.tasks(task.sid).fetch().assignment_status == "pending"


def test_queue_stats_count_waiting_and_active_tasks(sim, api, cc):
    ws = _workspace(sim, cc)

    def everyone():
        [queue] = api.ok("GET", "/flex/queue-stats", token=cc["supervisor"])["queues"]
        return queue

    assert (everyone()["tasks_waiting"], everyone()["active_tasks"]) == (0, 0)
    api.ok("POST", "/flex/agent-desktop/activity", token=cc["agent"], body={"friendly_name": "Available"})
    first = ws.tasks.create(attributes="{}", task_channel="voice")    # the agent's one voice slot
    ws.tasks.create(attributes="{}", task_channel="voice")            # waits
    assert (everyone()["tasks_waiting"], everyone()["active_tasks"]) == (2, 0)
    [incoming] = _desk(api, cc)["tasks"]
    assert incoming["task_sid"] == first.sid
    api.ok("POST", f"/flex/agent-desktop/reservations/{incoming['reservation_sid']}",
           token=cc["agent"], body={"action": "accept"})
    stats = everyone()
    assert (stats["tasks_waiting"], stats["active_tasks"]) == (1, 1)
    assert stats["workers"] == 3 and stats["available_workers"] == 1
