"""The simulated Console: sign up, verify, log in, create a Flex account (plain HTTP)."""
import json




def test_sign_up_sends_a_code_shown_in_control_plane_and_journal(sim, api):
    body = api.ok("POST", "/console/signup", expect=201,
                  body={"email": "Ada@Example.com", "password": "long enough", "phone": "+15017122661"})
    assert body["user_sid"].startswith("US") and body["phone_verified"] is False
    assert body["verification"]["to"].endswith("2661") and "*" in body["verification"]["to"]
    code = api.code("ada@example.com", "signup")
    assert len(code) == 6 and code.isdigit()
    sent = [e for e in sim.journal() if e["method"] == "SMS"]
    assert sent and sent[-1]["body"]["code"] == code and code in sent[-1]["body"]["text"]


def test_verify_creates_the_trial_account(sim, api):
    api.ok("POST", "/console/signup", expect=201,
           body={"email": "bo@example.com", "password": "long enough", "phone": "+15017122662"})
    status, err = api.call("POST", "/console/signup/verify", body={"email": "bo@example.com", "code": "000000x"})
    assert status == 400 and set(err) == {"code", "message", "more_info", "status"}
    me = api.ok("POST", "/console/signup/verify",
                body={"email": "bo@example.com", "code": api.code("bo@example.com", "signup")})
    assert me["phone_verified"] is True and len(me["accounts"]) == 1
    account = me["accounts"][0]
    assert account["type"] == "Trial" and account["flex_instance_sid"] is None
    # the new account's credentials work on the REST API
    trial = sim.client(account["sid"], account["auth_token"])
    assert trial.api.v2010.accounts(account["sid"]).fetch().type == "Trial"
    # and its sign-up phone is a verified caller ID, as on Twilio
    assert [c.phone_number for c in trial.outgoing_caller_ids.list()] == ["+15017122662"]


def test_sign_up_validation_and_duplicates(api):
    for bad in ({"email": "nope", "password": "long enough", "phone": "+15017122661"},
                {"email": "a@b.co", "password": "short", "phone": "+15017122661"},
                {"email": "a@b.co", "password": "long enough", "phone": "555"}):
        status, err = api.call("POST", "/console/signup", body=bad)
        assert status == 400 and err["code"] == 20422
    api.sign_up("dup@example.com")
    status, err = api.call("POST", "/console/signup",
                           body={"email": "dup@example.com", "password": "long enough", "phone": "+15017122661"})
    assert status == 409 and err["code"] == 20409


def test_log_in_wrong_password_and_session(api):
    session = api.sign_up("cy@example.com", password="right password")
    status, err = api.call("POST", "/console/login", body={"email": "cy@example.com", "password": "wrong password"})
    assert status == 401 and err["code"] == 20003
    assert api.ok("GET", "/console/me", token=session)["email"] == "cy@example.com"
    assert api.call("GET", "/console/me")[0] == 401
    assert api.call("GET", "/console/me", token="CSnope")[0] == 401
    assert api.call("POST", "/console/logout", token=session)[0] == 204
    assert api.call("GET", "/console/me", token=session)[0] == 401


def _flex_accounts(sim):
    return [a["account_sid"] for a in sim.control("GET", "flex/accounts")["flex_accounts"]]


def test_creating_a_flex_account_needs_an_existing_twilio_account(sim, api):
    before = _flex_accounts(sim)
    session = api.sign_up("new@example.com", verify=False)  # logged in, no Twilio account yet
    api.ok("POST", "/console/phone/verifications", token=session, expect=201)
    status, err = api.call("POST", "/console/flex-accounts", token=session,
                           body={"friendly_name": "Flex", "verification_code": api.code("new@example.com", "flex-account")})
    assert status == 403 and err["code"] == 20403
    assert "You need an existing Twilio account to create a new Flex account" in err["message"]
    assert _flex_accounts(sim) == before


def test_creating_a_flex_account_needs_the_phone_verified_again(sim, api):
    before = _flex_accounts(sim)
    session = api.sign_up("re@example.com")
    status, err = api.call("POST", "/console/flex-accounts", token=session, body={"friendly_name": "Flex"})
    assert status == 400 and "Verify your phone number again" in err["message"]
    api.ok("POST", "/console/phone/verifications", token=session, expect=201)
    status, err = api.call("POST", "/console/flex-accounts", token=session,
                           body={"friendly_name": "Flex", "verification_code": "999999x"})
    assert status == 400 and "not correct" in err["message"]
    status, err = api.call("POST", "/console/flex-accounts", token=session,
                           body={"verification_code": api.code("re@example.com", "flex-account")})
    assert status == 400 and "name" in err["message"]
    assert _flex_accounts(sim) == before


