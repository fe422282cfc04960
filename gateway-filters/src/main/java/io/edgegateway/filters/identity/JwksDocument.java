package io.edgegateway.filters.identity;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a JWKS document (RFC 7517) into the keys this gateway can verify with: {@code kty} RSA
 * ({@code n}, {@code e}, at least 2048 bits) for RS256 and {@code kty} EC on P-256 ({@code x},
 * {@code y}, a point on the curve) for ES256, each with {@code alg} absent or matching.
 *
 * <p>Keys of other types or algorithms, and keys for encryption ({@code use} other than {@code sig}),
 * are left out quietly: providers publish them beside signing keys. A key of a supported type
 * that does not parse is left out with a warning. The document itself is refused when it is not a
 * JSON object with a {@code keys} array, holds no usable key, or names one kid twice.
 */
final class JwksDocument {

    static final String RS256 = "RS256";
    static final String ES256 = "ES256";

    private static final String SHA256_WITH_RSA = "SHA256withRSA";
    /** JWS carries ECDSA signatures as R || S (RFC 7518 section 3.4), not DER. */
    private static final String SHA256_WITH_ECDSA_RAW = "SHA256withECDSAinP1363Format";
    private static final int MIN_RSA_BITS = 2048;
    private static final int P256_COORDINATE_BYTES = 32;
    private static final ECParameterSpec P256 = p256();

    private JwksDocument() {
    }

    /**
     * @param skipped told why each supported-looking key was left out
     * @throws IllegalArgumentException saying why the document as a whole is unusable
     */
    static JwkSet parse(String json, Consumer<String> skipped) {
        Map<String, Object> document = FlatJson.parseDocument(json)
                .orElseThrow(() -> new IllegalArgumentException("not a JSON object"));
        if (!(document.get("keys") instanceof List<?> entries)) {
            throw new IllegalArgumentException("no \"keys\" array");
        }
        List<Jwk> keys = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                skipped.accept("keys[" + i + "]: not an object");
                continue;
            }
            try {
                key(entry).ifPresent(keys::add);
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                skipped.accept("keys[" + i + "]: " + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no usable key (RSA for RS256, EC P-256 for ES256) among " + entries.size());
        }
        return new JwkSet(keys);
    }

    /** Empty for a key this gateway does not verify with. */
    private static Optional<Jwk> key(Map<?, ?> entry) throws GeneralSecurityException {
        Object use = entry.get("use");
        if (use != null && !"sig".equals(use)) {
            return Optional.empty();
        }
        Object kid = entry.get("kid");
        if (kid != null && !(kid instanceof String)) {
            throw new IllegalArgumentException("kid is not a string");
        }
        Object kty = entry.get("kty");
        Object alg = entry.get("alg");
        if ("RSA".equals(kty) && (alg == null || RS256.equals(alg))) {
            return Optional.of(new Jwk((String) kid, RS256, new SignatureVerifier(rsa(entry), SHA256_WITH_RSA)));
        }
        if ("EC".equals(kty) && (alg == null || ES256.equals(alg)) && "P-256".equals(entry.get("crv"))) {
            return Optional.of(new Jwk((String) kid, ES256, new SignatureVerifier(p256(entry), SHA256_WITH_ECDSA_RAW)));
        }
        return Optional.empty();
    }

    private static PublicKey rsa(Map<?, ?> entry) throws GeneralSecurityException {
        BigInteger modulus = unsigned(entry, "n");
        BigInteger exponent = unsigned(entry, "e");
        if (modulus.bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA key of " + modulus.bitLength() + " bits (expected: >= " + MIN_RSA_BITS + ")");
        }
        if (exponent.signum() <= 0 || !exponent.testBit(0)) {
            throw new IllegalArgumentException("RSA exponent is not a positive odd number");
        }
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
    }

    private static PublicKey p256(Map<?, ?> entry) throws GeneralSecurityException {
        byte[] x = bytes(entry, "x");
        byte[] y = bytes(entry, "y");
        if (x.length != P256_COORDINATE_BYTES || y.length != P256_COORDINATE_BYTES) {
            throw new IllegalArgumentException("P-256 coordinates of " + x.length + " and " + y.length + " bytes (expected: 32)");
        }
        ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
        if (!onCurve(point, P256.getCurve())) {
            throw new IllegalArgumentException("the point is not on P-256");
        }
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
    }

    /** y^2 = x^3 + ax + b (mod p), with both coordinates reduced: what an invalid-curve key fails. */
    private static boolean onCurve(ECPoint point, EllipticCurve curve) {
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return y.pow(2).mod(p).equals(right);
    }

    private static BigInteger unsigned(Map<?, ?> entry, String member) {
        return new BigInteger(1, bytes(entry, member));
    }

    private static byte[] bytes(Map<?, ?> entry, String member) {
        if (!(entry.get(member) instanceof String text)) {
            throw new IllegalArgumentException(member + " is missing or not a string");
        }
        byte[] decoded = Base64Url.decode(text, 0, text.length());
        if (decoded == null || decoded.length == 0) {
            throw new IllegalArgumentException(member + " is not unpadded base64url");
        }
        return decoded;
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
