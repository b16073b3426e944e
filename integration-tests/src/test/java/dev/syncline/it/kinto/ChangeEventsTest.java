package dev.syncline.it.kinto;

import static dev.syncline.it.support.KintoClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.SharedNode;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** After each committed record change the node publishes an event, in timestamp order per collection. */
class ChangeEventsTest {
  private final KintoClient alice = SharedNode.client(SharedNode.unique("alice"));
  private final List<JsonObject> transactions = new CopyOnWriteArrayList<>();
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> consumer;
  private String bucket;
  private String records;

  @BeforeEach
  void listen() throws Exception {
    bucket = SharedNode.unique("b");
    alice.collection(bucket, "c");
    records = "/buckets/" + bucket + "/collections/c/records";
    consumer = SharedNode.get().vertx().eventBus().<JsonObject>localConsumer(StorageBus.CHANGES, msg -> {
      if (bucket.equals(msg.body().getString(StorageBus.BUCKET))) {
        transactions.add(msg.body());
        msg.body().getJsonArray(StorageBus.CHANGES_FIELD).forEach(change -> events.add((JsonObject) change));
      }
    });
    consumer.completion().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    consumer.unregister().await(10, TimeUnit.SECONDS);
  }

  @Test
  void insertUpdateAndDeleteCarryOldAndNewData() {
    expect(alice.put(records + "/r", new JsonObject().put("data", new JsonObject().put("v", 1))), 201);
    expect(alice.patch(records + "/r", "{\"data\": {\"v\": 2}}", "application/json"), 200);
    expect(alice.delete(records + "/r"), 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);

    assertThat(events).extracting(event -> event.getString(StorageBus.TYPE))
        .containsExactly("insert", "update", "delete");
    JsonObject insert = events.get(0);
    assertThat(transactions.get(0).getString(StorageBus.COLLECTION)).isEqualTo("c");
    assertThat(insert.getString(StorageBus.ID)).isEqualTo("r");
    assertThat(insert.getValue(StorageBus.OLD)).isNull();
    assertThat(insert.getJsonObject(StorageBus.NEW).getInteger("v")).isEqualTo(1);
    JsonObject update = events.get(1);
    assertThat(update.getJsonObject(StorageBus.OLD).getInteger("v")).isEqualTo(1);
    assertThat(update.getJsonObject(StorageBus.NEW).getInteger("v")).isEqualTo(2);
    JsonObject delete = events.get(2);
    assertThat(delete.getJsonObject(StorageBus.OLD).getInteger("v")).isEqualTo(2);
    assertThat(delete.getValue(StorageBus.NEW)).isNull();
    assertThat(delete.getLong(StorageBus.TIMESTAMP)).isGreaterThan(update.getLong(StorageBus.TIMESTAMP));
  }

  @Test
  void refusedWritesPublishNothing() {
    expect(alice.put(records + "/r", new JsonObject()), 201);
    assertThat(alice.put(records + "/r", new JsonObject(), "If-None-Match", "*").statusCode()).isEqualTo(412);
    expect(alice.put(records + "/s", new JsonObject()), 201);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    assertThat(events).extracting(event -> event.getString(StorageBus.ID)).containsExactly("r", "s");
  }

  @Test
  void concurrentWritesArePublishedInTimestampOrder() throws Exception {
    int writes = 60;
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    for (int i = 0; i < writes; i++) {
      String id = "w" + (i % 10);
      clients.submit(() -> statuses.add(alice.put(records + "/" + id, new JsonObject()).statusCode()));
    }
    clients.shutdown();
    assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(statuses).hasSize(writes).allMatch(status -> status == 200 || status == 201);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == writes);
    List<Long> stamps = events.stream().map(event -> event.getLong(StorageBus.TIMESTAMP)).toList();
    assertThat(stamps).isSorted().doesNotHaveDuplicates();
    // Each transaction names the collection timestamp it followed: together they form an unbroken chain.
    for (int i = 1; i < transactions.size(); i++) {
      assertThat(transactions.get(i).getLong(StorageBus.PREVIOUS))
          .isEqualTo(transactions.get(i - 1).getLong(StorageBus.TIMESTAMP));
    }
  }

  @Test
  void aBulkDeleteIsOneTransactionWithAllItsChanges() {
    expect(alice.put(records + "/a", new JsonObject()), 201);
    expect(alice.put(records + "/b", new JsonObject()), 201);
    expect(alice.delete(records), 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == 3);
    JsonObject bulk = transactions.get(2);
    assertThat(bulk.getJsonArray(StorageBus.CHANGES_FIELD)).hasSize(2);
    assertThat(bulk.getLong(StorageBus.PREVIOUS)).isEqualTo(transactions.get(1).getLong(StorageBus.TIMESTAMP));
  }
}
