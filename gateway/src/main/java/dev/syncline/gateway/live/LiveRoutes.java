package dev.syncline.gateway.live;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.push.live.LiveSockets;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

/**
 * {@code /v1/live}: the live-data WebSocket, accepted here and handed to the live verticle, and the same protocol
 * through SockJS at {@code /v1/live/sockjs} for clients that cannot open a WebSocket.
 */
public final class LiveRoutes {
  public static final String PATH = "/v1/live";
  public static final String SOCKJS_PATH = "/v1/live/sockjs";

  private final LiveSockets sockets;

  public LiveRoutes(LiveSockets sockets) {
    this.sockets = sockets;
  }

  /**
   * Before the general body handling: an upgrade request has no body to read. SockJS's polling transports post
   * their frames, which its handler expects read already, within the same body limit as the API.
   */
  public void mount(Vertx vertx, Router router, int maxBodyBytes) {
    router.get(PATH).handler(this::upgrade);
    router.post(SOCKJS_PATH + "/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
    router.route(SOCKJS_PATH + "/*").subRouter(SockJSHandler.create(vertx, new SockJSHandlerOptions())
        .socketHandler(socket -> sockets.accept(new SockJsTransport(socket))));
  }

  private void upgrade(RoutingContext ctx) {
    ctx.request().toWebSocket()
        .onSuccess(sockets::accept)
        .onFailure(failure -> ctx.fail(new SynclineException(ErrorCode.INVALID_PARAMETERS,
            "Connect to " + PATH + " with a WebSocket")));
  }
}
