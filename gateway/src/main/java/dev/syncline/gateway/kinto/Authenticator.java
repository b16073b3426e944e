package dev.syncline.gateway.kinto;

import dev.syncline.contracts.bus.TokenBus;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Asks the token verticle, on this node, who sent a request. A request without {@code Authorization} is anonymous:
 * its only principal is {@code system.Everyone}. The reply is {@code {user_id, principals}}.
 */
public final class Authenticator {
  private static final long TIMEOUT_MS = 5_000;
  private static final JsonObject ANONYMOUS = new JsonObject()
      .put(TokenBus.PRINCIPALS, new JsonArray().add(TokenBus.EVERYONE));

  private final EventBus bus;

  public Authenticator(EventBus bus) {
    this.bus = bus;
  }

  public Future<JsonObject> caller(String authorization) {
    return caller(authorization, null);
  }

  /** With the client's address, which password failures are also counted against. */
  public Future<JsonObject> caller(String authorization, String clientAddress) {
    if (authorization == null || authorization.isBlank()) {
      return Future.succeededFuture(ANONYMOUS.copy());
    }
    JsonObject request = new JsonObject().put(TokenBus.AUTHORIZATION, authorization);
    if (clientAddress != null) {
      request.put(TokenBus.CLIENT_ADDRESS, clientAddress);
    }
    return bus.<JsonObject>request(TokenBus.AUTHENTICATE, request,
            new DeliveryOptions().setSendTimeout(TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> reply.body());
  }

  /** The connection's peer address; behind a proxy that is the proxy, which then shares one failure budget. */
  public static String clientAddress(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }
}
