package dev.syncline.push.live;

import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The live connections of this node and the users they authenticated as, for the backend's "send to a user" and
 * "who is connected". Confined to the live verticle's context; connections report from theirs.
 */
final class LiveUsers {
  private final Context context;
  private final Set<LiveConnection> connections = new HashSet<>();
  private final Map<String, Set<LiveConnection>> byUser = new HashMap<>();
  private final Map<LiveConnection, String> users = new HashMap<>();

  LiveUsers(Context context) {
    this.context = context;
  }

  void opened(LiveConnection connection) {
    context.runOnContext(v -> connections.add(connection));
  }

  void identified(LiveConnection connection, String userId) {
    context.runOnContext(v -> {
      if (connections.contains(connection)) {
        forget(connection);
        users.put(connection, userId);
        byUser.computeIfAbsent(userId, id -> new HashSet<>()).add(connection);
      }
    });
  }

  void closed(LiveConnection connection) {
    context.runOnContext(v -> {
      connections.remove(connection);
      forget(connection);
    });
  }

  private void forget(LiveConnection connection) {
    String previous = users.remove(connection);
    if (previous != null) {
      Set<LiveConnection> theirs = byUser.get(previous);
      theirs.remove(connection);
      if (theirs.isEmpty()) {
        byUser.remove(previous);
      }
    }
  }

  /** Sends the event to every connection of the user here; answers how many there are. On the verticle's context. */
  int send(String userId, Object event) {
    Set<LiveConnection> theirs = byUser.getOrDefault(userId, Set.of());
    theirs.forEach(connection -> connection.userEvent(event));
    return theirs.size();
  }

  /** {@code {"connections", "users": {"<user id>": n}}}. On the verticle's context. */
  JsonObject stats() {
    JsonObject counts = new JsonObject();
    byUser.forEach((user, theirs) -> counts.put(user, theirs.size()));
    return new JsonObject().put("connections", connections.size()).put("users", counts);
  }
}
