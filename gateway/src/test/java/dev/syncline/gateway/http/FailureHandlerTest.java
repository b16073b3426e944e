package dev.syncline.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of failure a route can meet, through a real HTTP server and the real failure handler, comes out as a
 * Kinto error body with the right status, errno and headers.
 */
@ExtendWith(VertxExtension.class)
class FailureHandlerTest {
  private WebClient client;

  @BeforeEach
  void serve(Vertx vertx) throws Exception {
    FailureHandler failures = new FailureHandler(new ErrorMapper(7), (path, response) -> response);
    Router router = Router.router(vertx);
    router.route().failureHandler(failures);
    router.errorHandler(404, failures);
    router.route().handler(BodyHandler.create(false).setBodyLimit(1024));
    router.post("/json").handler(ctx -> ctx.json(ctx.body().asJsonObject()));
    router.get("/refused").handler(ctx -> ctx.fail(new SynclineException(ErrorCode.MODIFIED_MEANWHILE,
        "Resource was modified meanwhile", new JsonObject().put("existing", new JsonObject().put("id", "a")))));
    router.get("/no-handler").handler(ctx -> vertx.eventBus().request("nobody.listens.here", "x")
        .onSuccess(reply -> ctx.end()).onFailure(ctx::fail));
    router.get("/storage-down").handler(ctx -> {
      vertx.eventBus().localConsumer("test.storage", msg -> msg.fail(ErrorCode.BACKEND_UNAVAILABLE.errno(), "down"));
      vertx.eventBus().request("test.storage", "x").onSuccess(reply -> ctx.end()).onFailure(ctx::fail);
    });
    router.get("/odd-code").handler(ctx -> {
      vertx.eventBus().localConsumer("test.odd", msg -> msg.fail(12345, "what is this"));
      vertx.eventBus().request("test.odd", "x").onSuccess(reply -> ctx.end()).onFailure(ctx::fail);
    });
    router.get("/bug").handler(ctx -> {
      throw new IllegalStateException("a bug");
    });
    int port = vertx.createHttpServer().requestHandler(router).listen(0).await().actualPort();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"));
  }

  @Test
  void invalidJsonIs400Errno106(VertxTestContext test) {
    client.post("/json").sendBuffer(Buffer.buffer("{\"data\": ")).onComplete(test.succeeding(response ->
        test.verify(() -> {
          assertError(response, 400, 106, "Bad Request");
          test.completeNow();
        })));
  }

  @Test
  void validJsonPassesThrough(VertxTestContext test) {
    client.post("/json").sendBuffer(Buffer.buffer("{\"data\": 1}")).onComplete(test.succeeding(response ->
        test.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("data", 1));
          test.completeNow();
        })));
  }

  @Test
  void oversizedBodyIs413Errno113(VertxTestContext test) {
    client.post("/json").sendBuffer(Buffer.buffer("x".repeat(1025))).onComplete(test.succeeding(response ->
        test.verify(() -> {
          assertError(response, 413, 113, "Request Entity Too Large");
          test.completeNow();
        })));
  }

  @Test
  void refusalsKeepTheirDetails(VertxTestContext test) {
    client.get("/refused").send().onComplete(test.succeeding(response -> test.verify(() -> {
      assertError(response, 412, 114, "Precondition Failed");
      assertThat(response.bodyAsJsonObject().getJsonObject("details").getJsonObject("existing").getString("id"))
          .isEqualTo("a");
      test.completeNow();
    })));
  }

  @Test
  void busFailureCodesBecomeTheirStatus(VertxTestContext test) {
    client.get("/storage-down").send().onComplete(test.succeeding(response -> test.verify(() -> {
      assertError(response, 503, 201, "Service Unavailable");
      assertThat(response.getHeader("Retry-After")).isEqualTo("7");
      assertThat(response.bodyAsJsonObject().getString("message")).isEqualTo("down");
      test.completeNow();
    })));
  }

  @Test
  void aMissingServiceIs503(VertxTestContext test) {
    client.get("/no-handler").send().onComplete(test.succeeding(response -> test.verify(() -> {
      assertError(response, 503, 201, "Service Unavailable");
      test.completeNow();
    })));
  }

  @Test
  void anUnknownFailureCodeIsAnInternalErrorNotAGuess(VertxTestContext test) {
    client.get("/odd-code").send().onComplete(test.succeeding(response -> test.verify(() -> {
      assertError(response, 500, 999, "Internal Server Error");
      test.completeNow();
    })));
  }

  @Test
  void aBugIs500Errno999WithAJsonBody(VertxTestContext test) {
    client.get("/bug").send().onComplete(test.succeeding(response -> test.verify(() -> {
      assertError(response, 500, 999, "Internal Server Error");
      assertThat(response.bodyAsString()).doesNotContain("a bug");
      test.completeNow();
    })));
  }

  @Test
  void unknownPathsAre404Errno111(VertxTestContext test) {
    client.get("/nowhere").send().onComplete(test.succeeding(response -> test.verify(() -> {
      assertError(response, 404, 111, "Not Found");
      test.completeNow();
    })));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, int errno, String error) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).contains("code", "errno", "error", "message");
    assertThat(body.getInteger("code")).isEqualTo(status);
    assertThat(body.getInteger("errno")).isEqualTo(errno);
    assertThat(body.getString("error")).isEqualTo(error);
  }
}
