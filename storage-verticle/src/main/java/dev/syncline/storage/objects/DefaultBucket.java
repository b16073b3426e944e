package dev.syncline.storage.objects;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code default} bucket: a bucket private to each user, whose id is derived from the user id so that every
 * node finds the same one without coordination.
 */
public final class DefaultBucket {
  public static final String NAME = "default";

  private DefaultBucket() {
  }

  /** A UUID-shaped id from a hash of the user id: stable, and no user can guess another's from their own. */
  public static String idFor(String userId, String secret) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(secret.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      String hex = HexFormat.of().formatHex(digest.digest(userId.getBytes(StandardCharsets.UTF_8)));
      return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
          + hex.substring(16, 20) + "-" + hex.substring(20, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