def test_verification_code_expires_on_the_simulator_clock(sim, api):
    sim.freeze()
    session = api.sign_up("late@example.com")
    api.ok("POST", "/console/phone/verifications", token=session, expect=201)
    code = api.code("late@example.com", "flex-account")
    sim.advance(601)
    status, err = api.call("POST", "/console/flex-accounts", token=session,
                           body={"friendly_name": "Late", "verification_code": code})
    assert status == 400 and "expired" in err["message"]


def test_flex_account_provisions_on_the_clock(sim, api):
    sim.freeze()
    session = api.sign_up("owner@example.com")
    created = api.create_flex_account(session, "Owl Support")
    assert created["flex_instance_sid"].startswith("GO") and created["status"] == "inprogress"
    owner = sim.client(created["account_sid"], created["auth_token"])
    config = owner.flex_api.v1.configuration().fetch()
    assert config.status == "inprogress"
    assert owner.flex_api.v1.provisioning_status().fetch().status == "in-progress"
    sim.advance(30)
    config = owner.flex_api.v1.configuration().fetch()
    assert config.status == "ok" and config.flex_instance_sid == created["flex_instance_sid"]
    assert owner.flex_api.v1.provisioning_status().fetch().status == "active"
    ws = owner.taskrouter.v1.workspaces(config.taskrouter_workspace_sid).fetch()
    assert ws.friendly_name == "Flex Task Assignment"
    acts = {a.friendly_name: a.available for a in owner.taskrouter.v1.workspaces(ws.sid).activities.list()}
    assert acts == {"Offline": False, "Available": True, "Unavailable": False, "Break": False}
    queue = owner.taskrouter.v1.workspaces(ws.sid).task_queues.list()
    assert [(q.friendly_name, q.target_workers) for q in queue] == [("Everyone", "1==1")]
    flows = owner.taskrouter.v1.workspaces(ws.sid).workflows.list()
    assert [f.friendly_name for f in flows] == ["Assign to Anyone"]
    assert json.loads(flows[0].configuration)["task_routing"]["default_filter"]["queue"] == queue[0].sid
    assert config.taskrouter_target_workflow_sid == flows[0].sid
    assert config.taskrouter_target_taskqueue_sid == queue[0].sid
    assert {c.unique_name for c in owner.taskrouter.v1.workspaces(ws.sid).task_channels.list()} == \
        {"default", "voice", "chat", "sms", "video"}
    assert config.messaging_service_instance_sid.startswith("MG")
    assert config.chat_service_instance_sid.startswith("IS")
    number = owner.incoming_phone_numbers.list()[0]
    assert number.capabilities["voice"] and number.capabilities["sms"]
    assert number.phone_number == created["phone_number"]
    assert sorted(f["friendly_name"] for f in created["studio_flows"]) == ["Messaging Flow", "Voice IVR", "Webchat Flow"]
    assert owner.messaging.v1.services(config.messaging_service_instance_sid).fetch().sid == config.messaging_service_instance_sid
    # the creating user is the first Administrator, and a TaskRouter worker
    assert [(u["email"], u["roles"]) for u in created["users"]] == [("owner@example.com", ["admin"])]
    worker = owner.taskrouter.v1.workspaces(ws.sid).workers(created["users"][0]["worker_sid"]).fetch()
    assert json.loads(worker.attributes)["roles"] == ["admin"]
    # the Console shows the account to its owner
    me = api.ok("GET", "/console/me", token=session)
    assert created["account_sid"] in [a["sid"] for a in me["accounts"]]
    assert api.ok("GET", f"/console/flex-accounts/{created['account_sid']}", token=session)["status"] == "ok"


def test_odd_bodies_are_4xx_never_500(api):
    session = api.sign_up("odd@example.com")
    for path in ("/console/signup", "/console/signup/verify", "/console/login", "/console/flex-accounts",
                 "/console/phone/verifications"):
        for body in ([], {"email": 5, "password": 5, "phone": 5, "code": 5, "friendly_name": 5,
                          "verification_code": 5, "purpose": 5}):
            status, err = api.call("POST", path, token=session, body=body)
            assert 400 <= status < 500 and set(err) == {"code", "message", "more_info", "status"}, (path, body)
