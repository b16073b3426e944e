package dev.syncline.it.support;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HS256 bearer tokens as a development identity provider would sign them. */
public final class Jwt {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Jwt() {
  }

  public static String hs256(String secret, JsonObject claims) {
    String header = URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = URL.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signature = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8));
      return header + "." + payload + "." + URL.encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token for {@code sub} valid for an hour. */
  public static String forUser(String secret, String sub) {
    return hs256(secret, new JsonObject().put("sub", sub).put("exp", System.currentTimeMillis() / 1000 + 3600));
  }
}
