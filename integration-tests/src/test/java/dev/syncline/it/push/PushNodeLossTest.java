package dev.syncline.it.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.NodeProcess;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.PushClient;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import dev.syncline.it.support.WebPushSender;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability promise under SIGKILL: clients on node 2, messages posted to node 1, node 2 killed mid-stream;
 * the clients move to node 1 and every message that was answered 201 arrives. Duplicates are allowed and reported.
 */
class PushNodeLossTest {
  private static final Logger LOG = LoggerFactory.getLogger(PushNodeLossTest.class);
  private static final int CLIENTS = 20;
  private static final int MESSAGES_PER_CLIENT = 30;

  private NodeProcess first;
  private NodeProcess second;
  private final List<Receiver> receivers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    receivers.forEach(Receiver::stop);
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
  }

  @Test
  void everyAcceptedMessageArrivesAfterTheClientsNodeIsKilled() throws Exception {
    TestDatabase database = PostgresFixture.shared().newDatabase();
    TestCluster cluster = new TestCluster(2);
    int firstPort = FreePorts.next();
    int secondPort = FreePorts.next();
    first = NodeProcess.start("push-first", env(cluster, 0, database, firstPort));
    second = NodeProcess.start("push-second", env(cluster, 1, database, secondPort));
    awaitMembers(first, firstPort, 2);
    awaitMembers(second, secondPort, 2);

    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Receiver receiver = new Receiver(secondPort, firstPort);
      receivers.add(receiver);
      endpoints.add(receiver.endpoint);
      receiver.start();
    }

    Set<String> accepted = ConcurrentHashMap.newKeySet();
    int total = CLIENTS * MESSAGES_PER_CLIENT;
    for (int n = 0; n < total; n++) {
      int client = n % CLIENTS;
      if (n == total / 3) {
        second.kill();
        LOG.info("Killed node 2 after {} messages", n);
      }
      String payload = "client-" + client + "-message-" + (n / CLIENTS);
      HttpResponse<String> response = WebPushSender.post(WebPushSender.via(endpoints.get(client), firstPort), 600,
          payload.getBytes(StandardCharsets.UTF_8));
      if (response.statusCode() == 201) {
        accepted.add(payload);
      }
    }
    assertThat(accepted).hasSize(total);

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      Set<String> received = ConcurrentHashMap.newKeySet();
      receivers.forEach(receiver -> received.addAll(receiver.payloads.keySet()));
      assertThat(accepted).allMatch(received::contains);
    });
    int duplicates = receivers.stream().mapToInt(receiver -> receiver.duplicates.get()).sum();
    int reconnects = receivers.stream().mapToInt(receiver -> receiver.reconnects.get()).sum();
    LOG.info("Node loss: {} messages accepted, all received; {} duplicate deliveries, {} reconnections", total,
        duplicates, reconnects);
    System.out.printf("PUSH NODE LOSS REPORT: accepted=%d received=all duplicates=%d reconnects=%d%n", total,
        duplicates, reconnects);
    assertThat(reconnects).isGreaterThanOrEqualTo(CLIENTS);
    await().atMost(Duration.ofSeconds(30)).until(() -> first.log().contains("Removed the push routes of departed"));
    Matcher departed = Pattern.compile("Removed the push routes of departed node (\\S+)").matcher(first.log());
    assertThat(departed.find()).isTrue();
    assertThat(database.queryLong("SELECT count(*) FROM push_users WHERE node = '" + departed.group(1) + "'"))
        .as("routes left naming the killed node").isZero();
  }

  private static Map<String, String> env(TestCluster cluster, int index, TestDatabase database, int port) {
    Map<String, String> env = cluster.nodeEnv(index, database.url(), port, FreePorts.next());
    env.put("SYNCLINE_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("SYNCLINE_PUSH_ENDPOINT_KEYS", PushClusterTest.ENDPOINT_KEYS);
    return env;
  }

  private static void awaitMembers(NodeProcess node, int port, int members) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          assertThat(node.alive()).as("node on port %d is running; its log:%n%s", port, node.log()).isTrue();
          JsonObject body = Http.json(Http.get("http://127.0.0.1:" + port + "/__heartbeat__"));
          assertThat(body.getInteger("cluster_members")).isEqualTo(members);
        });
  }

  /** A user agent that acknowledges everything and, when its node goes, says hello to the other one. */
  private static final class Receiver implements Runnable {
    final Map<String, Boolean> payloads = new ConcurrentHashMap<>();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger reconnects = new AtomicInteger();
    final String endpoint;
    private final int fallbackPort;
    private final String uaid;
    private final AtomicReference<PushClient> client = new AtomicReference<>();
    private final Thread thread = new Thread(this, "push-receiver");
    private volatile boolean stopped;

    Receiver(int port, int fallbackPort) {
      PushClient first = PushClient.hello(port, null);
      this.uaid = first.uaid();
      this.endpoint = first.register();
      this.fallbackPort = fallbackPort;
      client.set(first);
    }

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      stopped = true;
      PushClient current = client.get();
      if (current != null) {
        current.close();
      }
    }

    @Override
    public void run() {
      while (!stopped) {
        PushClient current = client.get();
        if (current.closed().isDone()) {
          reconnect();
          continue;
        }
        JsonObject message = current.poll(Duration.ofMillis(200));
        if (message != null && "notification".equals(message.getString("messageType"))) {
          String payload = new String(Base64.getUrlDecoder().decode(message.getString("data")),
              StandardCharsets.UTF_8);
          if (payloads.put(payload, true) != null) {
            duplicates.incrementAndGet();
          }
          try {
            current.ack(message);
          } catch (RuntimeException e) {
            // The socket died between receiving and acknowledging: the message comes again after reconnecting.
          }
        }
      }
    }

    private void reconnect() {
      while (!stopped) {
        try {
          PushClient next = PushClient.hello(fallbackPort, uaid);
          if (!uaid.equals(next.uaid())) {
            throw new AssertionError("the uaid changed on reconnection");
          }
          client.set(next);
          reconnects.incrementAndGet();
          return;
        } catch (RuntimeException e) {
          sleep();
        }
      }
    }

    private static void sleep() {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
