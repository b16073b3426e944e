package dev.syncline.token.push;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * An application server's VAPID public key: an uncompressed P-256 point (65 bytes, 0x04 first) as base64url, which
 * clients and servers send with or without padding and now and then in the standard alphabet.
 *
 * @param jwk the key as Nimbus verifies with it; building it proves the point lies on the curve
 * @param hash SHA-256 of the 65 bytes; what an endpoint token pins
 */
public record VapidKey(ECKey jwk, byte[] hash) {
  private static final int POINT_BYTES = 65;
  private static final int COORDINATE_BYTES = 32;

  public static VapidKey parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no key");
    }
    String urlSafe = text.trim().replace('+', '-').replace('/', '_').replaceAll("=+$", "");
    byte[] raw = Base64.getUrlDecoder().decode(urlSafe);
    if (raw.length != POINT_BYTES || raw[0] != 0x04) {
      throw new IllegalArgumentException("not an uncompressed P-256 point");
    }
    ECKey jwk = new ECKey.Builder(Curve.P_256,
        Base64URL.encode(Arrays.copyOfRange(raw, 1, 1 + COORDINATE_BYTES)),
        Base64URL.encode(Arrays.copyOfRange(raw, 1 + COORDINATE_BYTES, POINT_BYTES)))
        .build();
    return new VapidKey(jwk, sha256(raw));
  }

  public String hashText() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
  }

  private static byte[] sha256(byte[] raw) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(raw);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
