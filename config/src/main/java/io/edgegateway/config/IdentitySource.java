package io.edgegateway.config;

/** One way of finding the identity a request is rate limited by ({@code type = header | jwt | client-ip}). */
public sealed interface IdentitySource permits HeaderIdentity, JwtIdentity, ClientIpIdentity {
}
