"""Role limits: the Flex views each role may open and the instance changes only
Administrators (and account credentials) may make; refused calls change nothing."""
import json


from flex_helpers import JsonBody

VIEWS = {
    "agent-desktop": {"agent", "supervisor", "admin"},
    "teams": {"supervisor", "admin"},
    "queue-stats": {"supervisor", "admin"},
    "admin": {"admin"},
}
ROLES = ("admin", "supervisor", "agent")


def test_me_lists_the_views_each_role_may_open(api, cc):
    for role in ROLES:
        me = api.ok("GET", "/flex/me", token=cc[role])
        assert me["roles"] == [role]
        assert set(me["views"]) == {v for v, allowed in VIEWS.items() if role in allowed}
        assert me["may_change_instance"] is (role == "admin")


def test_every_view_for_every_role(api, cc):
    for view, allowed in VIEWS.items():
        for role in ROLES:
            status, body = api.call("GET", f"/flex/{view}", token=cc[role])
            if role in allowed:
                assert status == 200 and body["view"] == view, (view, role)
            else:
                assert status == 403, (view, role)
                assert body["code"] == 20403 and set(body) == {"code", "message", "more_info", "status"}


def test_views_need_a_valid_token(api, cc):
    assert api.call("GET", "/flex/me")[0] == 401
    assert api.call("GET", "/flex/agent-desktop", token="FXforged")[0] == 401
    assert api.call("GET", "/flex/nope", token=cc["admin"])[0] == 404


def test_view_contents(api, cc):
    desk = api.ok("GET", "/flex/agent-desktop", token=cc["agent"])
    assert desk["worker"]["email"] == "al@example.com" and desk["worker"]["activity"] == "Offline"
    assert {a["friendly_name"] for a in desk["activities"]} == {"Offline", "Available", "Unavailable", "Break"}
    teams = api.ok("GET", "/flex/teams", token=cc["supervisor"])
    assert {m["email"] for m in teams["teams"][0]["members"]} == {"owner@example.com", "sue@example.com", "al@example.com"}
    stats = api.ok("GET", "/flex/queue-stats", token=cc["supervisor"])
    assert [(q["friendly_name"], q["workers"]) for q in stats["queues"]] == [("Everyone", 3)]
    admin = api.ok("GET", "/flex/admin", token=cc["admin"])
    assert admin["flex_instance_sid"] == cc["instance_sid"] and admin["phone_number"].startswith("+")


def _config(api, cc):
    return api.ok("GET", "/flex-api/v1/Configuration", token=cc["admin"])


def test_configuration_changes_admin_only(sim, api, cc):
    before = _config(api, cc)
    for role in ("supervisor", "agent"):
        assert api.ok("GET", "/flex-api/v1/Configuration", token=cc[role])["account_sid"] == cc["account_sid"]
        status, err = api.call("POST", "/flex-api/v1/Configuration", token=cc[role],
                               body={"ui_language": "fr"})
        assert status == 403 and err["code"] == 20403
        assert "cannot modify the Flex instance" in err["message"]
        assert _config(api, cc) == before
    changed = api.ok("POST", "/flex-api/v1/Configuration", token=cc["admin"], body={"ui_language": "fr"})
    assert changed["ui_language"] == "fr"
    # account credentials keep full REST access
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    assert owner.flex_api.v1.configuration().update(body=JsonBody(ui_language="de")).ui_language == "de"


def _flow(sim, cc):
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    return owner.flex_api.v1.flex_flow.create(friendly_name="Web", chat_service_sid="IS" + "a" * 32,
                                              channel_type="web", integration_flow_sid="FW" + "b" * 32)


def test_flex_flow_changes_admin_only(sim, api, cc):
    flow = _flow(sim, cc)
    body = {"FriendlyName": "X", "ChatServiceSid": "IS" + "a" * 32, "ChannelType": "sms",
            "Integration.FlowSid": "FW" + "c" * 32}
    for role in ("supervisor", "agent"):
        headers = {"Authorization": f"Bearer {cc[role]}"}
        assert api.http("POST", "/flex-api/v1/FlexFlows", headers=headers, data=body)[0] == 403
        assert api.http("POST", f"/flex-api/v1/FlexFlows/{flow.sid}", headers=headers,
                        data={"FriendlyName": "Hacked"})[0] == 403
        assert api.http("DELETE", f"/flex-api/v1/FlexFlows/{flow.sid}", headers=headers)[0] == 403
        assert api.ok("GET", f"/flex-api/v1/FlexFlows/{flow.sid}", token=cc[role])["friendly_name"] == "Web"
    listed = api.ok("GET", "/flex-api/v1/FlexFlows", token=cc["admin"])["flex_flows"]
    assert [f["sid"] for f in listed] == [flow.sid]
    admin = {"Authorization": f"Bearer {cc['admin']}"}
    status, _, text = api.http("POST", f"/flex-api/v1/FlexFlows/{flow.sid}", headers=admin,
                               data={"FriendlyName": "Renamed"})
    assert status == 200 and json.loads(text)["friendly_name"] == "Renamed"
    assert api.http("DELETE", f"/flex-api/v1/FlexFlows/{flow.sid}", headers=admin)[0] == 204


