package dev.syncline.gateway.kinto;

import dev.syncline.gateway.http.ApiResponse;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Set;
import java.util.function.Function;

/** Mounts the Kinto resources and the batch endpoint on the public router, with what browsers need for CORS. */
public final class KintoRoutes {
  private static final Set<String> EXPOSED = Set.of("Alert", "Backoff", "Retry-After", "Content-Length", "ETag",
      "Last-Modified", "Next-Page", "Quota-Remaining", "Total-Objects", "Total-Records");
  private static final Set<String> ALLOWED_HEADERS = Set.of("Authorization", "Content-Type", "If-Match",
      "If-None-Match");
  private static final Set<HttpMethod> ALLOWED_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
      HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final KintoApi api;
  private final BatchApi batch;

  public KintoRoutes(KintoApi api, BatchApi batch) {
    this.api = api;
    this.batch = batch;
  }

  /** The CORS handler goes first on the router, so that errors carry the headers too. */
  public static CorsHandler cors() {
    return CorsHandler.create()
        .allowedMethods(ALLOWED_METHODS)
        .allowedHeaders(ALLOWED_HEADERS)
        .exposedHeaders(EXPOSED)
        .maxAgeSeconds(3600);
  }

  public void mount(Router router) {
    router.post("/v1/batch").handler(ctx -> respond(ctx, batch::handle));
    router.route("/v1/buckets").handler(ctx -> respond(ctx, api::handle));
    router.route("/v1/buckets/*").handler(ctx -> respond(ctx, api::handle));
  }

  private static void respond(RoutingContext ctx, Function<ApiRequest, Future<ApiResponse>> handler) {
    var request = ctx.request();
    ApiRequest apiRequest = new ApiRequest(request.method(), request.path().substring("/v1".length()),
        ctx.queryParams(), request.headers(), ctx.body().buffer(), Authenticator.clientAddress(ctx));
    handler.apply(apiRequest).onSuccess(answer -> answer.write(ctx)).onFailure(ctx::fail);
  }
}
