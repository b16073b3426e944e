package dev.syncline.push.live;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * This node's interest in clustered addresses (PubSub channels, application models): one consumer per address
 * that has listeners here, shared by all of them, like {@link Feeds} for collections. Confined to the live
 * verticle's context; listeners are called there and hop to their connection's context themselves.
 */
final class Topics {
  private final Vertx vertx;
  private final Context context;
  private final Map<String, Topic> topics = new HashMap<>();

  private static final class Topic {
    private final Set<Consumer<JsonObject>> listeners = new LinkedHashSet<>();
    private MessageConsumer<JsonObject> consumer;
    private Future<Void> ready;
  }

  Topics(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  /** Completes once this node receives what any node publishes at the address. */
  Future<Void> add(String address, Consumer<JsonObject> listener) {
    Promise<Void> added = Promise.promise();
    context.runOnContext(v -> {
      Topic topic = topics.computeIfAbsent(address, this::open);
      topic.listeners.add(listener);
      topic.ready.onComplete(added);
    });
    return added.future();
  }

  void remove(String address, Consumer<JsonObject> listener) {
    context.runOnContext(v -> {
      Topic topic = topics.get(address);
      if (topic != null && topic.listeners.remove(listener) && topic.listeners.isEmpty()) {
        topics.remove(address);
        topic.consumer.unregister();
      }
    });
  }

  private Topic open(String address) {
    Topic topic = new Topic();
    topic.consumer = vertx.eventBus().consumer(address, msg -> {
      for (Consumer<JsonObject> listener : topic.listeners) {
        listener.accept(msg.body());
      }
    });
    topic.ready = topic.consumer.completion();
    return topic;
  }
}
