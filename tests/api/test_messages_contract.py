"""Every Messages-area operation, exercised once through the SDK: the suite's contract
checker (conftest) validates each response against the official schema, and this test
checks from the simulator's request journal that none was left out."""
import contract
import pytest

from messaging_fixtures import inbound, numbers

OPERATIONS = {
    "CreateCall", "CreateIncomingPhoneNumber", "CreateIncomingPhoneNumberLocal",
    "CreateIncomingPhoneNumberMobile", "CreateIncomingPhoneNumberTollFree", "CreateMessage",
    "CreatePhoneNumber", "CreateService", "CreateTollfreeVerification", "DeleteCall",
    "DeleteIncomingPhoneNumber", "DeleteMedia", "DeleteMessage", "DeleteOutgoingCallerId",
    "DeletePhoneNumber", "DeleteService", "DeleteTollfreeVerification", "FetchAlert",
    "FetchAvailablePhoneNumberCountry", "FetchCall", "FetchIncomingPhoneNumber", "FetchMedia",
    "FetchMessage", "FetchOutgoingCallerId", "FetchPhoneNumber", "FetchService",
    "FetchTollfreeVerification", "ListAlert", "ListAvailablePhoneNumberCountry",
    "ListAvailablePhoneNumberLocal", "ListAvailablePhoneNumberMobile",
    "ListAvailablePhoneNumberTollFree", "ListCall", "ListIncomingPhoneNumber",
    "ListIncomingPhoneNumberLocal", "ListIncomingPhoneNumberMobile",
    "ListIncomingPhoneNumberTollFree", "ListMedia", "ListMessage", "ListOutgoingCallerId",
    "ListPhoneNumber", "ListService", "ListTollfreeVerification", "UpdateCall",
    "UpdateIncomingPhoneNumber", "UpdateMessage", "UpdateOutgoingCallerId", "UpdateService",
    "UpdateTollfreeVerification",
}


@pytest.mark.skipif(not contract.available(), reason=f"specs folder {contract.SPECS} is absent")
def test_every_new_operation_answers_to_the_official_schema(sim, client, frozen, receiver):
    sim.control("DELETE", "journal")
    local, toll_free = numbers(client)
    us = client.available_phone_numbers("US")
    client.available_phone_numbers.list()
    us.fetch()
    bought = [client.incoming_phone_numbers.create(phone_number=us.local.list(limit=1)[0]
                                                   .phone_number),
              client.incoming_phone_numbers.local.create(phone_number=us.local.list(
                  limit=2)[1].phone_number),
              client.incoming_phone_numbers.mobile.create(phone_number=us.mobile.list(
                  limit=1)[0].phone_number),
              client.incoming_phone_numbers.toll_free.create(phone_number=us.toll_free.list(
                  limit=1)[0].phone_number)]
    for lister in (client.incoming_phone_numbers, client.incoming_phone_numbers.local,
                   client.incoming_phone_numbers.mobile, client.incoming_phone_numbers.toll_free):
        assert lister.list()
    client.incoming_phone_numbers(bought[0].sid).update(sms_url=receiver.url("/sms"))
    client.incoming_phone_numbers(bought[0].sid).fetch()
    client.incoming_phone_numbers(bought[2].sid).delete()

    sim.control("POST", "caller-ids", json={"PhoneNumber": "+14155550123"})
    caller = client.outgoing_caller_ids.list()[0]
    client.outgoing_caller_ids(caller.sid).fetch()
    client.outgoing_caller_ids(caller.sid).update(friendly_name="desk")
    client.outgoing_caller_ids(caller.sid).delete()

    m = client.messages.create(to="+14155550199", from_=local.phone_number,
                               media_url=["https://example.com/a.png"],
                               status_callback="http://127.0.0.1:9/refused")
    media = client.messages(m.sid).media.list()[0]
    client.messages(m.sid).media(media.sid).fetch()
    client.messages(m.sid).media(media.sid).delete()
    sim.advance(10)
    client.messages(m.sid).update(body="")
    client.messages(m.sid).fetch()
    assert client.messages.list()
    client.messages(m.sid).delete()

    call = client.calls.create(to="+14155550199", from_=local.phone_number,
                               url="https://example.com/voice")
    client.calls(call.sid).fetch()
    client.calls(call.sid).update(status="canceled")
    assert client.calls.list()
    client.calls(call.sid).delete()

    svc = client.messaging.v1.services.create(friendly_name="svc")
    client.messaging.v1.services(svc.sid).fetch()
    client.messaging.v1.services(svc.sid).update(friendly_name="svc2")
    assert client.messaging.v1.services.list()
    pool = client.messaging.v1.services(svc.sid).phone_numbers
    pool.create(phone_number_sid=bought[0].sid)
    assert pool.list()
    client.messaging.v1.services(svc.sid).phone_numbers(bought[0].sid).fetch()
    client.messaging.v1.services(svc.sid).phone_numbers(bought[0].sid).delete()
    client.messaging.v1.services(svc.sid).delete()

    verifications = client.messaging.v1.tollfree_verifications
    v = verifications.create(
        tollfree_phone_number_sid=toll_free.sid, business_name="Owl",
        business_website="https://example.com", notification_email="a@example.com",
        use_case_categories=["CUSTOMER_CARE"], use_case_summary="support",
        production_message_sample="hi", opt_in_image_urls=["https://example.com/o.png"],
        opt_in_type="VERBAL", message_volume="10")
    verifications(v.sid).fetch()
    verifications(v.sid).update(business_name="Owl 2")
    assert verifications.list()
    verifications(v.sid).delete()

    # a failed webhook (in-process: an app answering 500) gives an alert
    receiver.reply("/sms", "down", status=500, content_type="text/plain")
    inbound(sim, "+14155550199", bought[0].phone_number, "hi")
    alerts = client.monitor.v1.alerts.list()
    client.monitor.v1.alerts(alerts[0].sid).fetch()

    seen = set()
    for entry in sim.journal(limit=1000):
        label = entry["path"].split("/")[1]
        op = contract.operation_for(entry["method"],
                                    f"https://{label}.twilio.com{entry['public_path']}")
        if op is not None and entry["status"] < 400:
            seen.add(op.operation_id)
    assert OPERATIONS - seen == set()
