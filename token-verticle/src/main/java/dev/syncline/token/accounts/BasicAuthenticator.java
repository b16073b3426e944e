package dev.syncline.token.accounts;

import dev.syncline.contracts.bus.AccountBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.token.auth.AuthFailure;
import dev.syncline.token.auth.Identity;
import dev.syncline.token.cache.VerificationCache;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HTTP Basic credentials of accounts: {@code Basic base64(id:password)}. The hash comes from storage over the local
 * bus and is checked on a small worker pool of its own, so that a burst of logins neither blocks an event loop nor
 * takes more than a few Argon2 buffers of memory at once. Successes are cached like bearer tokens; failures are
 * counted per account and per client address, and a key over its limit gets errno 117 without any hashing.
 */
public final class BasicAuthenticator {
  private static final String BASIC = "basic";
  private static final Pattern ID = Pattern.compile(AccountBus.ID_PATTERN);
  private static final long STORAGE_TIMEOUT_MS = 5_000;
  // A bearer token never contains a space, so cached Basic entries cannot collide with cached tokens.
  private static final String CACHE_PREFIX = "basic ";

  private final EventBus bus;
  private final WorkerExecutor workers;
  private final PasswordHasher hasher;
  private final VerificationCache cache;
  private final FailureLimiter perAccount;
  private final FailureLimiter perAddress;
  private final int maxCredentialBytes;
  private final String decoy;
  private long generation;
  private long cacheHits;

  private record Credentials(String id, String password) {
  }

  BasicAuthenticator(EventBus bus, WorkerExecutor workers, PasswordHasher hasher, VerificationCache cache,
      FailureLimiter perAccount, FailureLimiter perAddress, int maxCredentialBytes, String decoy) {
    this.bus = bus;
    this.workers = workers;
    this.hasher = hasher;
    this.cache = cache;
    this.perAccount = perAccount;
    this.perAddress = perAddress;
    this.maxCredentialBytes = maxCredentialBytes;
    this.decoy = decoy;
  }

  /** Whether a header names the Basic scheme (whatever follows it). */
  public static boolean isBasic(String authorization) {
    if (authorization == null) {
      return false;
    }
    String header = authorization.trim();
    int space = header.indexOf(' ');
    return (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT).equals(BASIC);
  }

  public Future<Identity> authenticate(String authorization, String clientAddress) {
    Credentials credentials;
    try {
      credentials = parse(authorization);
    } catch (AuthFailure failure) {
      return Future.failedFuture(failure);
    }
    String accountKey = credentials.id();
    long locked = Math.max(perAccount.lockedFor(accountKey),
        clientAddress == null ? 0 : perAddress.lockedFor(clientAddress));
    if (locked > 0) {
      return Future.failedFuture(AuthFailure.tooManyAttempts(locked));
    }
    String cacheKey = CACHE_PREFIX + credentials.id() + ":" + credentials.password();
    Optional<Identity> cached = cache.get(cacheKey);
    if (cached.isPresent()) {
      cacheHits++;
      return Future.succeededFuture(cached.get());
    }
    long started = generation;
    return passwordHash(credentials.id())
        .compose(hash -> workers.executeBlocking(
            // An unknown account costs the same hash as a known one, so timing does not tell which ids exist.
            () -> hasher.verify(credentials.password(), hash.orElse(decoy)) && hash.isPresent(), false))
        .compose(valid -> {
          if (!valid) {
            return Future.failedFuture(failed(accountKey, clientAddress));
          }
          perAccount.reset(accountKey);
          Identity identity = Identity.of(AccountBus.principal(credentials.id()), Instant.MAX);
          // A password change or deletion seen while this check ran makes its result stale: do not remember it.
          if (started == generation) {
            cache.put(cacheKey, identity);
          }
          return Future.succeededFuture(identity);
        });
  }

  /** Drops every cached verification of the account; called when its password changes or it is deleted. */
  public void forget(String id) {
    generation++;
    cache.forget(AccountBus.principal(id));
  }

  /** How many requests the cache answered. */
  public long cacheHits() {
    return cacheHits;
  }

  private AuthFailure failed(String accountKey, String clientAddress) {
    long locked = Math.max(perAccount.fail(accountKey), clientAddress == null ? 0 : perAddress.fail(clientAddress));
    return locked > 0 ? AuthFailure.tooManyAttempts(locked) : AuthFailure.invalid("wrong account id or password");
  }

  private Future<Optional<String>> passwordHash(String id) {
    return bus.<JsonObject>request(AccountBus.CREDENTIALS, new JsonObject().put(AccountBus.ID, id),
            new DeliveryOptions().setSendTimeout(STORAGE_TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> Optional.ofNullable(reply.body().getString(AccountBus.PASSWORD_HASH)))
        .recover(failure -> {
          if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && reply.failureCode() == ErrorCode.INVALID_ID.errno()) {
            return Future.succeededFuture(Optional.empty());
          }
          return Future.failedFuture(AuthFailure.of(ErrorCode.BACKEND_UNAVAILABLE, "accounts are unavailable"));
        });
  }

  private Credentials parse(String authorization) {
    String header = authorization.trim();
    int space = header.indexOf(' ');
    String encoded = space < 0 ? "" : header.substring(space + 1).trim();
    if (encoded.isEmpty()) {
      throw AuthFailure.missing("no basic credentials");
    }
    if (encoded.length() > maxCredentialBytes) {
      throw AuthFailure.invalid("credentials too long");
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Base64.getDecoder().decode(encoded)))
          .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw AuthFailure.invalid("malformed basic credentials");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw AuthFailure.invalid("malformed basic credentials");
    }
    String id = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    if (!ID.matcher(id).matches() || password.isEmpty()) {
      throw AuthFailure.invalid("wrong account id or password");
    }
    return new Credentials(id, password);
  }
}
