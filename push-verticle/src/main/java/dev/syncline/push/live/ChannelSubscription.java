package dev.syncline.push.live;

import dev.syncline.contracts.bus.LiveBus;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One client's subscription to a PubSub channel. Until the history replay is sent, messages from the channel are
 * buffered; after it, those the replay already carried (by offset) are dropped. Confined to the connection's
 * context; the channel's feed calls {@link #accept} on the live verticle's.
 */
final class ChannelSubscription implements Consumer<JsonObject> {
  private final String channel;
  private final LiveConnection connection;
  private final Context context;
  private final List<JsonObject> buffered = new ArrayList<>();
  private long delivered = -1;
  private boolean live;
  private boolean closed;

  ChannelSubscription(String channel, LiveConnection connection, Context context) {
    this.channel = channel;
    this.connection = connection;
    this.context = context;
  }

  String channel() {
    return channel;
  }

  @Override
  public void accept(JsonObject published) {
    context.runOnContext(v -> receive(published));
  }

  /** Sends the replayed messages, then whatever arrived meanwhile that they did not include. */
  void goLive(Iterable<Object> replay) {
    for (Object item : replay) {
      JsonObject message = (JsonObject) item;
      deliver(message.getLong(LiveBus.OFFSET), message.getValue(LiveBus.MESSAGE));
    }
    live = true;
    buffered.forEach(this::receive);
    buffered.clear();
  }

  void close() {
    closed = true;
    buffered.clear();
  }

  private void receive(JsonObject published) {
    if (closed) {
      return;
    }
    if (!live) {
      buffered.add(published);
      return;
    }
    deliver(published.getLong(LiveBus.OFFSET), published.getValue(LiveBus.MESSAGE));
  }

  private void deliver(Long offset, Object message) {
    if (offset != null) {
      if (offset <= delivered) {
        return;
      }
      delivered = offset;
    }
    connection.channelMessage(channel, message, offset);
  }
}
