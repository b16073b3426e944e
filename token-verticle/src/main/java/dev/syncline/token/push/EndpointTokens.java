package dev.syncline.token.push;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.token.auth.AuthFailure;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Push endpoint tokens: the subscription a push endpoint URL stands for, sealed with AES-256-GCM so that nobody
 * can read it or forge one.
 *
 * <p>Layout, then base64url without padding: {@code key id (1) | nonce (12) | ciphertext | tag (16)}, where the
 * plaintext is {@code uaid (16) | channel id (16) [| SHA-256 of the VAPID key (32)]} and the key id is also the
 * additional authenticated data, so a token cannot be moved to another key's id. The binary form keeps endpoint
 * URLs short (82 or 124 characters).
 */
public final class EndpointTokens {
  private static final Pattern UAID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern CHANNEL_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int ID_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final String NOT_FOUND = "unknown push endpoint";

  private final EndpointKey sealing;
  private final Map<Integer, SecretKeySpec> byId = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /** What a token says. */
  public record Subscription(String uaid, String channelId, Optional<byte[]> vapidKeyHash) {
  }

  public EndpointTokens(List<EndpointKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint key");
    }
    this.sealing = keys.get(0);
    keys.forEach(key -> byId.put(key.id(), new SecretKeySpec(key.key(), "AES")));
  }

  /** A key made for this process only, for single-node trials. */
  public static EndpointKey randomKey() {
    byte[] key = new byte[EndpointKey.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return new EndpointKey(0, key);
  }

  public String seal(String uaid, String channelId, Optional<byte[]> vapidKeyHash) {
    if (uaid == null || !UAID.matcher(uaid).matches()) {
      throw AuthFailure.of(ErrorCode.INVALID_PARAMETERS, "uaid must be 32 lower-case hex digits");
    }
    if (channelId == null || !CHANNEL_ID.matcher(channelId).matches()) {
      throw AuthFailure.of(ErrorCode.INVALID_PARAMETERS, "channel_id must be a lower-case dashed UUID");
    }
    ByteBuffer plain = ByteBuffer.allocate(2 * ID_BYTES + vapidKeyHash.map(h -> HASH_BYTES).orElse(0));
    plain.put(HexFormat.of().parseHex(uaid));
    UUID channel = UUID.fromString(channelId);
    plain.putLong(channel.getMostSignificantBits()).putLong(channel.getLeastSignificantBits());
    vapidKeyHash.ifPresent(plain::put);

    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, byId.get(sealing.id()), (byte) sealing.id(), nonce, plain.array());
    ByteBuffer token = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length);
    token.put((byte) sealing.id()).put(nonce).put(sealed);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
  }

  /** Fails with {@link ErrorCode#MISSING_RESOURCE} for anything we did not seal with a key we still hold. */
  public Subscription open(String token) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token == null ? "" : token);
    } catch (IllegalArgumentException e) {
      throw AuthFailure.of(ErrorCode.MISSING_RESOURCE, NOT_FOUND);
    }
    if (raw.length != 1 + NONCE_BYTES + 2 * ID_BYTES + TAG_BITS / 8
        && raw.length != 1 + NONCE_BYTES + 2 * ID_BYTES + HASH_BYTES + TAG_BITS / 8) {
      throw AuthFailure.of(ErrorCode.MISSING_RESOURCE, NOT_FOUND);
    }
    byte keyId = raw[0];
    SecretKeySpec key = byId.get(Byte.toUnsignedInt(keyId));
    if (key == null) {
      throw AuthFailure.of(ErrorCode.MISSING_RESOURCE, NOT_FOUND);
    }
    byte[] nonce = new byte[NONCE_BYTES];
    System.arraycopy(raw, 1, nonce, 0, NONCE_BYTES);
    byte[] sealed = new byte[raw.length - 1 - NONCE_BYTES];
    System.arraycopy(raw, 1 + NONCE_BYTES, sealed, 0, sealed.length);
    ByteBuffer plain = ByteBuffer.wrap(cipher(Cipher.DECRYPT_MODE, key, keyId, nonce, sealed));

    byte[] uaid = new byte[ID_BYTES];
    plain.get(uaid);
    String channelId = new UUID(plain.getLong(), plain.getLong()).toString();
    Optional<byte[]> hash = Optional.empty();
    if (plain.hasRemaining()) {
      byte[] h = new byte[HASH_BYTES];
      plain.get(h);
      hash = Optional.of(h);
    }
    return new Subscription(HexFormat.of().formatHex(uaid), channelId, hash);
  }

  private static byte[] cipher(int mode, SecretKeySpec key, byte keyId, byte[] nonce, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(new byte[] {keyId});
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      if (mode == Cipher.ENCRYPT_MODE) {
        throw new IllegalStateException("AES-GCM is part of every JDK", e);
      }
      // A failed tag check lands here: tampered, truncated or sealed under another key with the same id.
      throw AuthFailure.of(ErrorCode.MISSING_RESOURCE, NOT_FOUND);
    }
  }
}
