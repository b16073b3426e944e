package dev.syncline.gateway.webpush;

import dev.syncline.contracts.bus.PushBus;
import dev.syncline.contracts.bus.PushStoreBus;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.gateway.http.ApiResponse;
import dev.syncline.push.PushSockets;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The Web Push side of the gateway: the user agents' WebSocket at {@code /push}, handed to the push verticle, and
 * the application servers' endpoint {@code POST /wpush/v1|v2/{token}} with {@code DELETE /m/{id}}.
 *
 * <p>A message is checked (token, headers, VAPID), stored when it has a TTL, and only then answered 201; routing
 * it to the node holding the user agent, which the store names, happens after, since the stored copy already
 * guarantees delivery.
 */
public final class WebPushRoutes {
  public static final String SOCKET_PATH = "/push";
  public static final String SUBPROTOCOL = "push-notification";
  private static final String ENDPOINTS = "/wpush/";
  private static final String MESSAGES = "/m/";
  private static final long BUS_TIMEOUT_MS = 10_000;
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");
  /** Where a push error's {@code more_info} points: the response codes of RFC 8030 and RFC 8292. */
  static final String MORE_INFO = "https://www.rfc-editor.org/rfc/rfc8030#section-5";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final EventBus bus;
  private final WebPushSettings settings;
  private final Supplier<String> publicUrl;
  private final PushSockets sockets;

  public WebPushRoutes(EventBus bus, WebPushSettings settings, Supplier<String> publicUrl, PushSockets sockets) {
    this.bus = bus;
    this.settings = settings;
    this.publicUrl = publicUrl;
    this.sockets = sockets;
  }

  /** The WebSocket route; mount before any body handler, which would consume the upgrade request. */
  public void mountSocket(Router router) {
    router.get(SOCKET_PATH).handler(this::upgrade);
  }

  public void mount(Router router) {
    router.post(ENDPOINTS + ":version/:token").handler(this::send);
    router.delete(MESSAGES + ":id").handler(this::deleteMessage);
  }

  private void upgrade(RoutingContext ctx) {
    String base = publicUrl.get();
    ctx.request().toWebSocket()
        .onSuccess(socket -> sockets.accept(socket, base))
        .onFailure(failure -> ctx.fail(new SynclineException(ErrorCode.INVALID_PARAMETERS,
            "Connect with a WebSocket, subprotocol push-notification")));
  }

  private void send(RoutingContext ctx) {
    String version = ctx.pathParam("version");
    if (!"v1".equals(version) && !"v2".equals(version)) {
      ctx.fail(404);
      return;
    }
    this.<JsonObject>request(TokenBus.ENDPOINT_OPEN, new JsonObject().put(TokenBus.TOKEN, ctx.pathParam("token")))
        .compose(subscription -> checkAndStore(ctx, version, subscription))
        .onSuccess(message -> accepted(ctx, message))
        .onFailure(ctx::fail);
  }

  private Future<JsonObject> checkAndStore(RoutingContext ctx, String version, JsonObject subscription) {
    JsonObject message = PushRequest.read(ctx.request(), ctx.body().buffer(), settings);
    String keyHash = subscription.getString(TokenBus.VAPID_KEY_HASH);
    if ("v2".equals(version) && keyHash == null) {
      // A v2 path with a token made without a key was never handed out.
      return Future.failedFuture(new SynclineException(ErrorCode.MISSING_RESOURCE, "unknown push endpoint"));
    }
    String authorization = ctx.request().getHeader("Authorization");
    Future<Void> vapid = Future.succeededFuture();
    if (keyHash != null || authorization != null) {
      JsonObject check = new JsonObject().put(TokenBus.AUTHORIZATION, authorization)
          .put(TokenBus.CRYPTO_KEY, ctx.request().getHeader("Crypto-Key"))
          .put(TokenBus.AUDIENCE, origin(publicUrl.get()));
      if (keyHash != null) {
        check.put(TokenBus.VAPID_KEY_HASH, keyHash);
      }
      vapid = request(TokenBus.VAPID_VERIFY, check).mapEmpty();
    }
    message.put(PushStoreBus.ID, UUID.randomUUID().toString().replace("-", ""))
        .put(PushStoreBus.UAID, subscription.getString(TokenBus.UAID))
        .put(PushStoreBus.CHANNEL_ID, subscription.getString(TokenBus.CHANNEL_ID));
    return vapid
        .compose(ok -> this.<JsonObject>request(PushStoreBus.STORE, message))
        .map(stored -> {
          message.put(PushStoreBus.TIMESTAMP, stored.getLong(PushStoreBus.TIMESTAMP));
          if (stored.containsKey(PushStoreBus.SEQ)) {
            message.put(PushStoreBus.SEQ, stored.getLong(PushStoreBus.SEQ));
          }
          if (stored.containsKey(PushStoreBus.NODE)) {
            message.put(PushStoreBus.NODE, stored.getString(PushStoreBus.NODE));
          }
          return message;
        });
  }

  private void accepted(RoutingContext ctx, JsonObject message) {
    String uaid = message.getString(PushStoreBus.UAID);
    JsonObject routed = message.copy();
    routed.remove(PushStoreBus.UAID);
    routed.remove(PushStoreBus.TOPIC);
    Object node = routed.remove(PushStoreBus.NODE);
    bus.send(PushBus.ROUTE, new JsonObject().put(PushBus.UAID, uaid).put(PushBus.NODE, node)
        .put(PushBus.MESSAGE, routed), new DeliveryOptions().setLocalOnly(true));
    ctx.response().setStatusCode(201)
        .putHeader("Location", publicUrl.get() + MESSAGES + message.getString(PushStoreBus.ID))
        .putHeader("TTL", String.valueOf(message.getInteger(PushStoreBus.TTL)))
        .end();
  }

  private void deleteMessage(RoutingContext ctx) {
    request(PushStoreBus.DELETE, new JsonObject().put(PushStoreBus.ID, ctx.pathParam("id")))
        .onSuccess(done -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private <T> Future<T> request(String address, JsonObject body) {
    return bus.<T>request(address, body, new DeliveryOptions().setSendTimeout(BUS_TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> reply.body());
  }

  /**
   * A refusal on the push endpoint, as application servers' push libraries expect it: the error body also carries
   * {@code more_info} (a link explaining Web Push errors), and a 401 challenges for VAPID, not for a bearer token.
   */
  public static ApiResponse refusal(String path, ApiResponse response) {
    if (!path.startsWith(ENDPOINTS) && !path.startsWith(MESSAGES)) {
      return response;
    }
    response.body().put("more_info", MORE_INFO);
    return response.status() == 401 ? response.header("WWW-Authenticate", "vapid") : response;
  }

  /** scheme://host[:port] of the public URL: what a VAPID token's {@code aud} must name. */
  static String origin(String url) {
    URI uri = URI.create(url);
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  /** Encodes a body the way notifications carry it. */
  static String base64Url(Buffer body) {
    return BASE64URL.encodeToString(body.getBytes());
  }

  static boolean validUrgency(String urgency) {
    return URGENCIES.contains(urgency.toLowerCase(Locale.ROOT));
  }

  static boolean validTopic(String topic) {
    return TOPIC.matcher(topic).matches();
  }
}
