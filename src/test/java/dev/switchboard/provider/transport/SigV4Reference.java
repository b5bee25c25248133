package dev.switchboard.provider.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test-only SigV4 computation written from AWS's description of the algorithm
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
 * independent of the AWS SDK that production code uses. It exists to check the SDK's output for
 * requests no published vector covers (a Bedrock path with an escaped {@code :}); it shares the
 * author's reading of the spec, so it proves agreement with that reading, not with AWS's servers.
 *
 * <p>Header-based signing of requests without a query string only, which is all the gateway sends.
 * Public so that end-to-end tests can recompute the signature of what reached the mock upstream.
 */
public final class SigV4Reference {
  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

  private SigV4Reference() {}

  /**
   * The signature (hex) of a request.
   *
   * @param rawPath the path as sent on the wire (already percent-encoded once)
   * @param headers the signed headers, any case; values as sent
   */
  public static String signature(
      String method, String rawPath, Map<String, String> headers, byte[] body, String amzDate,
      String secret, String region, String service) {
    String canonical = canonicalRequest(method, rawPath, headers, body);
    String date = amzDate.substring(0, 8);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return hex(hmac(key, stringToSign));
  }

  static String canonicalRequest(String method, String rawPath, Map<String, String> headers, byte[] body) {
    var sorted = new TreeMap<String, String>();
    headers.forEach((name, value) -> sorted.put(name.toLowerCase(Locale.ROOT), value.strip().replaceAll(" +", " ")));
    String canonicalHeaders = sorted.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue() + "\n")
        .collect(Collectors.joining());
    return method + "\n"
        + canonicalUri(rawPath) + "\n"
        + "\n" // no query string
        + canonicalHeaders + "\n"
        + String.join(";", sorted.keySet()) + "\n"
        + hex(sha256(body));
  }

  /** Every service but S3 encodes each path segment again, so an escaped {@code %3A} becomes {@code %253A}. */
  static String canonicalUri(String rawPath) {
    if (rawPath.isEmpty()) {
      return "/";
    }
    var out = new StringBuilder();
    for (byte b : rawPath.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c == '/' || UNRESERVED.indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
