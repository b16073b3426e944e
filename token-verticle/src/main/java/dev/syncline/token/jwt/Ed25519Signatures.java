package dev.syncline.token.jwt;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/**
 * EdDSA (Ed25519) signature checks with the JDK's own provider. Nimbus delegates Ed25519 to Tink, which would pull
 * in protobuf; the JDK has had Ed25519 since 15, so the key is wrapped into its X.509 form and handed to it.
 */
final class Ed25519Signatures {
  // DER prefix of a SubjectPublicKeyInfo for id-Ed25519 (RFC 8410); the 32-byte key follows it.
  private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  private static final int KEY_BYTES = 32;

  private Ed25519Signatures() {
  }

  static boolean verify(OctetKeyPair jwk, SignedJWT jwt) {
    if (!Curve.Ed25519.equals(jwk.getCurve())) {
      return false;
    }
    byte[] raw = jwk.getX().decode();
    if (raw.length != KEY_BYTES) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(publicKey(raw));
      signature.update(jwt.getSigningInput());
      return signature.verify(jwt.getSignature().decode());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
    byte[] encoded = new byte[X509_PREFIX.length + raw.length];
    System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, raw.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
  }
}
