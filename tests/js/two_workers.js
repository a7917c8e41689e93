// Two agents on the real, unmodified twilio-taskrouter SDK (2.x) against a served simulator:
// a task created through the REST API (the twilio package) reaches one of them as
// reservationCreated, it accepts and completes it; a second task is offered to the other,
// who does not answer: the simulator clock is advanced past the reservation timeout, that
// agent sees the reservation's `timeout` and its activity moves to the workspace's timeout
// activity. Prints one JSON line per step; exits 0 when every step happened.
//
// Configuration (environment): SIM_URL, ACCOUNT_SID, AUTH_TOKEN, KEY_SID, KEY_SECRET.
"use strict";
const twilio = require("twilio");
const { Worker } = require("twilio-taskrouter");

const base = process.env.SIM_URL;
const { ACCOUNT_SID: accountSid, AUTH_TOKEN: authToken } = process.env;
const { KEY_SID: keySid, KEY_SECRET: keySecret } = process.env;

class SimulatorRequestClient extends twilio.RequestClient {
  request(opts) {
    const url = new URL(opts.uri);
    opts.uri = `${base}/${url.hostname.split(".")[0]}${url.pathname}${url.search}`;
    return super.request(opts);
  }
}

const client = twilio(accountSid, authToken, { httpClient: new SimulatorRequestClient() });
const log = (step, data = {}) => console.log(JSON.stringify({ step, ...data }));

function token(workspaceSid, workerSid) {
  const { AccessToken } = twilio.jwt;
  const t = new AccessToken(accountSid, keySid, keySecret, { identity: workerSid, ttl: 3600 });
  t.addGrant(new AccessToken.TaskRouterGrant({ workspaceSid, workerSid, role: "worker" }));
  return t.toJwt();
}

function once(emitter, event, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} in ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (...args) => { clearTimeout(timer); resolve(args); });
  });
}

async function control(path, body) {
  const r = await fetch(`${base}/_sim/v1/${path}`, {
    method: body ? "POST" : "GET",
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function main() {
  const { event_bridge: bridge } = await control("health");
  log("health", bridge);
  const tr = client.taskrouter.v1;
  const ws = await tr.workspaces.create({ friendlyName: "Support", template: "FIFO" });
  const wsc = tr.workspaces(ws.sid);
  const [available] = await wsc.activities.list({ friendlyName: "Available" });
  const agents = [];
  for (const name of ["alice", "bob"]) {
    const record = await wsc.workers.create({ friendlyName: name });
    const worker = new Worker(token(ws.sid, record.sid), {
      ebServer: bridge.eb_server, wsServer: bridge.ws_server,
      connectActivitySid: available.sid, logLevel: "error",
    });
    worker.on("error", (e) => log("error", { worker: name, message: String(e && e.message) }));
    await once(worker, "ready");
    // connectActivitySid: the SDK moves the Worker once ready; the bridge tells it back
    while (!worker.activity || worker.activity.sid !== available.sid) {
      await once(worker, "activityUpdated");
    }
    log("ready", { worker: name, activity: worker.activity.name,
                   channels: worker.channels.size, activities: worker.activities.size });
    agents.push({ name, worker });
  }

  // the first task reaches one of them
  const offered = Promise.race(agents.map(
    (a) => once(a.worker, "reservationCreated").then(([r]) => ({ agent: a, reservation: r }))));
  const task1 = await wsc.tasks.create({ attributes: JSON.stringify({ type: "support" }) });
  const { agent: first, reservation: r1 } = await offered;
  log("reservationCreated", { worker: first.name, task: r1.task.sid,
                              matches: r1.task.sid === task1.sid, status: r1.status,
                              type: r1.task.attributes.type });
  const accepted = once(r1, "accepted");
  await r1.accept();
  await accepted;
  log("accepted", { worker: first.name, reservation: r1.status, task: r1.task.status });

  // the second task goes to the other, who lets it time out
  const other = agents.find((a) => a !== first);
  const offered2 = once(other.worker, "reservationCreated");
  await wsc.tasks.create({ attributes: JSON.stringify({ type: "support" }) });
  const [r2] = await offered2;
  log("reservationCreated", { worker: other.name, task: r2.task.sid, status: r2.status });
  const timedOut = once(r2, "timeout");
  const moved = new Promise((resolve) => {
    const check = (w) => {
      if (w.activity.sid === ws.timeoutActivitySid) {
        other.worker.removeListener("activityUpdated", check);
        resolve(w);
      }
    };
    other.worker.on("activityUpdated", check);
  });
  await control("clock/advance", { seconds: 121 });
  await timedOut;
  log("timeout", { worker: other.name, reservation: r2.status });
  const w = await moved;
  log("activityUpdated", { worker: other.name, activity: w.activity.name,
                           timeoutActivity: w.activity.sid === ws.timeoutActivitySid,
                           available: w.available });

  // the first completes its task
  const completed = once(r1, "completed");
  await r1.task.complete("resolved");
  await completed;
  log("completed", { worker: first.name, reservation: r1.status, task: r1.task.status,
                     reason: r1.task.reason });

  for (const a of agents) {
    const gone = once(a.worker, "disconnected");
    a.worker.disconnect();
    await gone;
  }
  log("done");
}

const deadline = setTimeout(() => { log("timeout-overall"); process.exit(2); }, 90000);
main().then(() => { clearTimeout(deadline); process.exit(0); }, (e) => {
  log("failed", { message: String(e && e.stack || e) });
  process.exit(1);
});
