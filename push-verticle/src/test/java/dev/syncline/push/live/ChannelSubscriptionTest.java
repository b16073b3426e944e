package dev.syncline.push.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.contracts.bus.LiveBus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A channel subscription's gap handling on one Vert.x instance: the history is the real cluster map (local here),
 * and messages are handed to the subscription as the channel's feed would, with some held back.
 */
@ExtendWith(VertxExtension.class)
class ChannelSubscriptionTest {
  private static final long GAP_WAIT_MILLIS = 100;
  private static final ChannelRules RULES = ChannelRules.from(new JsonObject().put("live_channels", "["
      + "{\"pattern\": \"kept.*\", \"subscribe\": \"everyone\", \"history\": 100},"
      + "{\"pattern\": \"short.*\", \"subscribe\": \"everyone\", \"history\": 2},"
      + "{\"pattern\": \"plain.*\", \"subscribe\": \"everyone\"}]"));

  private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
  private Channels channels;
  private Context context;

  @BeforeEach
  void channels(Vertx vertx) {
    Context verticle = vertx.getOrCreateContext();
    channels = new Channels(vertx, verticle, new Topics(vertx, verticle));
    context = vertx.getOrCreateContext();
  }

  private static String channel(String prefix) {
    return prefix + "." + UUID.randomUUID();
  }

  /** Subscribes after offset {@code latest} (null: a channel without history), recording "offset=message". */
  private ChannelSubscription live(String channel, Long latest) {
    ChannelSubscription subscription = new ChannelSubscription(channel, RULES.ruleFor(channel).orElseThrow(), channels,
        context, GAP_WAIT_MILLIS, (name, message, offset, complete) -> received.add(offset + "=" + message
            + (complete ? "" : " after a loss")));
    context.runOnContext(v -> subscription.goLive(new JsonArray(), latest));
    return subscription;
  }

  /** Publishes as a node would (stored in the history first); nothing listens, the test hands messages over. */
  private long publish(String channel, Object message) throws Exception {
    return channels.publish(channel, RULES.ruleFor(channel).orElseThrow(), message)
        .await(5, TimeUnit.SECONDS).getLong(LiveBus.OFFSET);
  }

  private static JsonObject sent(String channel, long offset, Object message) {
    return new JsonObject().put(LiveBus.CHANNEL, channel).put(LiveBus.OFFSET, offset).put(LiveBus.MESSAGE, message);
  }

  private List<String> take(int count) throws InterruptedException {
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String next = received.poll(5, TimeUnit.SECONDS);
      assertThat(next).as("delivery " + (i + 1) + " of " + count + " after " + taken).isNotNull();
      taken.add(next);
    }
    return taken;
  }

  @Test
  void anOffsetThatNeverArrivesIsReadFromTheHistoryInItsPlace() throws Exception {
    String channel = channel("kept");
    ChannelSubscription subscription = live(channel, 0L);
    // Past the check made once after going live.
    Thread.sleep(3 * GAP_WAIT_MILLIS);
    for (int i = 1; i <= 3; i++) {
      publish(channel, "m" + i);
    }
    subscription.accept(sent(channel, 1, "m1"));
    subscription.accept(sent(channel, 3, "m3"));
    assertThat(take(3)).containsExactly("1=m1", "2=m2", "3=m3");
    assertThat(received.poll(3 * GAP_WAIT_MILLIS, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void anOffsetGoneFromTheHistoryIsSkippedAndTheNextMessageSaysSo() throws Exception {
    String channel = channel("short");
    ChannelSubscription subscription = live(channel, 0L);
    Thread.sleep(3 * GAP_WAIT_MILLIS);
    for (int i = 1; i <= 5; i++) {
      publish(channel, "m" + i);
    }
    // The history keeps 2 messages: 4 and 5.
    subscription.accept(sent(channel, 1, "m1"));
    subscription.accept(sent(channel, 5, "m5"));
    assertThat(take(3)).containsExactly("1=m1", "4=m4 after a loss", "5=m5");
    subscription.accept(sent(channel, 6, "m6"));
    assertThat(take(1)).containsExactly("6=m6");
  }

  @Test
  void whatANodeSentBeforeItKnewOfTheSubscriberIsReadOnceAfterGoingLive() throws Exception {
    String channel = channel("kept");
    long latest = publish(channel, "before");
    publish(channel, "missed");
    publish(channel, "missed too");
    live(channel, latest);
    assertThat(take(2)).containsExactly((latest + 1) + "=missed", (latest + 2) + "=missed too");
  }

  @Test
  void messagesHeldBeforeGoingLiveAreOrderedToo() throws Exception {
    String channel = channel("kept");
    ChannelSubscription subscription = new ChannelSubscription(channel, RULES.ruleFor(channel).orElseThrow(),
        channels, context, GAP_WAIT_MILLIS, (name, message, offset, complete) -> received.add(offset + "=" + message));
    subscription.accept(sent(channel, 3, "c"));
    subscription.accept(sent(channel, 2, "b"));
    subscription.accept(sent(channel, 1, "replayed"));
    context.runOnContext(v -> subscription.goLive(new JsonArray().add(new JsonObject().put(LiveBus.OFFSET, 1)
        .put(LiveBus.MESSAGE, "a")), 1L));
    assertThat(take(3)).containsExactly("1=a", "2=b", "3=c");
  }

  @Test
  void aChannelWithoutHistoryPassesMessagesOnAsTheyCome() throws Exception {
    String channel = channel("plain");
    ChannelSubscription subscription = live(channel, null);
    subscription.accept(new JsonObject().put(LiveBus.CHANNEL, channel).put(LiveBus.MESSAGE, "x"));
    subscription.accept(new JsonObject().put(LiveBus.CHANNEL, channel).put(LiveBus.MESSAGE, "y"));
    assertThat(take(2)).containsExactly("null=x", "null=y");
  }

  @Test
  void aClosedSubscriptionDeliversNothingMore() throws Exception {
    String channel = channel("kept");
    ChannelSubscription subscription = live(channel, 0L);
    Thread.sleep(3 * GAP_WAIT_MILLIS);
    publish(channel, "m1");
    publish(channel, "m2");
    subscription.accept(sent(channel, 2, "m2"));
    context.runOnContext(v -> subscription.close());
    assertThat(received.poll(3 * GAP_WAIT_MILLIS, TimeUnit.MILLISECONDS)).isNull();
  }
}
