package dev.syncline.gateway.live;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.push.live.LiveSockets;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /v1/live}: the live-data WebSocket, accepted here and handed to the live verticle. */
public final class LiveRoutes {
  public static final String PATH = "/v1/live";

  private final LiveSockets sockets;

  public LiveRoutes(LiveSockets sockets) {
    this.sockets = sockets;
  }

  /** Before any body handling: an upgrade request has no body to read. */
  public void mount(Router router) {
    router.get(PATH).handler(this::upgrade);
  }

  private void upgrade(RoutingContext ctx) {
    ctx.request().toWebSocket()
        .onSuccess(sockets::accept)
        .onFailure(failure -> ctx.fail(new SynclineException(ErrorCode.INVALID_PARAMETERS,
            "Connect to " + PATH + " with a WebSocket")));
  }
}
