// Drives a Syncline node with the unmodified npm Kinto clients, kinto-http and Kinto.js, the way an application
// would, and fails on anything they do not get back as they expect from a real Kinto server.
//
//   node kinto-proof.mjs <server URL ending in /v1> <bearer token of user A> <bearer token of user B>
//
// Exit code 0 when every check passed, 1 when one failed, 2 on bad usage. The last line is a summary.
// KINTO_PROOF_TRACE=1 prints every request as it is answered.

// Kinto.js keeps its local copy in IndexedDB; Node has none, so a fake one stands in (both clients get a database
// of their own inside it, which is all the browser would give them too).
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import kintoHttpModule from "kinto-http";
import kintoModule from "kinto";

// Both packages are CommonJS with the class as `exports.default`.
const KintoHttp = kintoHttpModule.default;
const Kinto = kintoModule.default;

const [remote, tokenA, tokenB] = process.argv.slice(2);
if (!remote || !/\/v1\/?$/.test(remote) || !tokenA || !tokenB) {
  console.error("usage: node kinto-proof.mjs <server URL ending in /v1> <token A> <token B>");
  process.exit(2);
}

process.on("unhandledRejection", (e) => {
  console.log(`kinto-proof: FAILED with an error no check caught: ${describe(e)}`);
  process.exit(1);
});

const trace = recordTraffic();
const results = { passed: 0, failed: [] };

class SectionAborted extends Error {}

async function step(name, check, { critical = false } = {}) {
  const mark = trace.mark();
  try {
    const value = await check();
    results.passed += 1;
    console.log(`ok    ${name}`);
    return value;
  } catch (e) {
    results.failed.push(name);
    console.log(`FAIL  ${name}\n      ${describe(e).replaceAll("\n", "\n      ")}`);
    for (const line of trace.since(mark).slice(-8)) {
      console.log(`      > ${line}`);
    }
    if (critical) {
      throw new SectionAborted(name);
    }
    return undefined;
  }
}


async function section(name, body) {
  console.log(`-- ${name}`);
  try {
    await body();
  } catch (e) {
    if (!(e instanceof SectionAborted)) {
      results.failed.push(`${name}: unexpected error`);
      console.log(`FAIL  ${name} stopped: ${describe(e)}`);
    } else {
      console.log(`      (rest of "${name}" skipped: it needs "${e.message}")`);
    }
  }
}

function describe(e) {
  if (e && e.response && e.data) {
    return `${e.message}\n${JSON.stringify(e.data)}`;
  }
  return e && e.stack ? e.stack.split("\n").slice(0, 4).join("\n") : String(e);
}

// kinto-http turns every status >= 400 into a ServerResponse error carrying the status and the parsed body.
async function rejects(promise, status, errno) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.response?.status, status, `expected HTTP ${status}, got ${e.message}`);
    if (errno !== undefined) {
      assert.equal(e.data?.errno, errno, `expected errno ${errno} in ${JSON.stringify(e.data)}`);
    }
    return e;
  }
  assert.fail(`expected HTTP ${status}, but the request succeeded`);
}

// Every fetch of either client goes through here, so a failure can show the requests that led to it.
function recordTraffic() {
  const lines = [];
  const batches = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init = {}) => {
    const method = init.method || "GET";
    const response = await realFetch(url, init);
    const path = String(url).replace(/^.*?\/v1/, "/v1");
    let line = `${method} ${path} -> ${response.status} etag=${response.headers.get("ETag") ?? "-"}`;
    if (response.status >= 400) {
      line += ` ${(await response.clone().text()).slice(0, 300)}`;
    }
    if (path === "/v1/batch" && method === "POST") {
      const sent = JSON.parse(init.body).requests;
      batches.push(sent.length);
      // An answer that is not the expected JSON is for the client to complain about, not for this recorder.
      const answered = await response.clone().json().then((body) => body.responses ?? [], () => []);
      answered.forEach((sub, i) => {
        if (sub.status >= 400 && sent[i]) {
          line += `\n        [${i}] ${sent[i].method} ${sent[i].path} ${JSON.stringify(sent[i].headers)} -> ${sub.status}`
            + ` ${JSON.stringify(sub.body).slice(0, 300)}`;
        }
      });
    }
    lines.push(line);
    if (process.env.KINTO_PROOF_TRACE) {
      console.log(`      > ${line}`);
    }
    return response;
  };
  return {
    mark: () => lines.length,
    since: (mark) => lines.slice(mark),
    batchSizesSince: (mark) => batches.slice(mark),
    batchMark: () => batches.length,
  };
}

