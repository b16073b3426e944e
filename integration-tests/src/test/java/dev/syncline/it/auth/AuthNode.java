package dev.syncline.it.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Jwt;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/**
 * A node with every scheme on: HS256, OpenID Connect (its JWKS served from this JVM on a free port) and accounts,
 * with a lockout of {@link #LOCKOUT_FAILURES} failures per account. Shared by the tests of this package; separate
 * from the shared node so that its lockout settings touch no other test.
 */
final class AuthNode {
  static final String JWT_SECRET = "auth-tests-hs256-secret-0123456789abcdef";
  static final String ISSUER = "https://idp.auth-tests.example";
  static final String AUDIENCE = "syncline-tests";
  static final int LOCKOUT_FAILURES = 3;
  static final int LOCKOUT_SECONDS = 120;

  private static Node node;
  private static RSAKey key;

  private AuthNode() {
  }

  static synchronized Node get() {
    if (node == null) {
      try {
        key = new RSAKeyGenerator(2048).keyID("it-rsa-1").generate();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
      String jwks = new JWKSet(key.toPublicJWK()).toString(true);
      HttpServer server = jwksServer(jwks);
      JsonObject config = new TestCluster(1).nodeConfig(0, PostgresFixture.shared().newDatabase().url())
          .put("jwt_secret", JWT_SECRET)
          .put("oidc_providers", new JsonArray().add(new JsonObject()
              .put("name", "idp")
              .put("issuer", ISSUER)
              .put("audience", AUDIENCE)
              .put("jwks_url", "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks")))
          .put("account_lockout_failures", LOCKOUT_FAILURES)
          .put("account_lockout_seconds", LOCKOUT_SECONDS);
      node = TestCluster.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        TestCluster.stop(node);
        server.stop(0);
      }));
    }
    return node;
  }

  static String base() {
    return "http://127.0.0.1:" + get().httpPort();
  }

  static KintoClient hs256(String sub) {
    return new KintoClient(base(), Jwt.forUser(JWT_SECRET, sub));
  }

  static KintoClient oidc(String sub) {
    get();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(sub)
        .issueTime(new Date())
        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return new KintoClient(base(), jwt.serialize());
  }

  /** Signs the account up (201) and returns a Basic client for it. */
  static KintoClient account(String id, String password) {
    KintoClient.expect(new KintoClient(base(), null).put("/accounts/" + id,
        new JsonObject().put("data", new JsonObject().put("password", password))), 201);
    return KintoClient.basic(base(), id, password);
  }

  private static HttpServer jwksServer(String jwks) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
      server.createContext("/jwks", exchange -> {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
