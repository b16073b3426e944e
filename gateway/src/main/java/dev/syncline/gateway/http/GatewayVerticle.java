package dev.syncline.gateway.http;

import dev.syncline.gateway.accounts.AccountRoutes;
import dev.syncline.gateway.backend.BackendRoutes;
import dev.syncline.gateway.kinto.Authenticator;
import dev.syncline.gateway.kinto.BatchApi;
import dev.syncline.gateway.kinto.KintoApi;
import dev.syncline.gateway.kinto.KintoRoutes;
import dev.syncline.gateway.live.LiveRoutes;
import dev.syncline.gateway.node.ClusterView;
import dev.syncline.gateway.webpush.WebPushRoutes;
import dev.syncline.gateway.webpush.WebPushSettings;
import dev.syncline.push.PushSockets;
import dev.syncline.push.live.LiveSettings;
import dev.syncline.push.live.LiveSockets;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's HTTP edge: the public listener (Kinto API, health) and the trusted backend listener (metrics, health,
 * and the key-protected backend API). Deployed last, so a node only accepts requests once everything behind it
 * is ready.
 */
public final class GatewayVerticle extends VerticleBase {
  private final ClusterView cluster;
  private final PrometheusMeterRegistry registry;
  private final PushSockets pushSockets;
  private final LiveSockets liveSockets;
  private final AtomicInteger storageInFlight;

  private GatewaySettings settings;
  private HttpServer publicServer;
  private HttpServer backendServer;
  private volatile String publicUrl;

  public GatewayVerticle(ClusterView cluster, PrometheusMeterRegistry registry, PushSockets pushSockets,
      LiveSockets liveSockets, AtomicInteger storageInFlight) {
    this.cluster = cluster;
    this.registry = registry;
    this.pushSockets = pushSockets;
    this.liveSockets = liveSockets;
    this.storageInFlight = storageInFlight;
  }

  @Override
  public Future<?> start() {
    settings = GatewaySettings.from(config());
    VersionInfo version = VersionInfo.load();
    ErrorMapper errors = new ErrorMapper(settings.retryAfterSeconds(), settings.accounts());
    FailureHandler failures = new FailureHandler(errors, WebPushRoutes::refusal);
    HealthRoutes health = new HealthRoutes(vertx.eventBus(), cluster, version, settings.retryAfterSeconds());

    Authenticator authenticator = new Authenticator(vertx.eventBus());
    KintoApi kinto = new KintoApi(vertx.eventBus(), authenticator, errors, () -> publicUrl, settings.readonly(),
        storageInFlight);

    Router api = router(failures);
    ServiceNotices notices = new ServiceNotices(settings, kinto::inFlight, Clock.systemUTC());
    WebPushRoutes webPush = new WebPushRoutes(vertx.eventBus(), WebPushSettings.from(config()), () -> publicUrl,
        pushSockets);
    webPush.mountSocket(api);
    new LiveRoutes(liveSockets).mount(vertx, api, settings.maxBodyBytes());
    api.route().handler(KintoRoutes.cors());
    api.route("/v1/*").handler(notices);
    api.route().handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()));
    webPush.mount(api);
    health.mount(api);
    new RootRoutes(settings, version, authenticator, notices, () -> publicUrl).mount(api);
    new AccountRoutes(vertx.eventBus(), authenticator, errors, settings).mount(api);
    new KintoRoutes(kinto, new BatchApi(kinto, settings.batchMaxRequests())).mount(api);

    Router backend = router(failures);
    health.mount(backend);
    backend.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    backend.route().handler(new BackendKeyHandler(settings.backendKeys()));
    new BackendRoutes(vertx.eventBus(), cluster, settings.maxBodyBytes()).mount(backend);

    // The live protocol closes a frame over its own limit with 1009: the server's WebSocket defaults (64 KiB frames,
    // 256 KiB messages) must not stop one that the setting allows.
    int liveFrameBytes = LiveSettings.from(config()).maxFrameBytes();
    // Port 0 asks for any free port; Vert.x shares a free port among the servers that ask with the same negative
    // number, so every gateway instance of the node ends up on the same two ports.
    HttpServerOptions publicOptions = options(settings.httpHost(), settings.httpPort() == 0 ? -1 : settings.httpPort())
        .setMaxWebSocketFrameSize(Math.max(HttpServerOptions.DEFAULT_MAX_WEBSOCKET_FRAME_SIZE, liveFrameBytes))
        .setMaxWebSocketMessageSize(Math.max(HttpServerOptions.DEFAULT_MAX_WEBSOCKET_MESSAGE_SIZE, liveFrameBytes));
    return listen(api, publicOptions)
        .onSuccess(server -> publicServer = server)
        .compose(server -> listen(backend,
            options(settings.backendHost(), settings.backendPort() == 0 ? -2 : settings.backendPort())))
        .onSuccess(this::ready);
  }

  @Override
  public Future<?> stop() {
    // shutdown() stops accepting at once and gives in-flight requests the grace period before closing.
    long grace = settings.shutdownSeconds();
    return Future.join(
        publicServer == null ? Future.succeededFuture() : publicServer.shutdown(grace, TimeUnit.SECONDS),
        backendServer == null ? Future.succeededFuture() : backendServer.shutdown(grace, TimeUnit.SECONDS));
  }

  public int httpPort() {
    return publicServer.actualPort();
  }

  public int backendPort() {
    return backendServer.actualPort();
  }

  private Router router(Handler<RoutingContext> failures) {
    Router router = Router.router(vertx);
    router.route().failureHandler(failures);
    router.errorHandler(404, failures);
    router.errorHandler(405, failures);
    router.errorHandler(413, failures);
    router.errorHandler(500, failures);
    return router;
  }

  private static HttpServerOptions options(String host, int port) {
    // Strict thread mode: every response is written on its request's event loop (as every route here does), so
    // an HTTP/1 connection needs no cross-thread write queue. An upgraded WebSocket keeps its HTTP connection
    // for life, and that queue's first chunk alone is about 4 KB, a third of an idle push connection's memory.
    return new HttpServerOptions().setHost(host).setPort(port)
        .setStrictThreadMode(true)
        // No WebSocket compression: push payloads are encrypted and do not shrink, live frames are small, and a
        // deflate context per connection would cost far more memory than it could save in bandwidth.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setWebSocketSubProtocols(List.of(WebPushRoutes.SUBPROTOCOL));
  }

  private Future<HttpServer> listen(Router router, HttpServerOptions options) {
    return vertx.createHttpServer(options).requestHandler(router).listen();
  }

  private void ready(HttpServer backend) {
    backendServer = backend;
    publicUrl = settings.publicUrl().orElse("http://localhost:" + publicServer.actualPort());
  }

  /** What the listeners serve where, for the node's start-up line. */
  public String describe() {
    return String.format("the public API on %s:%d (%s) and the backend API on %s:%d%s with %d gateway instance(s)",
        settings.httpHost(), publicServer.actualPort(), publicUrl, settings.backendHost(), backendServer.actualPort(),
        settings.backendEnabled() ? "" : " (backend key not set: metrics and health only)",
        settings.httpInstances());
  }
}
