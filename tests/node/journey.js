// The twilio-node journey of tests/test_twilio_node.py. That test runs, as one script:
//   const accountSid = "AC...", authToken = "...", SIM_URL = "http://127.0.0.1:<port>";
//   <the README's twilio-node snippet, which defines `twilio` and `client`>
//   <this file>
// against a served simulator (`twilio-sim serve --memory --port 0`). It prints one JSON line
// {"ok": true, "steps": [...]} when every step passed, else the failure and exit status 1.
const assert = require("node:assert/strict");
const http = require("node:http");

const HANDSET = "+14155550199";

async function control(path, body) {
  // the control plane takes JSON only (and only from loopback, which this is)
  const r = await fetch(`${SIM_URL}/_sim/v1/${path}`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const text = await r.text();
  assert.ok(r.status < 300, `POST /_sim/v1/${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

function webhookReceiver() {
  const hooks = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      hooks.push({ method: req.method, path: req.url, headers: req.headers, body });
      res.writeHead(200, { "Content-Type": "text/xml" });
      res.end("<Response></Response>");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, hooks })));
}

async function main() {
  const steps = [];

  // 1. fetch the account
  const account = await client.api.v2010.accounts(accountSid).fetch();
  assert.equal(account.sid, accountSid);
  assert.equal(account.status, "active");
  steps.push("fetch the account");

  // 2. buy a number (its SMS URL is this script's webhook receiver)
  const { server, hooks } = await webhookReceiver();
  const hookUrl = `http://127.0.0.1:${server.address().port}/sms`;
  const [available] = await client.availablePhoneNumbers("US").local.list({ areaCode: 415, limit: 1 });
  assert.match(available.phoneNumber, /^\+1415\d{7}$/);
  const number = await client.incomingPhoneNumbers.create({
    phoneNumber: available.phoneNumber, smsUrl: hookUrl,
  });
  assert.match(number.sid, /^PN[0-9a-f]{32}$/);
  assert.equal(number.phoneNumber, available.phoneNumber);
  assert.equal(number.smsUrl, hookUrl);
  steps.push("buy a number");

  // 3. send a message
  const message = await client.messages.create({
    from: number.phoneNumber, to: HANDSET, body: "Hello from twilio-node",
  });
  assert.match(message.sid, /^SM[0-9a-f]{32}$/);
  assert.equal(message.body, "Hello from twilio-node");
  assert.equal(message.direction, "outbound-api");
  assert.equal((await client.messages(message.sid).fetch()).to, HANDSET);
  steps.push("send a message");

  // 4. page a list: page by page, then every page through list()
  for (let i = 0; i < 4; i++) {
    await client.messages.create({ from: number.phoneNumber, to: HANDSET, body: `Message ${i}` });
  }
  const first = await client.messages.page({ pageSize: 2 });
  assert.equal(first.instances.length, 2);
  const second = await first.nextPage();
  assert.equal(second.instances.length, 2);
  const paged = [...first.instances, ...second.instances].map((m) => m.sid);
  assert.equal(new Set(paged).size, 4, "two pages never repeat a message");
  const all = await client.messages.list({ pageSize: 2 });
  assert.equal(all.length, 5);
  assert.equal(new Set(all.map((m) => m.sid)).size, 5);
  assert.ok(all.some((m) => m.sid === message.sid));
  steps.push("page a list");

  // 5. catch a RestException with Twilio's code
  try {
    await client.messages.create({ from: number.phoneNumber, to: "+1", body: "nowhere" });
    assert.fail("a message to +1 was accepted");
  } catch (e) {
    assert.ok(e instanceof twilio.RestException, `not a RestException: ${e}`);
    assert.equal(e.status, 400);
    assert.equal(e.code, 21211);
    assert.equal(e.moreInfo, "https://www.twilio.com/docs/errors/21211");
  }
  try {
    await client.messages(`SM${"0".repeat(32)}`).fetch();
    assert.fail("an unknown message was found");
  } catch (e) {
    assert.ok(e instanceof twilio.RestException, `not a RestException: ${e}`);
    assert.equal(e.status, 404);
    assert.equal(e.code, 20404);
  }
  steps.push("catch a RestException");

  // 6. validate a webhook signature: an inbound SMS reaches the number's SMS URL, signed
  await control("messages/inbound", { From: HANDSET, To: number.phoneNumber, Body: "Hi there" });
  assert.equal(hooks.length, 1, "the inbound SMS reached the SMS URL once");
  const hook = hooks[0];
  assert.equal(hook.method, "POST");
  const params = Object.fromEntries(new URLSearchParams(hook.body));
  assert.equal(params.Body, "Hi there");
  const signature = hook.headers["x-twilio-signature"];
  assert.ok(signature, "the webhook carries X-Twilio-Signature");
  assert.equal(twilio.validateRequest(authToken, signature, hookUrl, params), true);
  assert.equal(twilio.validateRequest(authToken, signature, hookUrl, { ...params, Body: "forged" }),
               false);
  assert.equal(twilio.validateRequest("0".repeat(32), signature, hookUrl, params), false);
  server.close();
  steps.push("validate a webhook signature");

  console.log(JSON.stringify({ ok: true, steps }));
}

main().catch((e) => {
  console.error((e && e.stack) || e);
  process.exit(1);
});
