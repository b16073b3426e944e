package dev.syncline.gateway.http;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.util.function.IntSupplier;

/**
 * What the API tells clients about the service itself, on every {@code /v1} answer: {@code Backoff} while the node
 * is loaded (Kinto clients then pause their syncs), and {@code Alert} as the configured end of service approaches;
 * after that date every request is answered 410 errno 202.
 */
public final class ServiceNotices implements Handler<RoutingContext> {
  private final GatewaySettings settings;
  private final IntSupplier inFlight;
  private final Clock clock;

  public ServiceNotices(GatewaySettings settings, IntSupplier inFlight, Clock clock) {
    this.settings = settings;
    this.inFlight = inFlight;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ended()) {
      ctx.response().putHeader("Alert", alert("hard-eol"));
      ctx.fail(new SynclineException(ErrorCode.SERVICE_DEPRECATED, settings.eosMessage()
          .orElse("The service has reached its end of life.")));
      return;
    }
    ctx.addHeadersEndHandler(v -> {
      if (settings.eos().isPresent()) {
        ctx.response().putHeader("Alert", alert("soft-eol"));
      }
      if (overloaded()) {
        ctx.response().putHeader("Backoff", String.valueOf(settings.backoffSeconds()));
      }
    });
    ctx.next();
  }

  /** The end-of-service date for the root document, or null. */
  public String eosDate() {
    return settings.eos().map(LocalDate::toString).orElse(null);
  }

  private boolean ended() {
    return settings.eos().map(date -> !LocalDate.now(clock).isBefore(date)).orElse(false);
  }

  private boolean overloaded() {
    return settings.backoffSeconds() > 0 && inFlight.getAsInt() >= settings.backoffInFlight();
  }

  private String alert(String code) {
    JsonObject alert = new JsonObject().put("code", code)
        .put("message", settings.eosMessage().orElse("This service will soon be decommissioned."));
    settings.eosUrl().ifPresent(url -> alert.put("url", url));
    return alert.encode();
  }
}
