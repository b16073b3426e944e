package dev.syncline.token.push;

import java.util.Arrays;

/**
 * One AES-256 key for push endpoint tokens. Its id travels as the token's first byte so that tokens sealed with an
 * older key still open after a newer one takes over sealing.
 */
public record EndpointKey(int id, byte[] key) {
  public static final int KEY_BYTES = 32;

  public EndpointKey {
    if (id < 0 || id > 255 || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an endpoint key has an id from 0 to 255 and 32 bytes");
    }
    key = key.clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EndpointKey that && id == that.id && Arrays.equals(key, that.key);
  }

  @Override
  public int hashCode() {
    return 31 * id + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "EndpointKey[id=" + id + "]";
  }
}
