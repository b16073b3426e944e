package dev.syncline.it.kinto;

import static dev.syncline.it.support.KintoClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Jwt;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import dev.syncline.storage.batching.GroupCommit;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writes to one list share transactions when they arrive while one runs: one commit serves several, and each keeps
 * its own outcome. Proved on {@link GroupCommit} itself, by the transaction id each write sees, and through the
 * HTTP API of a node whose collection lock is held from outside.
 */
class GroupCommitTest {
  private static final String SECRET = "group-commit-tests-hs256-secret-0123456789";
  private static TestDatabase database;
  private static Node node;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    database = PostgresFixture.shared().newDatabase();
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, database.url()).put("jwt_secret", SECRET));
    vertx = Vertx.vertx();
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(4))
        .connectingTo(new PgConnectOptions().setHost(database.host()).setPort(database.port())
            .setDatabase(database.name()).setUser(database.user()).setPassword(database.password()))
        .using(vertx)
        .build();
    PostgresFixture.shared().execute(database.name(),
        "CREATE TABLE grouped (id TEXT PRIMARY KEY)",
        "CREATE TABLE deferred (n INT UNIQUE DEFERRABLE INITIALLY DEFERRED)",
        "GRANT ALL ON grouped, deferred TO " + database.user());
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    TestCluster.stop(node);
  }

  @Test
  void writesArrivingWhileOneRunsShareTheNextTransactionAndKeepTheirOwnOutcomes() throws Exception {
    GroupCommit groups = new GroupCommit(pool, 3);
    Context context = vertx.getOrCreateContext();
    Promise<Void> release = Promise.promise();
    List<CompletableFuture<Long>> writes = new ArrayList<>();
    CompletableFuture<Long> otherList = new CompletableFuture<>();
    context.runOnContext(go -> {
      // The first runs alone and is held open; b..e arrive meanwhile. With groups of 3: [b, c, d], then [e].
      writes.add(outcome(groups.submit("list", conn -> insert(conn, "a")
          .compose(done -> release.future()).compose(done -> txid(conn)))));
      writes.add(outcome(groups.submit("list", conn -> insert(conn, "b").compose(done -> txid(conn)))));
      writes.add(outcome(groups.submit("list", conn -> insert(conn, "b").compose(done -> txid(conn)))));
      writes.add(outcome(groups.submit("list", conn -> insert(conn, "d").map(done -> {
        throw new IllegalStateException("refused after writing");
      }))));
      writes.add(outcome(groups.submit("list", conn -> insert(conn, "e").compose(done -> txid(conn)))));
      groups.submit("another list", conn -> insert(conn, "f").compose(done -> txid(conn)))
          .onComplete(done -> otherList.complete(done.result()));
    });

    // Another key does not wait for the held transaction.
    assertThat(otherList.get(10, TimeUnit.SECONDS)).isPositive();
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting(groups, context) == 4);
    assertThat(writes).noneMatch(CompletableFuture::isDone);
    context.runOnContext(go -> release.complete());

    long a = writes.get(0).get(10, TimeUnit.SECONDS);
    long b = writes.get(1).get(10, TimeUnit.SECONDS);
    assertThat(failure(writes.get(2))).contains("duplicate key");
    assertThat(failure(writes.get(3))).contains("refused after writing");
    long e = writes.get(4).get(10, TimeUnit.SECONDS);
    assertThat(b).as("b joins no transaction of a").isNotEqualTo(a);
    assertThat(e).as("the fourth waiting write starts the next group").isNotEqualTo(b).isNotEqualTo(a);
    assertThat(rows("grouped")).containsExactlyInAnyOrder("a", "b", "e", "f");
    assertThat(sharedTransaction(groups, context, 3)).as("three at once share one transaction").hasSize(1);
  }

  @Test
  void aGroupWhoseCommitFailsFailsEveryWriteInIt() throws Exception {
    GroupCommit groups = new GroupCommit(pool, 8);
    Context context = vertx.getOrCreateContext();
    Promise<Void> release = Promise.promise();
    List<CompletableFuture<Long>> writes = new ArrayList<>();
    context.runOnContext(go -> {
      writes.add(outcome(groups.submit("numbers", conn -> number(conn, 1).compose(done -> release.future())
          .compose(done -> txid(conn)))));
      // The unique check is deferred to the commit, which then fails for the whole group.
      writes.add(outcome(groups.submit("numbers", conn -> number(conn, 2).compose(done -> txid(conn)))));
      writes.add(outcome(groups.submit("numbers", conn -> number(conn, 2).compose(done -> txid(conn)))));
      writes.add(outcome(groups.submit("numbers", conn -> number(conn, 3).compose(done -> txid(conn)))));
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting(groups, context) == 3);
    context.runOnContext(go -> release.complete());

    assertThat(writes.get(0).get(10, TimeUnit.SECONDS)).isPositive();
    for (int i = 1; i < 4; i++) {
      assertThat(failure(writes.get(i))).contains("duplicate key");
    }
    assertThat(rows("deferred")).containsExactly("1");
  }

  @Test
  void recordWritesQueuedBehindALockedCollectionCommitTogetherInOrder() throws Exception {
    KintoClient alice = new KintoClient("http://127.0.0.1:" + node.httpPort(), Jwt.forUser(SECRET, "alice"));
    alice.collection("shared", "c");
    String records = "/buckets/shared/collections/c/records";
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = node.vertx().eventBus().localConsumer(StorageBus.CHANGES,
        msg -> published.add(msg.body()));
    consumer.completion().await(10, TimeUnit.SECONDS);
    expect(alice.put(records + "/first", new JsonObject()), 201);
    await().atMost(Duration.ofSeconds(10)).until(() -> published.size() == 1);
    published.clear();
    ExecutorService clients = Executors.newFixedThreadPool(10);
    List<java.util.concurrent.Future<HttpResponse<String>>> responses = new ArrayList<>();
    try (Connection lock = database.connect()) {
      lock.setAutoCommit(false);
      try (PreparedStatement statement = lock.prepareStatement(
          "SELECT 1 FROM timestamps WHERE parent_id = ? AND resource_name = 'record' FOR UPDATE")) {
        statement.setString(1, "/buckets/shared/collections/c");
        assertThat(statement.executeQuery().next()).isTrue();
      }
      for (int i = 0; i < 10; i++) {
        String id = "r" + i;
        Supplier<HttpResponse<String>> write = switch (i) {
          // Refused before taking a timestamp: the precondition fails.
          case 4 -> () -> alice.put(records + "/" + id, new JsonObject(), "If-Match", "\"1\"");
          // Refused after taking one: the permissions are read once the record is written.
          case 7 -> () -> alice.put(records + "/" + id,
              new JsonObject().put("permissions", new JsonObject().put("fly", new JsonArray().add("bob"))));
          default -> () -> alice.put(records + "/" + id, new JsonObject().put("data", new JsonObject().put("n", id)));
        };
        responses.add(clients.submit(write::get));
        if (i == 0) {
          await().atMost(Duration.ofSeconds(10)).until(() -> waitingForLock() == 1);
        }
      }
      // Only the first write waits at the database; the other nine wait in the node, to share one transaction.
      Thread.sleep(300);
      assertThat(waitingForLock()).as("statements waiting for the collection's lock").isEqualTo(1);
      lock.commit();
    } finally {
      clients.shutdown();
    }
    for (int i = 0; i < 10; i++) {
      int expected = i == 4 ? 412 : i == 7 ? 400 : 201;
      assertThat(responses.get(i).get(30, TimeUnit.SECONDS).statusCode()).as("write r" + i).isEqualTo(expected);
    }
    JsonArray listed = new JsonObject(expect(alice.get(records), 200).body()).getJsonArray("data");
    assertThat(listed.stream().map(record -> ((JsonObject) record).getString("id")))
        .containsExactlyInAnyOrder("first", "r0", "r1", "r2", "r3", "r5", "r6", "r8", "r9");

    await().atMost(Duration.ofSeconds(10)).until(() -> published.size() == 8);
    consumer.unregister().await(10, TimeUnit.SECONDS);
    // One message per write, each following the one before: the refused writes left no gap and no duplicate.
    long listTimestamp = KintoClient.etag(alice.get(records));
    for (int i = 0; i < published.size(); i++) {
      JsonObject message = published.get(i);
      assertThat(message.getJsonArray(StorageBus.CHANGES_FIELD)).hasSize(1);
      if (i > 0) {
        assertThat(message.getLong(StorageBus.PREVIOUS)).isEqualTo(published.get(i - 1).getLong(StorageBus.TIMESTAMP));
        assertThat(message.getLong(StorageBus.TIMESTAMP)).isGreaterThan(message.getLong(StorageBus.PREVIOUS));
      }
    }
    assertThat(published.get(published.size() - 1).getLong(StorageBus.TIMESTAMP)).isEqualTo(listTimestamp);
  }

  private static long waitingForLock() {
    return database.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        + " AND wait_event_type = 'Lock'");
  }

  private static Future<Void> insert(SqlConnection conn, String id) {
    return conn.preparedQuery("INSERT INTO grouped (id) VALUES ($1)").execute(Tuple.of(id)).mapEmpty();
  }

  private static Future<Void> number(SqlConnection conn, int n) {
    return conn.preparedQuery("INSERT INTO deferred (n) VALUES ($1)").execute(Tuple.of(n)).mapEmpty();
  }

  private static Future<Long> txid(SqlConnection conn) {
    return conn.query("SELECT txid_current()").execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Submits {@code count} writes at once (the first runs alone) and returns the transaction ids the rest saw. */
  private static List<Long> sharedTransaction(GroupCommit groups, Context context, int count) throws Exception {
    Promise<Void> release = Promise.promise();
    List<CompletableFuture<Long>> writes = new ArrayList<>();
    context.runOnContext(go -> {
      writes.add(outcome(groups.submit("again", conn -> release.future().compose(done -> txid(conn)))));
      for (int i = 0; i < count; i++) {
        writes.add(outcome(groups.submit("again", GroupCommitTest::txid)));
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting(groups, context) == count);
    context.runOnContext(go -> release.complete());
    List<Long> ids = new ArrayList<>();
    for (CompletableFuture<Long> write : writes.subList(1, writes.size())) {
      ids.add(write.get(10, TimeUnit.SECONDS));
    }
    return ids.stream().distinct().toList();
  }

  private static int waiting(GroupCommit groups, Context context) throws Exception {
    CompletableFuture<Integer> count = new CompletableFuture<>();
    context.runOnContext(go -> count.complete(groups.waiting()));
    return count.get(10, TimeUnit.SECONDS);
  }

  private static List<String> rows(String table) {
    String all = database.queryString("SELECT string_agg(" + (table.equals("grouped") ? "id" : "n::text")
        + ", ',') FROM " + table);
    return all == null ? List.of() : List.of(all.split(","));
  }

  private static <T> CompletableFuture<T> outcome(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture();
  }

  private static String failure(CompletableFuture<?> write) throws Exception {
    try {
      write.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected the write to fail");
    } catch (ExecutionException e) {
      return String.valueOf(e.getCause().getMessage());
    }
  }
}
