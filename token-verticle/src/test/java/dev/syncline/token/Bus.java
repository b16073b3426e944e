package dev.syncline.token;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests to the token verticle, and the two ways a test ends on their answer. */
public final class Bus {
  private Bus() {
  }

  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).map(reply -> reply.body());
  }

  public static void expectReply(Future<JsonObject> reply, VertxTestContext ctx, Consumer<JsonObject> check) {
    reply.onComplete(ctx.succeeding(body -> ctx.verify(() -> {
      check.accept(body);
      ctx.completeNow();
    })));
  }

  public static void expectFailure(Future<JsonObject> reply, VertxTestContext ctx, int errno) {
    reply.onComplete(ctx.failing(failure -> ctx.verify(() -> {
      assertThat(failure).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) failure).failureCode()).as("errno (%s)", failure.getMessage()).isEqualTo(errno);
      ctx.completeNow();
    })));
  }
}
