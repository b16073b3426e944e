package dev.syncline.token.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.syncline.token.auth.AuthFailure;
import dev.syncline.token.auth.Identity;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Bearer tokens from OpenID Connect providers, each picked by the token's {@code iss} and checked against that
 * provider's published keys only.
 */
public final class OidcVerifier {
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256,
      JWSAlgorithm.EdDSA);

  private final Map<String, JwksSource> byIssuer;
  private final Clock clock;
  private final Duration leeway;

  public OidcVerifier(List<JwksSource> sources, Clock clock, Duration leeway) {
    this.byIssuer = sources.stream()
        .collect(Collectors.toUnmodifiableMap(source -> source.provider().issuer(), Function.identity()));
    this.clock = clock;
    this.leeway = leeway;
  }

  /** Loads every provider's keys; completes even when some cannot be reached (they are retried later). */
  public Future<Void> start() {
    return Future.all(byIssuer.values().stream().map(JwksSource::refresh).toList()).mapEmpty();
  }

  public void refreshAll() {
    byIssuer.values().forEach(JwksSource::refresh);
  }

  public Future<Identity> verify(SignedJWT jwt) {
    JWSHeader header = jwt.getHeader();
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      return Future.failedFuture(AuthFailure.invalid("unsupported token algorithm"));
    }
    // Extensions we do not understand must not be ignored (RFC 7515 4.1.11).
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      return Future.failedFuture(AuthFailure.invalid("unsupported critical token header"));
    }
    JWTClaimsSet claims = HsJwtVerifier.claims(jwt);
    JwksSource source = claims.getIssuer() == null ? null : byIssuer.get(claims.getIssuer());
    if (source == null) {
      return Future.failedFuture(AuthFailure.invalid("unknown token issuer"));
    }
    List<JWK> candidates = candidates(source.keys(), header);
    if (!candidates.isEmpty()) {
      return Future.succeededFuture(check(source.provider(), jwt, claims, candidates));
    }
    return source.refreshForUnknownKey()
        .map(refreshed -> check(source.provider(), jwt, claims, candidates(source.keys(), header)));
  }

  private Identity check(OidcProvider provider, SignedJWT jwt, JWTClaimsSet claims, List<JWK> candidates) {
    if (candidates.isEmpty()) {
      throw AuthFailure.invalid("unknown token signing key");
    }
    if (candidates.stream().noneMatch(key -> signedBy(jwt, key))) {
      throw AuthFailure.invalid("bad token signature");
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(provider.audience())) {
      throw AuthFailure.invalid("wrong token audience");
    }
    var expiresAt = TimeRules.check(claims, clock.instant(), leeway);
    return Identity.of(provider.name() + ":" + TimeRules.subject(claims), expiresAt);
  }

  /**
   * The provider's keys that could have signed a token with this header. The key type must fit the algorithm the
   * header names, so a token can never make us use an RSA or EC public key as something else.
   */
  private static List<JWK> candidates(List<JWK> keys, JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    String kid = header.getKeyID();
    return keys.stream()
        .filter(key -> kid == null || kid.equals(key.getKeyID()))
        .filter(key -> key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))
        .filter(key -> key.getAlgorithm() == null || key.getAlgorithm().equals(alg))
        .filter(key -> fits(alg, key))
        .toList();
  }

  private static boolean fits(JWSAlgorithm alg, JWK key) {
    if (JWSAlgorithm.RS256.equals(alg)) {
      return key instanceof RSAKey;
    }
    if (JWSAlgorithm.ES256.equals(alg)) {
      return key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
    }
    return key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
  }

  private static boolean signedBy(SignedJWT jwt, JWK key) {
    try {
      if (key instanceof RSAKey rsa) {
        return jwt.verify(new RSASSAVerifier(rsa));
      }
      if (key instanceof ECKey ec) {
        return jwt.verify(new ECDSAVerifier(ec));
      }
      return Ed25519Signatures.verify((OctetKeyPair) key, jwt);
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
  }
}
