"""The three ways to point the SDK at the simulator: SimulatorHttpClient, mock(), the pytest plugin."""
import textwrap

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from simulator.testing import SimulatorHandle, SimulatorHttpClient, mock


def code_under_test(account_sid, auth_token):
    """Plain application code: it knows nothing of the simulator."""
    client = Client(account_sid, auth_token)
    return client.api.v2010.accounts.create(friendly_name="made by the app").sid


def test_mock_as_context_manager():
    original = TwilioHttpClient.request
    with mock() as sim:
        sid = code_under_test(sim.account_sid, sim.auth_token)
        last = sim.journal(limit=1)[-1]
        assert (last["method"], last["status"], last["body"]["sid"]) == ("POST", 201, sid)
    assert TwilioHttpClient.request is original


@mock()
def test_mock_as_decorator_with_handle(twilio_sim):
    sid = code_under_test(twilio_sim.account_sid, twilio_sim.auth_token)
    assert Client(twilio_sim.account_sid, twilio_sim.auth_token).api.v2010.accounts(sid).fetch().friendly_name \
        == "made by the app"


def test_mock_decorator_without_handle():
    seen = []

    @mock()
    def work():
        seen.append(TwilioHttpClient.request is not original)

    original = TwilioHttpClient.request
    work()
    assert seen == [True] and TwilioHttpClient.request is original


def test_each_mock_is_a_fresh_simulator():
    with mock() as first:
        code_under_test(first.account_sid, first.auth_token)
        count = len(Client(first.account_sid, first.auth_token).api.v2010.accounts.list())
    with mock() as second:
        assert len(Client(second.account_sid, second.auth_token).api.v2010.accounts.list()) == count - 1


def test_http_client_follows_next_page_urls_over_a_socket(live_server):
    served = SimulatorHandle(live_server.base_url)
    served.reset()  # the server this test talks to, whatever ran on it before
    client = Client(served.account_sid, served.auth_token,
                    http_client=SimulatorHttpClient(live_server.base_url))
    made = {client.api.v2010.accounts.create(friendly_name=f"n{i}").sid for i in range(5)}
    sids = [a.sid for a in client.api.v2010.accounts.stream(page_size=2)]
    # the main account, the fixtures' subaccount and the five
    assert len(sids) == len(set(sids)) == 7 and made <= set(sids)


def test_pytest_plugin_fixtures(pytester):
    pytester.makepyfile(textwrap.dedent("""
        def test_fixtures(twilio_sim, twilio_client):
            sub = twilio_client.api.v2010.accounts.create(friendly_name="from plugin")
            assert twilio_client.api.v2010.accounts(sub.sid).fetch().friendly_name == "from plugin"
            assert twilio_sim.account_sid == twilio_client.account_sid

        def test_fresh_state_per_test(twilio_client):
            names = [a.friendly_name for a in twilio_client.api.v2010.accounts.list()]
            assert "from plugin" not in names
    """))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
