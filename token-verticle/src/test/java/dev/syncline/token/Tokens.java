package dev.syncline.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

/** Mints test tokens with real keys; keys are made once per JVM since RSA key generation is slow. */
public final class Tokens {
  public static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";

  private Tokens() {
  }

  public static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An Ed25519 key pair from the JDK, and its public JWK. */
  public record EdKey(KeyPair pair, OctetKeyPair jwk) {
  }

  public static EdKey edKey(String kid) {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] encoded = pair.getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
      return new EdKey(pair, new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).keyID(kid).build());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JWTClaimsSet.Builder claims(String iss, String aud, String sub, Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(iss)
        .audience(aud)
        .subject(sub)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600)));
  }

  public static String hs256(JWTClaimsSet claims) {
    return hs(JWSAlgorithm.HS256, SECRET.getBytes(StandardCharsets.UTF_8), claims);
  }

  public static String hs(JWSAlgorithm alg, byte[] secret, JWTClaimsSet claims) {
    try {
      return sign(new JWSHeader(alg), new MACSigner(secret), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String rs256(RSAKey key, JWTClaimsSet claims) {
    try {
      return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), new RSASSASigner(key),
          claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String es256(ECKey key, JWTClaimsSet claims) {
    return es256(key, key.getKeyID(), claims);
  }

  public static String es256(ECKey key, String kid, JWTClaimsSet claims) {
    try {
      return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), new ECDSASigner(key), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String edDsa(EdKey key, JWTClaimsSet claims) {
    try {
      SignedJWT unsigned = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(key.jwk().getKeyID()).build(), claims);
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key.pair().getPrivate());
      signature.update(unsigned.getSigningInput());
      return new SignedJWT(unsigned.getHeader().toBase64URL(), claims.toPayload().toBase64URL(),
          Base64URL.encode(signature.sign())).serialize();
    } catch (GeneralSecurityException | java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** Base64url of a JSON text, for hand-made malformed tokens. */
  public static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
