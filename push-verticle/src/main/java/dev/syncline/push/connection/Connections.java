package dev.syncline.push.connection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's open connections by uaid. Connections live on the contexts of the sockets the gateway accepted,
 * deliveries arrive on the push verticle's: the map is concurrent, and a connection's own state is only touched
 * on its context.
 */
public final class Connections {
  private final Map<String, PushConnection> byUaid = new ConcurrentHashMap<>();

  /** Registers the connection; returns the one it replaces, if any. */
  PushConnection claim(String uaid, PushConnection connection) {
    PushConnection previous = byUaid.put(uaid, connection);
    return previous == connection ? null : previous;
  }

  /** Forgets the connection if it is still the uaid's; true when it was. */
  boolean release(String uaid, PushConnection connection) {
    return byUaid.remove(uaid, connection);
  }

  public PushConnection get(String uaid) {
    return byUaid.get(uaid);
  }

  public int size() {
    return byUaid.size();
  }

  public Iterable<PushConnection> all() {
    return byUaid.values();
  }
}