// The server names the user in `GET /v1/`; that part is optional in Kinto, so fall back to the token's subject.
async function principalOf(client, token) {
  const user = await client.fetchUser();
  if (user?.id) {
    return user.id;
  }
  const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
  return `jwt:${claims.sub}`;
}

const suffix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const headersA = { Authorization: `Bearer ${tokenA}` };
const headersB = { Authorization: `Bearer ${tokenB}` };

await section("kinto-http", async () => {
  const alice = new KintoHttp(remote, { headers: headersA });
  const bob = new KintoHttp(remote, { headers: headersB });
  const bucketId = `http-${suffix}`;
  const aliceId = await principalOf(alice, tokenA);
  const bobId = await principalOf(bob, tokenB);

  await step("server info: HTTP API version, settings, capabilities", async () => {
    const info = await alice.fetchServerInfo();
    assert.equal(typeof info.http_api_version, "string");
    assert.match(await alice.fetchHTTPApiVersion(), /^1\.\d+$/);
    assert.equal(typeof (await alice.fetchServerSettings()).batch_max_requests, "number");
    assert.equal(typeof (await alice.fetchServerCapabilities()), "object");
  });

  await step("createBucket (safe) and refusing to create it twice", async () => {
    const { data } = await alice.createBucket(bucketId, { safe: true });
    assert.equal(data.id, bucketId);
    assert.equal(typeof data.last_modified, "number");
    await rejects(alice.createBucket(bucketId, { safe: true }), 412, 114);
  }, { critical: true });
  const bucket = alice.bucket(bucketId);

  await step("createCollection", async () => {
    const { data } = await bucket.createCollection("notes", { safe: true });
    assert.equal(data.id, "notes");
  }, { critical: true });
  const notes = bucket.collection("notes");

  const created = await step("createRecord without id (POST) and with id (PUT, safe)", async () => {
    const posted = (await notes.createRecord({ title: "posted" })).data;
    assert.match(posted.id, /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/);
    assert.equal(posted.title, "posted");
    const put = (await notes.createRecord({ id: "fixed", title: "first" }, { safe: true })).data;
    assert.deepEqual({ id: put.id, title: put.title }, { id: "fixed", title: "first" });
    assert.equal(typeof put.last_modified, "number");
    await rejects(notes.createRecord({ id: "fixed", title: "again" }, { safe: true }), 412, 114);
    return { posted, put };
  }, { critical: true });

  await step("getRecord", async () => {
    const { data } = await notes.getRecord("fixed");
    assert.deepEqual(data, created.put);
    await rejects(notes.getRecord("missing"), 404, 110);
  });

  const updated = await step("updateRecord with safe/last_modified; a stale one is a 412 with the current record",
    async () => {
      const { data } = await notes.updateRecord({ ...created.put, title: "second" }, { safe: true });
      assert.equal(data.title, "second");
      assert.ok(data.last_modified > created.put.last_modified, "last_modified must grow");
      const conflict = await rejects(notes.updateRecord({ ...created.put, title: "stale" }, { safe: true }), 412, 114);
      assert.deepEqual(conflict.data.details?.existing, data);
      const patched = (await notes.updateRecord({ id: "fixed", extra: 1 },
        { patch: true, safe: true, last_modified: data.last_modified })).data;
      assert.deepEqual({ title: patched.title, extra: patched.extra }, { title: "second", extra: 1 });
      return patched;
    });

  await step("deleteRecord with safe/last_modified", async () => {
    await rejects(notes.deleteRecord("fixed", { safe: true, last_modified: created.put.last_modified }), 412, 114);
    const { data } = await notes.deleteRecord("fixed", { safe: true, last_modified: updated.last_modified });
    assert.equal(data.id, "fixed");
    assert.equal(data.deleted, true);
    await rejects(notes.getRecord("fixed"), 404, 110);
    await notes.deleteRecord(created.posted.id);
  });

  await step("batch with aggregate: published, conflicts and skipped", async () => {
    await notes.createRecord({ id: "taken", n: 100, kind: "taken" });
    const result = await notes.batch((batch) => {
      for (let n = 0; n < 7; n++) {
        batch.createRecord({ id: `n${n}`, n, kind: n % 2 === 0 ? "even" : "odd" });
      }
      batch.createRecord({ id: "taken", n: -1 });
      // A safe delete needs a timestamp to send in If-Match; any will do for a record that never existed.
      batch.deleteRecord("never-existed", { last_modified: 1 });
    }, { aggregate: true, safe: true });
    assert.equal(result.errors.length, 0, JSON.stringify(result.errors));
    assert.deepEqual(result.published.map((body) => body.data.id), ["n0", "n1", "n2", "n3", "n4", "n5", "n6"]);
    assert.equal(result.conflicts.length, 1);
    assert.equal(result.conflicts[0].remote?.n, 100, "a conflict carries the server's record");
    assert.deepEqual(result.skipped.map((skip) => skip.id), ["never-existed"]);
  }, { critical: true });

  await step("listRecords with filters and sort", async () => {
    const evens = await notes.listRecords({ filters: { kind: "even" }, sort: "n" });
    assert.deepEqual(evens.data.map((r) => r.n), [0, 2, 4, 6]);
    const middle = await notes.listRecords({ filters: { min_n: 2, max_n: 4 }, sort: "-n" });
    assert.deepEqual(middle.data.map((r) => r.n), [4, 3, 2]);
    const some = await notes.listRecords({ filters: { in_id: ["n1", "n5"], exclude_kind: "even" }, sort: "id" });
    assert.deepEqual(some.data.map((r) => r.id), ["n1", "n5"]);
    assert.match(evens.last_modified, /^\d+$/, "listings carry the collection timestamp as ETag");
  });

  await step("listRecords with limit, next() and pages", async () => {
    const first = await notes.listRecords({ sort: "n", limit: 3 });
    assert.deepEqual(first.data.map((r) => r.n), [0, 1, 2]);
    assert.equal(first.hasNextPage, true);
    const second = await first.next();
    assert.deepEqual(second.data.map((r) => r.n), [3, 4, 5]);
    const all = await notes.listRecords({ sort: "n", limit: 3, pages: Infinity });
    assert.deepEqual(all.data.map((r) => r.n), [0, 1, 2, 3, 4, 5, 6, 100]);
    assert.equal(all.hasNextPage, false);
    const two = await notes.listRecords({ sort: "n", limit: 2, pages: 2 });
    assert.deepEqual(two.data.map((r) => r.n), [0, 1, 2, 3]);
  });

  await step("listRecords since a timestamp returns changes and tombstones", async () => {
    // kinto-http hands back the ETag as sent, quotes included, and passes it on as `_since` unchanged.
    const since = await notes.getRecordsTimestamp();
    assert.match(since, /^"\d+"$/);
    await notes.updateRecord({ id: "n1", n: 1, kind: "odd", touched: true });
    await notes.deleteRecord("n2");
    const { data, last_modified } = await notes.listRecords({ since });
    assert.deepEqual(data.map((r) => r.id).sort(), ["n1", "n2"]);
    assert.deepEqual(data.find((r) => r.id === "n2"), { id: "n2", last_modified: Number(last_modified), deleted: true });
    assert.equal((await notes.listRecords({ since: last_modified })).data.length, 0);
  });

  await step("listRecords with awkward filter values, like_, has_ and fields", async () => {
    const title = "Crème brûlée & co = 100% 🍮, done?";
    await notes.createRecord({ id: "awkward", n: 50, title, tags: ["x"] });
    assert.deepEqual((await notes.listRecords({ filters: { title } })).data.map((r) => r.id), ["awkward"]);
    assert.deepEqual((await notes.listRecords({ filters: { like_title: "brûlée" } })).data.map((r) => r.id),
      ["awkward"]);
    assert.deepEqual((await notes.listRecords({ filters: { has_title: true } })).data.map((r) => r.id), ["awkward"]);
    const [projected] = (await notes.listRecords({ filters: { id: "awkward" }, fields: ["n"] })).data;
    assert.deepEqual(Object.keys(projected).sort(), ["id", "last_modified", "n"]);
    await notes.deleteRecord("awkward");
  });

  // Node does not enforce CORS; in a browser the same clients only see the headers the server exposes.
  await step("CORS: a browser page may send the clients' headers and read ETag, Next-Page, Total-Records", async () => {
    const url = `${remote.replace(/\/$/, "")}/buckets/${bucketId}/collections/notes/records?_limit=1`;
    const preflight = await fetch(url, { method: "OPTIONS", headers: { Origin: "https://app.example",
      "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization,content-type,if-match" } });
    assert.ok(preflight.ok, `preflight answered ${preflight.status}`);
    assert.ok(preflight.headers.get("Access-Control-Allow-Origin"), "preflight without Access-Control-Allow-Origin");
    const allowed = (preflight.headers.get("Access-Control-Allow-Headers") ?? "").toLowerCase();
    for (const header of ["authorization", "content-type", "if-match", "if-none-match"]) {
      assert.ok(allowed.includes(header), `preflight does not allow ${header}: ${allowed}`);
    }
    const listing = await fetch(url, { headers: { ...headersA, Origin: "https://app.example" } });
    const exposed = (listing.headers.get("Access-Control-Expose-Headers") ?? "").toLowerCase();
    for (const header of ["etag", "next-page", "total-records", "backoff", "retry-after", "alert"]) {
      assert.ok(exposed.includes(header), `${header} is not exposed: ${exposed}`);
    }
  });

  await step("getTotalRecords (HEAD)", async () => {
    assert.equal(await notes.getTotalRecords(), 7);
  });

  await step("bucket and collection data, listBuckets, listCollections", async () => {
    const collectionData = await notes.setData({ description: "notes" }, { patch: true });
    assert.equal(collectionData.data.description, "notes");
    assert.equal((await notes.getData()).description, "notes");
    await bucket.setData({ title: "proof" }, { patch: true });
    assert.equal((await bucket.getData()).title, "proof");
    assert.ok((await alice.listBuckets()).data.some((b) => b.id === bucketId));
    assert.deepEqual((await bucket.listCollections()).data.map((c) => c.id), ["notes"]);
  });

  await step("bucket.setPermissions lets the other user read the bucket", async () => {
    await rejects(bob.bucket(bucketId).getData(), 403, 121);
    const { permissions } = await bucket.setPermissions({ read: [bobId] });
    assert.ok(permissions.read.includes(bobId), JSON.stringify(permissions));
    assert.ok(permissions.write.includes(aliceId), "the owner keeps write");
    assert.equal((await bob.bucket(bucketId).getData()).id, bucketId);
    assert.ok((await bob.bucket(bucketId).listCollections()).data.some((c) => c.id === "notes"));
  });

  const privateRecords = bucket.collection("private");
  await step("collection.setPermissions gives the other user read on the collection, not write", async () => {
    await bucket.createCollection("private");
    await privateRecords.createRecord({ id: "p", secret: true });
    // Bob would inherit read from the bucket. A PUT replaces only the permission types it names, so revoking
    // takes an empty list (`{}` would change nothing).
    await bucket.setPermissions({ read: [] });
    const bobsView = bob.bucket(bucketId).collection("private");
    await rejects(bobsView.getRecord("p"), 403, 121);
    const { permissions } = await privateRecords.setPermissions({ read: [bobId] });
    assert.deepEqual(permissions.read, [bobId]);
    assert.deepEqual((await bobsView.listRecords()).data.map((r) => r.id), ["p"]);
    assert.equal((await bobsView.getRecord("p")).data.secret, true);
    await rejects(bobsView.createRecord({ id: "q" }), 403, 121);
    await privateRecords.setPermissions({ read: [] });
    await rejects(bobsView.getRecord("p"), 403, 121);
  });

  // kinto-http's add/removePermissions send RFC 6902 operations on `/permissions/{type}/{principal}` without a
  // `value`; the server treats each permission as a set keyed by principal, as Kinto does.
  await step("collection.addPermissions / removePermissions (JSON-Patch on one principal)", async () => {
      const bobsView = bob.bucket(bucketId).collection("private");
      const added = await privateRecords.addPermissions({ read: [bobId] });
      assert.deepEqual(added.permissions.read, [bobId]);
      assert.equal((await bobsView.getRecord("p")).data.secret, true);
      const removed = await privateRecords.removePermissions({ read: [bobId] });
      assert.deepEqual(removed.permissions.read ?? [], []);
      await rejects(bobsView.getRecord("p"), 403, 121);
    });

  await step("deleteRecords with a filter, deleteCollection, deleteBucket", async () => {
    const { data } = await notes.deleteRecords({ filters: { kind: "odd" } });
    assert.deepEqual(data.map((r) => r.id).sort(), ["n1", "n3", "n5"]);
    assert.ok(data.every((r) => r.deleted === true));
    assert.equal(await notes.getTotalRecords(), 4);
    await bucket.deleteCollection("private");
    await rejects(bucket.collection("private").getData(), 404);
    await alice.deleteBucket(bucketId);
    await rejects(bucket.getData(), 403);
  });
});

