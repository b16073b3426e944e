package dev.syncline.token.accounts;

import dev.syncline.contracts.bus.AccountBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.token.TokenSettings;
import dev.syncline.token.auth.AuthFailure;
import dev.syncline.token.cache.VerificationCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The token verticle's side of accounts: hashes new passwords, checks Basic credentials, and forgets cached
 * verifications of accounts that changed. Password work runs on a worker pool as large as the machine has cores:
 * more threads would not hash faster, only hold more Argon2 memory at once.
 */
public final class AccountCredentials {
  private static final String POOL = "syncline-passwords";

  private final WorkerExecutor workers;
  private final PasswordHasher hasher;
  private final BasicAuthenticator basic;

  private AccountCredentials(WorkerExecutor workers, PasswordHasher hasher, BasicAuthenticator basic) {
    this.workers = workers;
    this.hasher = hasher;
    this.basic = basic;
  }

  /** Ready once the decoy hash that unknown accounts are checked against is made. */
  public static Future<AccountCredentials> start(Vertx vertx, TokenSettings settings, VerificationCache cache,
      Clock clock) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor(POOL, Runtime.getRuntime().availableProcessors());
    PasswordHasher hasher = new PasswordHasher(settings.argon2MemoryKib(), settings.argon2Iterations(), 1);
    Duration window = Duration.ofSeconds(settings.accountLockoutSeconds());
    return workers.executeBlocking(() -> hasher.hash(randomPassword()), false)
        .map(decoy -> new AccountCredentials(workers, hasher, new BasicAuthenticator(vertx.eventBus(), workers,
            hasher, cache, new FailureLimiter(settings.accountLockoutFailures(), window, clock),
            new FailureLimiter(settings.accountLockoutAddressFailures(), window, clock), settings.maxTokenBytes(),
            decoy)));
  }

  public BasicAuthenticator basic() {
    return basic;
  }

  /** {@link AccountBus#HASH_PASSWORD}. */
  public Future<JsonObject> hashPassword(JsonObject request) {
    if (!(request.getValue(AccountBus.PASSWORD) instanceof String password) || password.isEmpty()) {
      return Future.failedFuture(AuthFailure.of(ErrorCode.INVALID_PARAMETERS, "password must be a string"));
    }
    return workers.executeBlocking(() -> hasher.hash(password), false)
        .map(hash -> new JsonObject().put(AccountBus.PASSWORD_HASH, hash));
  }

  /** {@link AccountBus#CHANGED}. */
  public void changed(JsonObject event) {
    String id = event == null ? null : event.getString(AccountBus.ID);
    if (id != null) {
      basic.forget(id);
    }
  }

  public Future<Void> close() {
    return workers.close();
  }

  private static String randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
