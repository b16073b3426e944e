package dev.syncline.push.live;

import dev.syncline.contracts.bus.LiveBus;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A subscription to application models acquired with a backend-issued token: items of a dealer and the filter its
 * query means. Each posted delta goes to the client once, as the first item that sees it judges it (Snorky's
 * rule through {@link Delta}). Confined to the connection's context; model feeds call {@link #accept} on the live
 * verticle's.
 */
final class AcquiredSubscription implements Consumer<JsonObject> {
  record Item(Dealers.Dealer dealer, LiveFilter filter) {
  }

  private final String id;
  private final List<Item> items;
  private final LiveConnection connection;
  private final Context context;
  private boolean closed;

  AcquiredSubscription(String id, List<Item> items, LiveConnection connection, Context context) {
    this.id = id;
    this.items = items;
    this.connection = connection;
    this.context = context;
  }

  String id() {
    return id;
  }

  Set<String> models() {
    return items.stream().map(item -> item.dealer().model()).collect(Collectors.toSet());
  }

  void close() {
    closed = true;
  }

  @Override
  public void accept(JsonObject posted) {
    context.runOnContext(v -> {
      if (!closed) {
        String model = posted.getString(LiveBus.MODEL);
        posted.getJsonArray(LiveBus.DELTAS_FIELD).forEach(delta -> deal(model, (JsonObject) delta));
      }
    });
  }

  private void deal(String model, JsonObject delta) {
    String type = delta.getString("type");
    JsonObject before = switch (type) {
      case "update" -> delta.getJsonObject("oldData");
      case "delete" -> delta.getJsonObject("data");
      default -> null;
    };
    JsonObject after = switch (type) {
      case "update" -> delta.getJsonObject("newData");
      case "insert" -> delta.getJsonObject("data");
      default -> null;
    };
    for (Item item : items) {
      if (!item.dealer().model().equals(model)) {
        continue;
      }
      Delta seen = Delta.of(item.filter(), before, after);
      if (seen != Delta.NONE) {
        JsonObject frame = new JsonObject().put("model", model).put("dealer", item.dealer().name());
        switch (seen) {
          case INSERT -> frame.put("data", after);
          case DELETE -> frame.put("data", before);
          default -> frame.put("newData", after).put("oldData", before);
        }
        connection.modelDelta(id, seen.wireName(), frame);
        return;
      }
    }
  }
}
