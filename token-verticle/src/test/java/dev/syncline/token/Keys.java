package dev.syncline.token;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;

/** Keys shared by the tests of one JVM. */
public final class Keys {
  public static final RSAKey RSA = Tokens.rsaKey("rsa-1");
  public static final RSAKey RSA_ROTATED = Tokens.rsaKey("rsa-2");
  public static final ECKey EC = Tokens.ecKey("ec-1");
  public static final Tokens.EdKey ED = Tokens.edKey("ed-1");

  private Keys() {
  }
}
