package dev.syncline.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.contracts.bus.AccountBus;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.FailureMessages;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP Basic through the token verticle's bus addresses. Storage is stood in for by a consumer of
 * {@link AccountBus#CREDENTIALS} over a map; the hashes in it come from the verticle's own hashing address.
 */
@ExtendWith(VertxExtension.class)
class BasicSchemeTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T12:00:00Z"));
  private final Map<String, String> hashes = new ConcurrentHashMap<>();
  private TokenVerticle verticle;

  @BeforeEach
  void deploy(Vertx vertx) {
    vertx.eventBus().<JsonObject>localConsumer(AccountBus.CREDENTIALS, msg -> {
      String hash = hashes.get(msg.body().getString(AccountBus.ID));
      if (hash == null) {
        msg.fail(ErrorCode.INVALID_ID.errno(), "Account not found");
      } else {
        msg.reply(new JsonObject().put(AccountBus.PASSWORD_HASH, hash));
      }
    }).completion().await();
    verticle = new TokenVerticle(clock);
    JsonObject config = TestConfig.base()
        .put("account_argon2_memory_kib", 8192)
        .put("account_argon2_iterations", 1)
        .put("account_lockout_failures", 3)
        .put("account_lockout_address_failures", 5)
        .put("account_lockout_seconds", 60);
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
    String hash = Bus.request(vertx, AccountBus.HASH_PASSWORD, new JsonObject().put(AccountBus.PASSWORD,
        "alice's password")).await().getString(AccountBus.PASSWORD_HASH);
    hashes.put("alice", hash);
  }

  static String basic(String credentials) {
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  static Future<JsonObject> authenticate(Vertx vertx, String authorization, String address) {
    return Bus.request(vertx, TokenBus.AUTHENTICATE, new JsonObject().put(TokenBus.AUTHORIZATION, authorization)
        .put(TokenBus.CLIENT_ADDRESS, address));
  }

  @Test
  void theRightPasswordGivesTheAccountPrincipal(Vertx vertx, VertxTestContext ctx) {
    Bus.expectReply(authenticate(vertx, basic("alice:alice's password"), "10.0.0.1"), ctx, reply -> {
      assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("account:alice");
      assertThat(reply.getJsonArray(TokenBus.PRINCIPALS)).containsExactly(TokenBus.EVERYONE,
          TokenBus.AUTHENTICATED, "account:alice");
    });
  }

  @Test
  void theStoredHashNeverHoldsThePassword() {
    assertThat(hashes.get("alice")).startsWith("$argon2id$").doesNotContain("alice's password");
  }

  @Test
  void wrongPasswordIs105(Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(authenticate(vertx, basic("alice:nope"), "10.0.0.1"), ctx, 105);
  }

  @Test
  void unknownAccountIs105(Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(authenticate(vertx, basic("mallory:alice's password"), "10.0.0.1"), ctx, 105);
  }

  @Test
  void malformedBase64Is105(Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(authenticate(vertx, "Basic ***", "10.0.0.1"), ctx, 105);
  }

  @Test
  void missingColonIs105(Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(authenticate(vertx, basic("alice"), "10.0.0.1"), ctx, 105);
  }

  @Test
  void noCredentialsIs104(Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(authenticate(vertx, "Basic ", "10.0.0.1"), ctx, 104);
  }

  @Test
  void aVerifiedPasswordIsCachedUntilTheAccountChanges(Vertx vertx, VertxTestContext ctx) {
    String header = basic("alice:alice's password");
    authenticate(vertx, header, "10.0.0.1")
        .compose(first -> authenticate(vertx, header, "10.0.0.1"))
        .onComplete(ctx.succeeding(second -> ctx.verify(() -> assertThat(verticle.basic().cacheHits())
            .isEqualTo(1))))
        .compose(second -> {
          hashes.remove("alice");
          vertx.eventBus().publish(AccountBus.CHANGED, new JsonObject().put(AccountBus.ID, "alice"));
          return authenticate(vertx, header, "10.0.0.1");
        })
        .onComplete(ctx.failing(gone -> ctx.verify(() -> {
          assertThat(((ReplyException) gone).failureCode()).isEqualTo(105);
          ctx.completeNow();
        })));
  }

  @Test
  void theNthFailureOfAnAccountLocksItOutWithRetryAfter(Vertx vertx, VertxTestContext ctx) {
    String wrong = basic("alice:wrong");
    String right = basic("alice:alice's password");
    authenticate(vertx, wrong, "10.0.0.1").otherwiseEmpty()
        .compose(v -> authenticate(vertx, wrong, "10.0.0.2")).otherwiseEmpty()
        // Two failures, one under the limit: the right password still works (and resets the account's count).
        .compose(v -> authenticate(vertx, right, "10.0.0.3"))
        .compose(v -> authenticate(vertx, wrong, "10.0.0.1")).otherwiseEmpty()
        .compose(v -> authenticate(vertx, wrong, "10.0.0.2")).otherwiseEmpty()
        .compose(v -> authenticate(vertx, wrong, "10.0.0.3"))
        .onComplete(ctx.failing(third -> ctx.verify(() -> expectLockout(third, 60))))
        .recover(v -> authenticate(vertx, right, "10.0.0.4"))
        .onComplete(ctx.failing(locked -> ctx.verify(() -> expectLockout(locked, 60))))
        .recover(v -> {
          clock.advance(Duration.ofSeconds(61));
          return authenticate(vertx, right, "10.0.0.4");
        })
        .onComplete(ctx.succeeding(after -> ctx.completeNow()));
  }

  @Test
  void theNthFailureFromAnAddressLocksItOut(Vertx vertx, VertxTestContext ctx) {
    Future<JsonObject> chain = Future.succeededFuture();
    for (int i = 0; i < 4; i++) {
      String id = "guess" + i;
      chain = chain.compose(v -> authenticate(vertx, basic(id + ":pw"), "10.9.9.9")).otherwiseEmpty();
    }
    chain.compose(v -> authenticate(vertx, basic("guess5:pw"), "10.9.9.9"))
        .onComplete(ctx.failing(fifth -> ctx.verify(() -> expectLockout(fifth, 60))))
        .recover(v -> authenticate(vertx, basic("alice:alice's password"), "10.9.9.9"))
        .onComplete(ctx.failing(locked -> ctx.verify(() -> expectLockout(locked, 60))))
        .recover(v -> authenticate(vertx, basic("alice:alice's password"), "10.0.0.1"))
        .onComplete(ctx.succeeding(elsewhere -> ctx.completeNow()));
  }

  private static void expectLockout(Throwable failure, long retryAfter) {
    ReplyException reply = (ReplyException) failure;
    assertThat(reply.failureCode()).isEqualTo(117);
    JsonObject details = (JsonObject) FailureMessages.read(ErrorCode.TOO_MANY_REQUESTS, reply.getMessage())
        .details();
    assertThat(details.getLong(TokenBus.RETRY_AFTER)).isBetween(1L, retryAfter);
  }
}
