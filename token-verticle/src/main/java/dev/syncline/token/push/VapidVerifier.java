package dev.syncline.token.push;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.syncline.token.auth.AuthFailure;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * VAPID (RFC 8292) proofs that an application server holds the key a subscription was made for.
 *
 * <p>Takes {@code Authorization: vapid t=<jwt>, k=<key>} and the older {@code Authorization: WebPush <jwt>} with
 * {@code Crypto-Key: p256ecdsa=<key>}. The JWT must be ES256, name the push service's origin as its only
 * audience, and expire in at most 24 hours; the leeway covers skew between the sender's clock and ours.
 */
public final class VapidVerifier {
  private static final Duration MAX_LIFETIME = Duration.ofHours(24);

  private final Clock clock;
  private final Duration leeway;
  private final int maxTokenBytes;

  /** What a verified proof tells. */
  public record Verified(VapidKey key, Optional<String> subject) {
  }

  public VapidVerifier(Clock clock, Duration leeway, int maxTokenBytes) {
    this.clock = clock;
    this.leeway = leeway;
    this.maxTokenBytes = maxTokenBytes;
  }

  /**
   * @param audience the origin of the endpoint the request was sent to, such as {@code https://push.example.com}
   * @param expectedKeyHash the hash an endpoint token pins, if any
   */
  public Verified verify(String authorization, String cryptoKey, String audience, Optional<byte[]> expectedKeyHash) {
    if (authorization == null || authorization.isBlank()) {
      throw AuthFailure.missing("no Authorization header");
    }
    String header = authorization.trim();
    int space = header.indexOf(' ');
    String scheme = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
    String rest = space < 0 ? "" : header.substring(space + 1).trim();
    String token;
    String keyText;
    switch (scheme) {
      case "vapid" -> {
        token = parameter(rest, ",", "t");
        keyText = parameter(rest, ",", "k");
      }
      case "webpush" -> {
        token = rest;
        keyText = cryptoKey == null ? null : parameter(cryptoKey, "[,;]", "p256ecdsa");
      }
      default -> throw AuthFailure.missing("not a VAPID authorization");
    }
    if (token == null || token.isEmpty() || keyText == null || keyText.isEmpty()) {
      throw AuthFailure.invalid("VAPID token or key missing");
    }
    if (token.length() > maxTokenBytes) {
      throw AuthFailure.invalid("VAPID token too long");
    }
    VapidKey key;
    try {
      key = VapidKey.parse(keyText);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw AuthFailure.invalid("VAPID key is not a P-256 public key");
    }
    if (expectedKeyHash.isPresent() && !MessageDigest.isEqual(expectedKeyHash.get(), key.hash())) {
      throw AuthFailure.invalid("VAPID key does not match the subscription");
    }
    JWTClaimsSet claims = verifiedClaims(token, key);
    checkClaims(claims, audience);
    return new Verified(key, Optional.ofNullable(claims.getSubject()));
  }

  private static JWTClaimsSet verifiedClaims(String token, VapidKey key) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
        throw AuthFailure.invalid("VAPID token must be ES256");
      }
      if (!jwt.verify(new ECDSAVerifier(key.jwk()))) {
        throw AuthFailure.invalid("bad VAPID signature");
      }
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw AuthFailure.invalid("malformed VAPID token");
    } catch (JOSEException e) {
      throw AuthFailure.invalid("bad VAPID signature");
    }
  }

  private void checkClaims(JWTClaimsSet claims, String audience) {
    List<String> aud = claims.getAudience();
    if (aud == null || aud.size() != 1 || !aud.get(0).equals(audience)) {
      throw AuthFailure.invalid("VAPID audience is not this push service");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw AuthFailure.invalid("VAPID token has no expiry");
    }
    Instant now = clock.instant();
    if (!now.isBefore(exp.toInstant().plus(leeway))) {
      throw AuthFailure.invalid("VAPID token expired");
    }
    if (exp.toInstant().isAfter(now.plus(MAX_LIFETIME).plus(leeway))) {
      throw AuthFailure.invalid("VAPID token expires more than 24 hours ahead");
    }
    Object sub = claims.getClaim("sub");
    if (sub != null && !(sub instanceof String text && (text.startsWith("mailto:") || text.startsWith("https:")))) {
      throw AuthFailure.invalid("VAPID subject must be a mailto: or https: URI");
    }
  }

  /** The value of {@code name=value} among separated parameters, or null. */
  private static String parameter(String text, String separator, String name) {
    for (String part : text.split(separator)) {
      String item = part.trim();
      int eq = item.indexOf('=');
      if (eq > 0 && item.substring(0, eq).trim().equalsIgnoreCase(name)) {
        return item.substring(eq + 1).trim();
      }
    }
    return null;
  }
}