def test_user_changes_admin_only(sim, api, cc):
    target = cc["agent_user"]["flex_user_sid"]
    path = f"/flex-api/v2/Instances/{cc['instance_sid']}/Users/{target}"
    for role in ("supervisor", "agent"):
        status, _, text = api.http("POST", path, headers={"Authorization": f"Bearer {cc[role]}"},
                                   data={"Locale": "fr-FR"})
        assert status == 403 and json.loads(text)["code"] == 20403
        assert api.ok("GET", path, token=cc[role])["locale"] == "en-US"
    status, _, text = api.http("POST", path, headers={"Authorization": f"Bearer {cc['admin']}"},
                               data={"Locale": "fr-FR"})
    assert status == 200 and json.loads(text)["locale"] == "fr-FR"
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    assert owner.flex_api.v2.flex_user(cc["instance_sid"], target).update(locale="de-DE").locale == "de-DE"


def test_console_instance_changes_refused_for_supervisor(api, cc):
    # a Supervisor's Console session cannot add users or change SSO (see test_flex_users too)
    status, err = api.invite(cc["supervisor_session"], cc["account_sid"], "q@example.com", "admin")
    assert status == 403 and err["code"] == 20403
    assert api.ok("GET", "/_sim/v1/flex/invites?email=q@example.com")["invites"] == []


def test_flex_token_reaches_only_its_own_account(sim, api, cc):
    other = api.sign_up("other@example.com")
    elsewhere = api.create_flex_account(other, "Elsewhere")
    status, err = api.call("GET", f"/flex-api/v2/Instances/{elsewhere['flex_instance_sid']}/Users",
                           token=cc["admin"])
    assert status == 404 and err["code"] == 20404


def test_insights_user_roles_follow_the_flex_role(sim, api, cc):
    assert api.ok("GET", "/flex-api/v1/Insights/UserRoles", token=cc["admin"])["roles"] == ["wfo.full_access"]
    assert api.ok("GET", "/flex-api/v1/Insights/UserRoles", token=cc["supervisor"])["roles"] == ["wfo.team_leader"]
    assert api.ok("GET", "/flex-api/v1/Insights/UserRoles", token=cc["agent"])["roles"] == []
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    assert owner.flex_api.v1.insights_user_roles().fetch().roles == ["wfo.full_access"]


def test_every_role_sets_its_own_activity_on_the_agent_desktop(sim, api, cc):
    owner = sim.client(cc["account_sid"], cc["auth_token"])
    for role in ROLES:
        body = api.ok("POST", "/flex/agent-desktop/activity", token=cc[role], body={"friendly_name": "Available"})
        assert body["activity"] == "Available" and body["available"] is True
        worker = owner.taskrouter.v1.workspaces(cc["workspace_sid"]).workers(body["worker_sid"]).fetch()
        assert worker.activity_name == "Available"
    status, err = api.call("POST", "/flex/agent-desktop/activity", token=cc["agent"], body={"friendly_name": "Napping"})
    assert status == 400 and err["code"] == 20422
    assert api.ok("GET", "/flex/agent-desktop", token=cc["agent"])["worker"]["activity"] == "Available"


def test_the_token_also_travels_as_x_flex_jwe(api, cc):
    status, _, text = api.http("GET", "/flex/me", headers={"X-Flex-JWE": cc["supervisor"]})
    assert status == 200 and json.loads(text)["roles"] == ["supervisor"]
    status, _, text = api.http("POST", "/flex-api/v1/Configuration",
                               headers={"X-Flex-JWE": cc["supervisor"]}, json={"ui_language": "x"})
    assert status == 403 and json.loads(text)["code"] == 20403
    status, _, text = api.http("GET", "/flex-api/v1/Configuration", headers={"X-Flex-JWE": "FXforged"})
    assert status == 401 and json.loads(text)["code"] == 20003
