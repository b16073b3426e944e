package dev.syncline.token.jwt;

/**
 * A trusted OpenID Connect issuer.
 *
 * @param name what its users' principals start with ({@code google:1234})
 * @param issuer the exact {@code iss} its tokens carry; tokens are routed to a provider by it
 * @param audience the client id its tokens must name in {@code aud}
 * @param jwksUrl where its public signing keys are published
 */
public record OidcProvider(String name, String issuer, String audience, String jwksUrl) {
}
