package dev.handoff.salesforce;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * The RS256-signed assertion of the OAuth 2.0 JWT bearer flow: {@code iss} = the connected app's
 * consumer key, {@code sub} = the integration user, {@code aud} = the login host, {@code exp} a
 * few minutes ahead. The private key is a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}).
 */
public final class JwtAssertion {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private JwtAssertion() {
    }

    public static String sign(String consumerKey, String username, String audience, Instant expires, Secret pemKey) {
        String header = URL.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = URL.encodeToString(("{\"iss\":" + quote(consumerKey) + ",\"sub\":" + quote(username)
                + ",\"aud\":" + quote(audience) + ",\"exp\":" + expires.getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(privateKey(pemKey));
            signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + URL.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new ConfigException("handoff.salesforce.jwt.private-key", "cannot sign with it (" + e.getMessage() + ")");
        }
    }

    static PrivateKey privateKey(Secret pem) {
        String text = pem.reveal();
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new ConfigException("handoff.salesforce.jwt.private-key",
                    "is not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert with: openssl pkcs8 -topk8 -nocrypt");
        }
        String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("handoff.salesforce.jwt.private-key", "is not a readable RSA private key");
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
