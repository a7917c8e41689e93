"""The embedded default data has a ready Flex contact center whose users can sign in at once."""
import json


from simulator import create_app
from simulator.config import Settings

OWL_SID = "ACbe3ffa32eebf1db578b3b070032de0ef"
OWL_TOKEN = "3b1a89629dc2fed7a310f0ee5bd16e51"


def _owl(sim):
    return next(a for a in sim.control("GET", "flex/accounts")["flex_accounts"] if a["account_sid"] == OWL_SID)


def test_seeded_flex_account_is_ready(sim):
    owl = sim.client(OWL_SID, OWL_TOKEN)
    config = owl.flex_api.v1.configuration().fetch()
    assert config.status == "ok"
    ws = owl.taskrouter.v1.workspaces(config.taskrouter_workspace_sid).fetch()
    assert ws.friendly_name == "Flex Task Assignment"
    assert [q.friendly_name for q in owl.taskrouter.v1.workspaces(ws.sid).task_queues.list()] == ["Everyone"]
    assert [n.phone_number for n in owl.incoming_phone_numbers.list()] == ["+14155550150"]
    workers = owl.taskrouter.v1.workspaces(ws.sid).workers.list()
    roles = sorted(json.loads(w.attributes)["roles"][0] for w in workers)
    assert roles == ["admin", "agent", "agent", "agent", "supervisor"]
    info = _owl(sim)
    assert info["sso_configured"] is True and info["status"] == "ok"


def test_seeded_users_sign_in_at_once(sim, api):
    admin = api.ok("POST", "/console/login", body={"email": "admin@owl.example.com", "password": "owl-admin-password"})
    token = api.flex_token(admin["session_token"], OWL_SID)
    assert "admin" in api.ok("GET", "/flex/me", token=token)["views"]
    sup = api.ok("POST", "/console/login", body={"email": "supervisor@owl.example.com",
                                                 "password": "owl-supervisor-password"})
    sup_token = api.flex_token(sup["session_token"], OWL_SID)
    assert api.ok("GET", "/flex/me", token=sup_token)["views"] == ["agent-desktop", "teams", "queue-stats"]
    agent = next(u for u in _owl(sim)["users"] if u["roles"] == ["agent"])
    status, signed = api.sso(_owl(sim)["flex_instance_sid"], roles=["agent"], full_name=agent["full_name"],
                             email=agent["email"])
    assert status == 200 and signed["created"] is False and signed["views"] == ["agent-desktop"]


def test_seed_makes_the_same_contact_center():
    def people(seed):
        app = create_app(Settings(seed=seed))
        try:
            return [(u["full_name"], u["email"], u["flex_user_sid"])
                    for a in app.test_client().get("/_sim/v1/flex/accounts").get_json()["flex_accounts"]
                    for u in a["users"]]
        finally:
            app.extensions["twilio_sim"].close()
    assert people(11) == people(11)
    assert people(11) != people(12)


def test_fixture_files_declare_flex_accounts_users_and_roles(tmp_path):
    fixtures = tmp_path / "fx.json"
    fixtures.write_text(json.dumps({"accounts": [], "flex_accounts": [{
        "friendly_name": "Tiny", "email_domain": "tiny.example.com",
        "owner": {"email": "boss@tiny.example.com", "password": "boss password", "phone": "+15017122661"},
        "users": [{"full_name": "Ann Admin", "roles": ["admin"], "password": "ann password"},
                  {"email": "dual@tiny.example.com", "roles": ["agent", "supervisor"]}],
        "agents": 1}]}))
    app = create_app(Settings(fixtures=str(fixtures), seed=3))
    try:
        c = app.test_client()
        tiny = c.get("/_sim/v1/flex/accounts").get_json()["flex_accounts"][0]
        assert tiny["friendly_name"] == "Tiny" and tiny["sso_configured"] is False
        assert [(u["email"], u["roles"]) for u in tiny["users"]][:3] == [
            ("boss@tiny.example.com", ["admin"]), ("ann.admin@tiny.example.com", ["admin"]),
            ("dual@tiny.example.com", ["agent", "supervisor"])]
        assert len(tiny["users"]) == 4
        assert c.post("/console/login", json={"email": "ann.admin@tiny.example.com",
                                               "password": "ann password"}).status_code == 200
    finally:
        app.extensions["twilio_sim"].close()
