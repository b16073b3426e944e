package dev.syncline.push.live;

import dev.syncline.contracts.bus.LiveBus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * PubSub channels across the cluster. A message goes to the channel's clustered address, consumed by the nodes
 * with subscribers ({@link Topics}). A channel whose rule keeps a history numbers its messages with a cluster-wide
 * counter and keeps the last {@code history} of them for {@code historySeconds} in a cluster map, so a client that
 * was away can resume from the last offset it saw and be told whether nothing was lost in between.
 *
 * <p>Publishing on one channel is serialised on this node, so the offsets this node hands out reach subscribers
 * in order. Offsets handed out by different nodes may still arrive out of order; each subscriber puts them back in
 * order ({@link OffsetOrder}). Confined to the live verticle's context.
 */
final class Channels {
  private static final String OFFSETS = "syncline.live.channel.offsets.";
  private static final String HISTORY = "syncline.live.channel.history";
  private static final String EPOCHS = "syncline.live.channel.epochs";

  private final Vertx vertx;
  private final Context context;
  private final Topics topics;
  private final Future<AsyncMap<String, JsonObject>> history;
  private final Future<AsyncMap<String, String>> epochs;
  private final Map<String, Future<JsonObject>> publishing = new HashMap<>();

  Channels(Vertx vertx, Context context, Topics topics) {
    this.vertx = vertx;
    this.context = context;
    this.topics = topics;
    this.history = vertx.sharedData().getAsyncMap(HISTORY);
    this.epochs = vertx.sharedData().getAsyncMap(EPOCHS);
  }

  Topics topics() {
    return topics;
  }

  /** Sends a message to every subscriber of the channel on any node; answers {@code {"channel", "offset"?}}. */
  Future<JsonObject> publish(String channel, ChannelRules.Rule rule, Object message) {
    if (rule.history() == 0) {
      vertx.eventBus().publish(LiveBus.channel(channel), new JsonObject().put(LiveBus.CHANNEL, channel)
          .put(LiveBus.MESSAGE, message));
      return Future.succeededFuture(new JsonObject().put(LiveBus.CHANNEL, channel));
    }
    Promise<JsonObject> published = Promise.promise();
    context.runOnContext(v -> {
      Future<JsonObject> previous = publishing.getOrDefault(channel, Future.succeededFuture());
      Future<JsonObject> mine = previous.transform(ignored -> append(channel, rule, message));
      publishing.put(channel, mine);
      mine.onComplete(result -> {
        if (publishing.get(channel) == mine) {
          publishing.remove(channel);
        }
        published.handle(result);
      });
    });
    return published.future();
  }

  private Future<JsonObject> append(String channel, ChannelRules.Rule rule, Object message) {
    return vertx.sharedData().getCounter(OFFSETS + channel)
        .compose(counter -> counter.incrementAndGet())
        .compose(offset -> history
            .compose(map -> map.put(key(channel, offset), new JsonObject().put(LiveBus.MESSAGE, message),
                rule.historySeconds() * 1000L)
                .onSuccess(stored -> {
                  // Beyond the length bound: the entry would expire anyway, but not before taking memory.
                  if (offset > rule.history()) {
                    map.remove(key(channel, offset - rule.history()));
                  }
                }))
            .map(stored -> {
              vertx.eventBus().publish(LiveBus.channel(channel), new JsonObject().put(LiveBus.CHANNEL, channel)
                  .put(LiveBus.MESSAGE, message).put(LiveBus.OFFSET, offset));
              return new JsonObject().put(LiveBus.CHANNEL, channel).put(LiveBus.OFFSET, offset);
            }));
  }

  /** The channel's latest offset: 0 before its first message. */
  Future<Long> latest(String channel) {
    return vertx.sharedData().getCounter(OFFSETS + channel).compose(counter -> counter.get());
  }

  /**
   * The channel's epoch: the name of its offsets' current run. Offsets and history live in the cluster's memory, so
   * when every node restarts they start again from 1; an offset a client kept from before then names a different
   * message, and the epoch it was given with tells the two apart. Made on first use, once for the cluster.
   */
  Future<String> epoch(String channel) {
    String fresh = UUID.randomUUID().toString();
    return epochs.compose(map -> map.get(channel).compose(found -> found != null
        ? Future.succeededFuture(found)
        : map.putIfAbsent(channel, fresh).map(earlier -> earlier != null ? earlier : fresh)));
  }

  /**
   * What the channel's history holds after {@code after} of {@code epoch} (null: the current one): {@code
   * {"messages": [{"offset", "message"}], "offset": <latest>, "epoch", "recovered": <nothing after it is
   * missing>}}. An offset of an earlier epoch gets the whole history, and is never recovered.
   */
  Future<JsonObject> since(String channel, ChannelRules.Rule rule, long after, String epoch) {
    if (rule.history() == 0) {
      return Future.succeededFuture(noHistory());
    }
    return epoch(channel).compose(current -> {
      boolean sameRun = epoch == null || epoch.equals(current);
      return since(channel, rule, sameRun ? after : 0, sameRun)
          .map(answer -> answer.put("epoch", current));
    });
  }

  /**
   * {@link #since(String, ChannelRules.Rule, long, String)} within the current epoch, without naming it: for a live
   * subscriber filling a gap, whose offsets are of this epoch already.
   */
  Future<JsonObject> since(String channel, ChannelRules.Rule rule, long after) {
    if (rule.history() == 0) {
      return Future.succeededFuture(noHistory());
    }
    return since(channel, rule, after, true);
  }

  private Future<JsonObject> since(String channel, ChannelRules.Rule rule, long after, boolean sameRun) {
    return vertx.sharedData().getCounter(OFFSETS + channel)
        .compose(counter -> counter.get())
        .compose(latest -> {
          // An offset beyond the latest comes from before the cluster lost its history (all nodes restarted).
          boolean complete = sameRun && after <= latest && latest - after <= rule.history();
          long first = after > latest ? Math.max(1, latest - rule.history() + 1)
              : Math.max(after + 1, latest - rule.history() + 1);
          List<Future<JsonObject>> reads = new ArrayList<>();
          for (long offset = first; offset <= latest; offset++) {
            String key = key(channel, offset);
            reads.add(history.compose(map -> map.get(key)));
          }
          return Future.all(reads).map(all -> {
            JsonArray messages = new JsonArray();
            boolean recovered = complete;
            for (int i = 0; i < reads.size(); i++) {
              JsonObject stored = all.resultAt(i);
              if (stored == null) {
                recovered = false;
              } else {
                messages.add(new JsonObject().put(LiveBus.OFFSET, first + i)
                    .put(LiveBus.MESSAGE, stored.getValue(LiveBus.MESSAGE)));
              }
            }
            return new JsonObject().put("messages", messages).put(LiveBus.OFFSET, latest).put("recovered",
                recovered);
          });
        });
  }

  private static JsonObject noHistory() {
    return new JsonObject().put("messages", new JsonArray()).put("recovered", false);
  }

  private static String key(String channel, long offset) {
    return channel + "#" + offset;
  }
}
