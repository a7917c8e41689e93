"""The Flex onboarding guide, end to end: sign up, verify, create the Flex
account, see the workspace through the SDK, invite a Supervisor, add an Agent
through SSO, fail to add an Agent through the Console, and check what each role
can open and change."""
import json

from flex_helpers import Api, JsonBody


def test_onboarding_journey(sim, http):
    api = Api(sim, http)
    sim.freeze()

    # 1. sign up; before the phone is verified there is no Twilio account, so no Flex account
    api.ok("POST", "/console/signup", expect=201,
           body={"email": "grace@example.com", "password": "hopper1906", "phone": "+15017122661"})
    early = api.ok("POST", "/console/login", body={"email": "grace@example.com", "password": "hopper1906"})
    assert early["accounts"] == []
    api.ok("POST", "/console/phone/verifications", token=early["session_token"], expect=201)
    status, err = api.call("POST", "/console/flex-accounts", token=early["session_token"],
                           body={"friendly_name": "Grace CC",
                                 "verification_code": api.code("grace@example.com", "flex-account")})
    assert status == 403 and "existing Twilio account" in err["message"]

    # 2. verify the phone: a trial Twilio account
    me = api.ok("POST", "/console/signup/verify",
                body={"email": "grace@example.com", "code": api.code("grace@example.com", "signup")})
    assert [a["type"] for a in me["accounts"]] == ["Trial"]
    session = api.ok("POST", "/console/login",
                     body={"email": "grace@example.com", "password": "hopper1906"})["session_token"]

    # 3. create the Flex account, verifying the phone again; it provisions on the clock
    created = api.create_flex_account(session, "Grace CC")
    owner = sim.client(created["account_sid"], created["auth_token"])
    assert owner.flex_api.v1.configuration().fetch().status == "inprogress"
    sim.advance(30)
    config = owner.flex_api.v1.configuration().fetch()
    assert config.status == "ok"

    # 4. the SDK sees the workspace, its four activities, the queue and the workflow
    ws = owner.taskrouter.v1.workspaces(config.taskrouter_workspace_sid)
    assert ws.fetch().friendly_name == "Flex Task Assignment"
    assert {a.friendly_name: a.available for a in ws.activities.list()} == {
        "Offline": False, "Available": True, "Unavailable": False, "Break": False}
    assert [q.friendly_name for q in ws.task_queues.list()] == ["Everyone"]
    assert [w.friendly_name for w in ws.workflows.list()] == ["Assign to Anyone"]

    # 5. invite a Supervisor; the invitee accepts
    invite = api.ok("POST", f"/console/flex-accounts/{created['account_sid']}/invites", token=session,
                    body={"email": "sam@example.com", "role": "Supervisor"}, expect=201)
    sam = api.accept(invite["invite_token"], password="sam password", full_name="Sam Super")
    assert sam["roles"] == ["supervisor"]

    # 6. an Agent through the Console is refused
    status, err = api.invite(session, created["account_sid"], "andy@example.com", "Agent")
    assert status == 400 and "only through SSO" in err["message"]

    # 7. an Agent through SSO
    api.configure_sso(session, created["account_sid"])
    status, err = api.sso(created["flex_instance_sid"], roles=["agent"], email="andy@example.com")
    assert status == 400 and err["code"] == 45050
    status, andy = api.sso(created["flex_instance_sid"], roles=["agent"], full_name="Andy Agent",
                           email="andy@example.com")
    assert status == 201

    # every Flex user is a TaskRouter worker with its roles
    by_email = {json.loads(w.attributes)["email"]: json.loads(w.attributes)["roles"] for w in ws.workers.list()}
    assert by_email == {"grace@example.com": ["admin"], "sam@example.com": ["supervisor"],
                        "andy@example.com": ["agent"]}

    # 8. what each role can open and change
    tokens = {
        "admin": api.flex_token(session, created["account_sid"]),
        "supervisor": api.flex_token(api.ok("POST", "/console/login", body={
            "email": "sam@example.com", "password": "sam password"})["session_token"], created["account_sid"]),
        "agent": andy["token"],
    }
    views = {"admin": ["agent-desktop", "teams", "queue-stats", "admin"],
             "supervisor": ["agent-desktop", "teams", "queue-stats"], "agent": ["agent-desktop"]}
    for role, token in tokens.items():
        assert api.ok("GET", "/flex/me", token=token)["views"] == views[role]
        for view in ("agent-desktop", "teams", "queue-stats", "admin"):
            assert api.call("GET", f"/flex/{view}", token=token)[0] == (200 if view in views[role] else 403)
        status, _ = api.call("POST", "/flex-api/v1/Configuration", token=token, body={"ui_language": role})
        assert status == (200 if role == "admin" else 403)
    assert owner.flex_api.v1.configuration().fetch().ui_language == "admin"
    # the account's own credentials keep full access
    assert owner.flex_api.v1.configuration().update(body=JsonBody(ui_language="en")).ui_language == "en"