await section("Kinto.js", async () => {
  const bucketId = `sync-${suffix}`;
  const admin = new KintoHttp(remote, { headers: headersA });
  const server = admin.bucket(bucketId).collection("tasks");
  await step("bucket and collection to sync into", async () => {
    await admin.createBucket(bucketId, { safe: true });
    await admin.bucket(bucketId).createCollection("tasks", { safe: true });
  }, { critical: true });

  // Lets a test change the server while Kinto.js sits between its pull and its push, the only way to make the
  // push itself meet a conflict.
  let betweenPullAndPush = null;
  const interfere = async (payload) => {
    if (betweenPullAndPush) {
      const action = betweenPullAndPush;
      betweenPullAndPush = null;
      await action();
    }
    return payload;
  };
  const device = (name) => new Kinto({ remote, bucket: bucketId, headers: headersA, adapterOptions: { dbName: name } })
    .collection("tasks", { hooks: { "incoming-changes": [interfere] } });
  const a = device(`proof-a-${suffix}`);
  const b = device(`proof-b-${suffix}`);

  // sync() replaces its whole default options object with the one given, so the defaults are repeated here.
  const sync = (collection, strategy = Kinto.syncStrategy.MANUAL) =>
    collection.sync({ strategy, headers: {}, retry: 1, ignoreBackoff: false });
  const expectClean = (result) => {
    assert.equal(result.ok, true, `sync not ok: ${JSON.stringify({ errors: result.errors, conflicts: result.conflicts })}`);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.conflicts, []);
    return result;
  };
  const local = async (collection, id) => (await collection.get(id)).data;

  await step("an empty collection synced twice, its metadata changed between, is not taken for a flushed server",
    async () => {
      expectClean(await sync(a));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await admin.bucket(bucketId).collection("tasks").setData({ description: "to do" }, { patch: true });
      expectClean(await sync(a));
    });

  const ids = {};
  await step("create on A, sync A then B", async () => {
    ids.one = (await a.create({ title: "one", done: false })).data.id;
    ids.two = (await a.create({ title: "two", done: false })).data.id;
    ids.rich = (await a.create({
      title: "Crème brûlée — 🍮 \"quoted\" \\ back\nslash", tags: ["a", "b"], nested: { deep: { n: 1.5, nothing: null } },
      flag: false, big: 1234567890123, small: -0.000001, empty: {}, none: [],
    })).data.id;
    const pushed = expectClean(await sync(a));
    assert.equal(pushed.published.length, 3);
    const pulled = expectClean(await sync(b));
    assert.deepEqual(pulled.created.map((r) => r.id).sort(), [ids.one, ids.two, ids.rich].sort());
    assert.equal((await local(b, ids.one)).title, "one");
    const { _status: ignored, ...rich } = await local(a, ids.rich);
    assert.deepEqual((await server.getRecord(ids.rich)).data, rich, "the server keeps contents exactly");
  }, { critical: true });

  await step("update and delete on B, sync B then A", async () => {
    await b.update({ ...(await local(b, ids.one)), done: true });
    await b.delete(ids.two);
    const pushed = expectClean(await sync(b));
    assert.equal(pushed.published.length, 2);
    const pulled = expectClean(await sync(a));
    assert.equal((await local(a, ids.one)).done, true);
    assert.deepEqual(pulled.deleted.map((r) => r.id), [ids.two]);
    assert.ok(!(await a.list()).data.some((r) => r.id === ids.two), "the deleted record is gone from A");
  }, { critical: true });

  await step("a sync with nothing new changes nothing", async () => {
    for (const collection of [a, b]) {
      const result = expectClean(await sync(collection));
      assert.equal(result.created.length + result.updated.length + result.deleted.length + result.published.length, 0);
    }
  });

  await step("conflict: B modifies what A already changed; manual resolve, sync again", async () => {
    await a.update({ ...(await local(a, ids.one)), title: "one by A" });
    await b.update({ ...(await local(b, ids.one)), title: "one by B" });
    expectClean(await sync(a));
    const clash = await sync(b);
    assert.equal(clash.ok, false);
    assert.equal(clash.conflicts.length, 1);
    const [conflict] = clash.conflicts;
    assert.equal(conflict.type, "incoming");
    assert.equal(conflict.remote.title, "one by A");
    assert.equal(conflict.local.title, "one by B");
    await b.resolve(conflict, { ...conflict.local, title: "one by A and B" });
    expectClean(await sync(b));
    expectClean(await sync(a));
    assert.equal((await local(a, ids.one)).title, "one by A and B");
    assert.equal((await server.getRecord(ids.one)).data.title, "one by A and B");
  });

  await step("conflict resolved with client_wins, then server_wins", async () => {
    await a.update({ ...(await local(a, ids.one)), title: "A again" });
    await b.update({ ...(await local(b, ids.one)), title: "B wins" });
    expectClean(await sync(a));
    const clientWins = expectClean(await sync(b, Kinto.syncStrategy.CLIENT_WINS));
    assert.equal(clientWins.resolved.length, 1);
    expectClean(await sync(a));
    assert.equal((await local(a, ids.one)).title, "B wins");

    await a.update({ ...(await local(a, ids.one)), title: "A wins" });
    await b.update({ ...(await local(b, ids.one)), title: "B loses" });
    expectClean(await sync(a));
    const serverWins = expectClean(await sync(b, Kinto.syncStrategy.SERVER_WINS));
    assert.equal(serverWins.resolved.length, 1);
    assert.equal((await local(b, ids.one)).title, "A wins");
    assert.equal((await server.getRecord(ids.one)).data.title, "A wins");
  });

  await step("conflict on push (412 in the batch): server_wins takes the server's record", async () => {
    ids.three = (await a.create({ title: "three" })).data.id;
    expectClean(await sync(a));
    expectClean(await sync(b));
    await b.update({ ...(await local(b, ids.three)), title: "three by B" });
    betweenPullAndPush = async () => {
      const current = (await server.getRecord(ids.three)).data;
      await server.updateRecord({ ...current, title: "three meanwhile" }, { safe: true });
    };
    const result = expectClean(await sync(b, Kinto.syncStrategy.SERVER_WINS));
    assert.equal(betweenPullAndPush, null, "the hook ran");
    assert.equal(result.resolved.length, 1);
    assert.equal((await local(b, ids.three)).title, "three meanwhile");
  });

  await step("a delete that meets a record deleted meanwhile is skipped (404), not a conflict", async () => {
    ids.four = (await a.create({ title: "four" })).data.id;
    expectClean(await sync(a));
    expectClean(await sync(b));
    await b.delete(ids.four);
    betweenPullAndPush = () => server.deleteRecord(ids.four);
    const result = expectClean(await sync(b));
    assert.equal(betweenPullAndPush, null, "the hook ran");
    // Kinto.js takes the 404 to mean "already gone" and drops its tombstone instead of reporting anything.
    const leftOnB = (await b.list({}, { includeDeleted: true })).data;
    assert.ok(!leftOnB.some((r) => r.id === ids.four), "B still keeps the deleted record");
    expectClean(await sync(a));
    assert.ok(!(await a.list()).data.some((r) => r.id === ids.four), "the record is gone from A");
  });

  await step("more records than batch_max_requests: Kinto.js pushes them in several batches", async () => {
    const { batch_max_requests: perBatch } = await admin.fetchServerSettings();
    const count = 60;
    assert.ok(count > perBatch, `batch_max_requests is ${perBatch}; ${count} records would not need chunks`);
    for (let i = 0; i < count; i++) {
      await a.create({ title: `bulk ${i}`, index: i });
    }
    const mark = trace.batchMark();
    const pushed = expectClean(await sync(a));
    assert.equal(pushed.published.length, count);
    const sizes = trace.batchSizesSince(mark);
    assert.ok(sizes.length >= Math.ceil(count / perBatch) && sizes.every((size) => size <= perBatch),
      `batch sizes ${JSON.stringify(sizes)} for ${count} records at most ${perBatch} per batch`);
    const pulled = expectClean(await sync(b));
    assert.equal(pulled.created.length, count);
  });

  await step("expectedTimestamp (cache-busting _expected) is ignored by the server", async () => {
    const { last_modified: expectedTimestamp } = await server.listRecords({ limit: 1 });
    const result = await a.sync({ strategy: Kinto.syncStrategy.MANUAL, headers: {}, retry: 1, expectedTimestamp });
    expectClean(result);
  });

  await step("resetSyncStatus: a full pull finds every local record already on the server", async () => {
    await b.resetSyncStatus();
    const result = expectClean(await sync(b));
    assert.deepEqual(result.published, [], "records identical to the server's need no push");
  });

  await step("both devices and the server hold the same records", async () => {
    expectClean(await sync(a));
    expectClean(await sync(b));
    const normalise = (records) => records
      .map(({ _status, ...record }) => record)
      .sort((x, y) => x.id.localeCompare(y.id));
    const onA = normalise((await a.list()).data);
    const onB = normalise((await b.list()).data);
    const onServer = normalise((await server.listRecords({ pages: Infinity })).data);
    assert.equal(onServer.length, 63);
    assert.deepEqual(onA, onServer, "device A differs from the server");
    assert.deepEqual(onB, onServer, "device B differs from the server");
    const unsynced = [...(await a.list()).data, ...(await b.list()).data].filter((r) => r._status !== "synced");
    assert.deepEqual(unsynced, []);
  });
});

const total = results.passed + results.failed.length;
if (results.failed.length > 0) {
  console.log(`kinto-proof: ${results.failed.length} of ${total} checks FAILED: ${results.failed.join("; ")}`);
  process.exit(1);
}
const version = (name) => createRequire(import.meta.url)(`${name}/package.json`).version;
console.log(`kinto-proof: all ${total} checks passed with kinto-http ${version("kinto-http")} and kinto`
  + ` ${version("kinto")} against ${remote}`);
