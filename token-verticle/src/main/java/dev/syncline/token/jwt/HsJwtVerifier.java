package dev.syncline.token.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.syncline.token.auth.AuthFailure;
import dev.syncline.token.auth.Identity;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Bearer tokens signed with the node's shared HS256 secret: development setups and trusted internal issuers. */
public final class HsJwtVerifier {
  private final MACVerifier verifier;
  private final String prefix;
  private final Optional<String> issuer;
  private final Optional<String> audience;
  private final Clock clock;
  private final Duration leeway;

  public HsJwtVerifier(String secret, String prefix, Optional<String> issuer, Optional<String> audience, Clock clock,
      Duration leeway) {
    try {
      this.verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("HS256 secret too short", e);
    }
    this.prefix = prefix;
    this.issuer = issuer;
    this.audience = audience;
    this.clock = clock;
    this.leeway = leeway;
  }

  public Identity verify(SignedJWT jwt) {
    // Only HS256: a MAC verifier would also take HS384/512, and accepting more than we issue widens the surface.
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw AuthFailure.invalid("unsupported token algorithm");
    }
    try {
      if (!jwt.verify(verifier)) {
        throw AuthFailure.invalid("bad token signature");
      }
    } catch (JOSEException e) {
      throw AuthFailure.invalid("bad token signature");
    }
    JWTClaimsSet claims = claims(jwt);
    if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
      throw AuthFailure.invalid("wrong token issuer");
    }
    if (audience.isPresent() && (claims.getAudience() == null || !claims.getAudience().contains(audience.get()))) {
      throw AuthFailure.invalid("wrong token audience");
    }
    var expiresAt = TimeRules.check(claims, clock.instant(), leeway);
    return Identity.of(prefix + ":" + TimeRules.subject(claims), expiresAt);
  }

  static JWTClaimsSet claims(SignedJWT jwt) {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw AuthFailure.invalid("malformed token");
    }
  }
}
