package dev.syncline.gateway.http;

import dev.syncline.contracts.bus.PushBus;
import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.gateway.node.ClusterView;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The operational endpoints load balancers and operators poll: {@code /__lbheartbeat__} (the process serves),
 * {@code /__heartbeat__} (every component works) and {@code /__version__}.
 */
final class HealthRoutes {
  private static final long PROBE_TIMEOUT_MS = 3_000;

  private final EventBus bus;
  private final ClusterView cluster;
  private final JsonObject version;
  private final String retryAfter;

  HealthRoutes(EventBus bus, ClusterView cluster, VersionInfo version, int retryAfterSeconds) {
    this.bus = bus;
    this.cluster = cluster;
    this.version = version.toJson();
    this.retryAfter = String.valueOf(retryAfterSeconds);
  }

  void mount(Router router) {
    router.get("/__lbheartbeat__").handler(this::lbHeartbeat);
    router.get("/__heartbeat__").handler(this::heartbeat);
    router.get("/__version__").handler(this::version);
  }

  private void lbHeartbeat(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject());
  }

  private void heartbeat(RoutingContext ctx) {
    Future<Boolean> storage = probe(StorageBus.HEALTH);
    Future<Boolean> token = probe(TokenBus.HEALTH);
    Future<Boolean> push = probe(PushBus.HEALTH);
    Future.all(storage, token, push).onComplete(done -> {
      boolean clusterUp = cluster.active();
      JsonObject body = new JsonObject()
          .put("storage", storage.result())
          .put("cluster", clusterUp)
          .put("token", token.result())
          .put("push", push.result())
          .put("node", cluster.nodeId())
          .put("cluster_members", cluster.members());
      boolean healthy = storage.result() && token.result() && push.result() && clusterUp;
      if (!healthy) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
      }
      Responses.json(ctx, healthy ? 200 : 503, body);
    });
  }

  private void version(RoutingContext ctx) {
    Responses.json(ctx, 200, version);
  }

  private Future<Boolean> probe(String address) {
    return bus.request(address, new JsonObject(), new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT_MS))
        .map(reply -> true)
        .otherwise(false);
  }
}
