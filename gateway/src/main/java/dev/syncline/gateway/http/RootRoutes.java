package dev.syncline.gateway.http;

import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.gateway.kinto.Authenticator;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** {@code GET /v1/}: what Kinto clients read first (API version, settings, capabilities). */
final class RootRoutes {
  static final String HTTP_API_VERSION = "1.23";

  private final GatewaySettings settings;
  private final VersionInfo version;
  private final Authenticator authenticator;
  private final ServiceNotices notices;
  private final Supplier<String> publicUrl;

  RootRoutes(GatewaySettings settings, VersionInfo version, Authenticator authenticator, ServiceNotices notices,
      Supplier<String> publicUrl) {
    this.settings = settings;
    this.version = version;
    this.authenticator = authenticator;
    this.notices = notices;
    this.publicUrl = publicUrl;
  }

  void mount(Router router) {
    // Regexes, because a plain "/v1" route would also match "/v1/" and redirect it to itself.
    router.getWithRegex("/|/v1").handler(ctx -> Responses.redirect(ctx, "/v1/"));
    router.get("/v1/").handler(this::root);
  }

  private JsonObject capabilities() {
    JsonObject capabilities = new JsonObject();
    if (settings.accounts()) {
      capabilities.put("accounts", new JsonObject()
          .put("description", "Manage user accounts.")
          .put("url", "https://kinto.readthedocs.io/en/latest/api/1.x/accounts.html"));
    }
    return capabilities;
  }

  private void root(RoutingContext ctx) {
    JsonObject body = new JsonObject()
        .put("project_name", version.name())
        .put("project_version", version.version())
        .put("http_api_version", HTTP_API_VERSION)
        .put("project_docs", "https://github.com/syncline/syncline")
        .put("url", publicUrl.get() + "/v1/")
        .put("settings", new JsonObject()
            .put("batch_max_requests", settings.batchMaxRequests())
            .put("readonly", settings.readonly()))
        .put("capabilities", capabilities());
    if (notices.eosDate() != null) {
      body.put("eos", notices.eosDate());
    }
    authenticator.caller(ctx.request().getHeader("Authorization"), Authenticator.clientAddress(ctx))
        .onSuccess(caller -> {
          if (caller.getString(TokenBus.USER_ID) != null) {
            body.put("user", new JsonObject().put("id", caller.getString(TokenBus.USER_ID))
                .put("principals", caller.getJsonArray(TokenBus.PRINCIPALS)));
          }
          Responses.json(ctx, 200, body);
        })
        .onFailure(ctx::fail);
  }
}
