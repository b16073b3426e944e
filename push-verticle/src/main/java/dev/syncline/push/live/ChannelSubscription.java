package dev.syncline.push.live;

import dev.syncline.contracts.bus.LiveBus;
import io.vertx.core.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One client's subscription to a PubSub channel. Until the history replay is sent, messages from the channel are
 * buffered; after it, those the replay already carried (by offset) are dropped.
 *
 * <p>On a channel with a history, messages published on several nodes may arrive out of offset order: an
 * {@link OffsetOrder} holds the early ones. An offset still missing after the gap wait is read from the history;
 * one that is gone from it too is skipped, and the next message tells the client ({@code recovered: false}).
 * Confined to the connection's context; the channel's feed calls {@link #accept} on the live verticle's.
 */
final class ChannelSubscription implements Consumer<JsonObject> {
  /** Where the subscription's messages go: the connection. */
  interface Receiver {
    /** {@code offset} is null on a channel without history; {@code complete} is false after lost offsets. */
    void message(String channel, Object message, Long offset, boolean complete);
  }

  private final String channel;
  private final ChannelRules.Rule rule;
  private final Channels channels;
  private final Context context;
  private final long gapWaitMillis;
  private final Receiver receiver;
  private final List<JsonObject> buffered = new ArrayList<>();
  private OffsetOrder order;
  private long gapTimer = -1;
  private boolean reading;
  private boolean live;
  private boolean closed;

  ChannelSubscription(String channel, ChannelRules.Rule rule, Channels channels, Context context, long gapWaitMillis,
      Receiver receiver) {
    this.channel = channel;
    this.rule = rule;
    this.channels = channels;
    this.context = context;
    this.gapWaitMillis = gapWaitMillis;
    this.receiver = receiver;
  }

  String channel() {
    return channel;
  }

  @Override
  public void accept(JsonObject published) {
    context.runOnContext(v -> receive(published));
  }

  /**
   * Sends the replayed messages, then whatever arrived meanwhile that they did not include. {@code latest} is the
   * channel's offset the replay reaches (null without a history): the next message expected follows it.
   */
  void goLive(JsonArray replay, Long latest) {
    for (Object item : replay) {
      JsonObject message = (JsonObject) item;
      receiver.message(channel, message.getValue(LiveBus.MESSAGE), message.getLong(LiveBus.OFFSET), true);
    }
    if (latest != null) {
      order = new OffsetOrder(latest, (offset, message, complete) -> receiver.message(channel, message, offset,
          complete));
    }
    live = true;
    buffered.forEach(this::receive);
    buffered.clear();
    if (order != null) {
      // A node whose view of this node's interest lagged may not have sent us what it published since: check once.
      context.owner().setTimer(gapWaitMillis, t -> read(order.delivered()));
    }
  }

  void close() {
    closed = true;
    buffered.clear();
    context.owner().cancelTimer(gapTimer);
  }

  private void receive(JsonObject published) {
    if (closed) {
      return;
    }
    if (!live) {
      buffered.add(published);
      return;
    }
    Long offset = published.getLong(LiveBus.OFFSET);
    if (offset == null || order == null) {
      receiver.message(channel, published.getValue(LiveBus.MESSAGE), offset, true);
      return;
    }
    order.offer(offset, published.getValue(LiveBus.MESSAGE));
    if (order.waiting()) {
      awaitGap();
    } else {
      context.owner().cancelTimer(gapTimer);
      gapTimer = -1;
    }
  }

  /** Gives the offsets missing now the gap wait to arrive; then they are read from the history, or given up. */
  private void awaitGap() {
    if (gapTimer >= 0 || reading) {
      return;
    }
    long overdue = order.seen();
    gapTimer = context.owner().setTimer(gapWaitMillis, t -> {
      gapTimer = -1;
      if (order.waiting()) {
        read(overdue);
      }
    });
  }

  /** Delivers what the history holds after the last offset delivered; missing ones up to {@code lostUpTo} are lost. */
  private void read(long lostUpTo) {
    if (reading || closed) {
      return;
    }
    reading = true;
    channels.since(channel, rule, order.delivered()).onComplete(result -> context.runOnContext(v -> {
      reading = false;
      if (closed) {
        return;
      }
      // A failed read gives nothing up: the gap wait starts again.
      if (result.succeeded()) {
        order.fill(result.result().getJsonArray("messages"), lostUpTo);
      }
      if (order.waiting()) {
        awaitGap();
      }
    }));
  }
}
