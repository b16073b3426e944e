package dev.syncline.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import dev.syncline.token.auth.AuthFailure;
import dev.syncline.token.auth.Identity;
import dev.syncline.token.cache.VerificationCache;
import dev.syncline.token.jwt.HsJwtVerifier;
import dev.syncline.token.jwt.OidcVerifier;
import io.vertx.core.Future;
import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns an {@code Authorization} header into an identity: picks the scheme, consults the cache, then the verifier
 * the token's algorithm belongs to. Only the algorithm decides between the HS256 secret and the providers' public
 * keys, so no token can get one kind of key used as the other.
 */
public final class BearerAuthenticator {
  private static final String BEARER = "bearer";

  private final Optional<HsJwtVerifier> hs;
  private final Optional<OidcVerifier> oidc;
  private final VerificationCache cache;
  private final int maxTokenBytes;
  private long cacheHits;

  public BearerAuthenticator(Optional<HsJwtVerifier> hs, Optional<OidcVerifier> oidc, VerificationCache cache,
      int maxTokenBytes) {
    this.hs = hs;
    this.oidc = oidc;
    this.cache = cache;
    this.maxTokenBytes = maxTokenBytes;
  }

  public Future<Identity> authenticate(String authorization) {
    String token;
    try {
      token = bearerToken(authorization);
    } catch (AuthFailure failure) {
      return Future.failedFuture(failure);
    }
    Optional<Identity> cached = cache.get(token);
    if (cached.isPresent()) {
      cacheHits++;
      return Future.succeededFuture(cached.get());
    }
    return verify(token).onSuccess(identity -> cache.put(token, identity));
  }

  /** How many requests the cache answered; for tests and, later, metrics. */
  public long cacheHits() {
    return cacheHits;
  }

  private String bearerToken(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw AuthFailure.missing("no Authorization header");
    }
    String header = authorization.trim();
    int space = header.indexOf(' ');
    String scheme = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
    if (!BEARER.equals(scheme) || (hs.isEmpty() && oidc.isEmpty())) {
      throw AuthFailure.missing("unsupported authorization scheme");
    }
    String token = space < 0 ? "" : header.substring(space + 1).trim();
    if (token.isEmpty()) {
      throw AuthFailure.missing("no bearer token");
    }
    // Checked before anything is decoded, so an oversized header costs no parsing.
    if (token.length() > maxTokenBytes) {
      throw AuthFailure.invalid("token too long");
    }
    return token;
  }

  private Future<Identity> verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
      if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
        return Future.succeededFuture(hs.orElseThrow(() -> AuthFailure.invalid("unsupported token algorithm"))
            .verify(jwt));
      }
      return oidc.orElseThrow(() -> AuthFailure.invalid("unsupported token algorithm")).verify(jwt);
    } catch (ParseException e) {
      // Also where "alg": "none" ends up: Nimbus does not parse an unsecured header as a signed token.
      return Future.failedFuture(AuthFailure.invalid("malformed token"));
    } catch (AuthFailure failure) {
      return Future.failedFuture(failure);
    }
  }
}
