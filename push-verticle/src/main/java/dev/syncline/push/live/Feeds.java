package dev.syncline.push.live;

import dev.syncline.contracts.bus.LiveBus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * This node's interest in collections: one clustered consumer per collection that has subscribers here, shared by
 * all of them, so the cluster's subscription table grows with nodes and collections, not with connections. Confined
 * to the live verticle's context; callers on other contexts are hopped over.
 */
final class Feeds {
  private final Vertx vertx;
  private final Context context;
  private final Map<String, Feed> feeds = new HashMap<>();

  private static final class Feed {
    private final Set<Subscription> subscriptions = new HashSet<>();
    private MessageConsumer<JsonObject> consumer;
    private Future<Void> ready;
  }

  Feeds(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  /** Completes once the node receives the collection's changes from every node of the cluster. */
  Future<Void> add(Subscription subscription) {
    Promise<Void> added = Promise.promise();
    context.runOnContext(v -> {
      String address = LiveBus.collection(subscription.bucketId(), subscription.collectionId());
      Feed feed = feeds.computeIfAbsent(address, this::open);
      feed.subscriptions.add(subscription);
      feed.ready.onComplete(added);
    });
    return added.future();
  }

  void remove(Subscription subscription) {
    context.runOnContext(v -> {
      String address = LiveBus.collection(subscription.bucketId(), subscription.collectionId());
      Feed feed = feeds.get(address);
      if (feed != null && feed.subscriptions.remove(subscription) && feed.subscriptions.isEmpty()) {
        feeds.remove(address);
        feed.consumer.unregister();
      }
    });
  }

  /** Every subscription to a collection of the bucket checks again that its user may still read it. */
  void recheck(String bucketId) {
    context.runOnContext(v -> {
      String prefix = LiveBus.collection(bucketId, "");
      feeds.forEach((address, feed) -> {
        if (address.startsWith(prefix)) {
          feed.subscriptions.forEach(Subscription::recheck);
        }
      });
    });
  }

  private Feed open(String address) {
    Feed feed = new Feed();
    feed.consumer = vertx.eventBus().consumer(address, msg -> {
      for (Subscription subscription : feed.subscriptions) {
        subscription.offer(msg.body());
      }
    });
    feed.ready = feed.consumer.completion();
    return feed;
  }
}
