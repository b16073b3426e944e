package dev.syncline.token.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.syncline.token.auth.AuthFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** The {@code exp}, {@code nbf} and {@code iat} rules every bearer token meets, with a leeway for clock skew. */
final class TimeRules {
  private TimeRules() {
  }

  /**
   * Refuses a token that has expired, is not valid yet or claims to be issued in the future.
   *
   * @return the token's own expiry, without the leeway, so that a cache never keeps it longer than it says;
   *     a token without one is refused, since time could never revoke it
   */
  static Instant check(JWTClaimsSet claims, Instant now, Duration leeway) {
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw AuthFailure.invalid("token has no expiry");
    }
    if (!now.isBefore(exp.toInstant().plus(leeway))) {
      throw AuthFailure.invalid("token expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(leeway))) {
      throw AuthFailure.invalid("token not valid yet");
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now.isBefore(iat.toInstant().minus(leeway))) {
      throw AuthFailure.invalid("token issued in the future");
    }
    return exp.toInstant();
  }

  static String subject(JWTClaimsSet claims) {
    String sub = claims.getSubject();
    if (sub == null || sub.isBlank()) {
      throw AuthFailure.invalid("token has no subject");
    }
    return sub;
  }
}
