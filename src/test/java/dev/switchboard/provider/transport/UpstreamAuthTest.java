package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.Secret;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every auth strategy; SigV4 through a chain of evidence, since the AWS SDK's signer cannot be held
 * to AWS's published test suite byte for byte: it always adds (and signs) an {@code
 * x-amz-content-sha256} header, which the suite's requests lack (services accept it; the SDK sends
 * it on every call). So:
 *
 * <ol>
 *   <li>{@link SigV4Reference}, written independently from AWS's description of the algorithm,
 *       reproduces the suite's {@code get-vanilla}, {@code post-vanilla} and {@code
 *       post-x-www-form-urlencoded} signatures exactly (credentials {@code AKIDEXAMPLE}, region
 *       {@code us-east-1}, service {@code service}, 2015-08-30T12:36:00Z);
 *   <li>for those same requests, and for a Bedrock request with an escaped {@code :} in its path
 *       and temporary credentials, the SDK's Authorization header equals the reference's signature
 *       over exactly the headers the SDK says it signed.
 * </ol>
 *
 * What this does not prove is that AWS accepts the result: both sides share the reading of the
 * spec in which a path is URI-encoded a second time for every service but S3 (it is what AWS's
 * SDKs do for Bedrock). No test here talks to AWS.
 */
class UpstreamAuthTest {
  private static final Clock SUITE_TIME = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final UpstreamAuth.SigV4 SUITE =
      new UpstreamAuth.SigV4("AKIDEXAMPLE", Secret.of(SECRET), null, "us-east-1", "service");
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

  private static MultiMap sign(UpstreamAuth.SigV4 auth, MultiMap headers, HttpMethod method, String url, String body) {
    AwsSigV4Signer.sign(auth, headers, method, url, body.getBytes(StandardCharsets.UTF_8), SUITE_TIME);
    return headers;
  }

  /** The reference's signature over the headers the Authorization header names, with {@code host}. */
  private static void assertSignedAsTheReferenceWould(
      MultiMap headers, String method, String url, String body, String region, String service, List<String> expectedSigned) {
    Matcher auth = AUTHORIZATION.matcher(headers.get("authorization"));
    assertThat(auth.matches()).as("authorization header %s", headers.get("authorization")).isTrue();
    assertThat(auth.group(1)).isEqualTo("AKIDEXAMPLE");
    assertThat(auth.group(2)).isEqualTo("20150830");
    assertThat(auth.group(3)).isEqualTo(region);
    assertThat(auth.group(4)).isEqualTo(service);
    List<String> signed = List.of(auth.group(5).split(";"));
    assertThat(signed).isEqualTo(expectedSigned);
    URI uri = URI.create(url);
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : signed) {
      values.put(name, name.equals("host") ? uri.getAuthority() : headers.get(name));
    }
    String expected = SigV4Reference.signature(method, uri.getRawPath(), values, body.getBytes(StandardCharsets.UTF_8),
        headers.get("x-amz-date"), SECRET, region, service);
    assertThat(auth.group(6)).isEqualTo(expected);
  }

  @Test
  void theReferenceReproducesThePublishedVectors() {
    Map<String, String> vanilla = Map.of("host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z");
    assertThat(SigV4Reference.signature("GET", "/", vanilla, new byte[0], "20150830T123600Z", SECRET, "us-east-1", "service"))
        .as("get-vanilla").isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    assertThat(SigV4Reference.signature("POST", "/", vanilla, new byte[0], "20150830T123600Z", SECRET, "us-east-1", "service"))
        .as("post-vanilla").isEqualTo("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    assertThat(SigV4Reference.signature("POST", "/", Map.of("content-type", "application/x-www-form-urlencoded",
            "host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z"),
        "Param1=value1".getBytes(StandardCharsets.UTF_8), "20150830T123600Z", SECRET, "us-east-1", "service"))
        .as("post-x-www-form-urlencoded").isEqualTo("ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
  }

  @Test
  void getVanilla() {
    MultiMap headers = sign(SUITE, MultiMap.caseInsensitiveMultiMap(), HttpMethod.GET, "https://example.amazonaws.com/", "");

    assertThat(headers.get("x-amz-date")).isEqualTo("20150830T123600Z");
    assertThat(headers.get("x-amz-content-sha256")).isEqualTo(EMPTY_SHA256);
    assertThat(headers.contains("host")).as("the client sets Host from the URL").isFalse();
    assertThat(headers.contains("x-amz-security-token")).isFalse();
    assertSignedAsTheReferenceWould(headers, "GET", "https://example.amazonaws.com/", "", "us-east-1", "service",
        List.of("host", "x-amz-content-sha256", "x-amz-date"));
  }

  @Test
  void postVanilla() {
    MultiMap headers = sign(SUITE, MultiMap.caseInsensitiveMultiMap(), HttpMethod.POST, "https://example.amazonaws.com/", "");

    assertSignedAsTheReferenceWould(headers, "POST", "https://example.amazonaws.com/", "", "us-east-1", "service",
        List.of("host", "x-amz-content-sha256", "x-amz-date"));
  }

  @Test
  void postXWwwFormUrlencoded() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/x-www-form-urlencoded");

    sign(SUITE, headers, HttpMethod.POST, "https://example.amazonaws.com/", "Param1=value1");

    assertThat(headers.get("content-type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(headers.get("x-amz-content-sha256"))
        .isEqualTo("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
    assertSignedAsTheReferenceWould(headers, "POST", "https://example.amazonaws.com/", "Param1=value1", "us-east-1",
        "service", List.of("content-type", "host", "x-amz-content-sha256", "x-amz-date"));
  }

  @Test
  void aBedrockRequestIsSignedOverItsEscapedPathAndBody() {
    var auth = UpstreamAuth.SigV4.bedrock("AKIDEXAMPLE", Secret.of(SECRET), Secret.of("SESSION/TOKEN=="), "eu-west-3");
    String url = "https://bedrock-runtime.eu-west-3.amazonaws.com/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse";
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .set("content-type", "application/json")
        .set("accept", "application/json");

    sign(auth, headers, HttpMethod.POST, url, body);

    assertThat(headers.get("x-amz-security-token")).isEqualTo("SESSION/TOKEN==");
    assertSignedAsTheReferenceWould(headers, "POST", url, body, "eu-west-3", "bedrock",
        List.of("accept", "content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"));
    assertThat(SigV4Reference.canonicalUri(URI.create(url).getRawPath()))
        .as("the escaped colon is escaped again in the canonical URI")
        .isEqualTo("/model/anthropic.claude-3-5-sonnet-20241022-v2%253A0/converse");
  }

  @Test
  void aDifferentBodyOrTimeGivesADifferentSignature() {
    String url = "https://example.amazonaws.com/";
    String a = sign(SUITE, MultiMap.caseInsensitiveMultiMap(), HttpMethod.POST, url, "a").get("authorization");
    String b = sign(SUITE, MultiMap.caseInsensitiveMultiMap(), HttpMethod.POST, url, "b").get("authorization");
    MultiMap later = MultiMap.caseInsensitiveMultiMap();
    AwsSigV4Signer.sign(SUITE, later, HttpMethod.POST, url, "a".getBytes(StandardCharsets.UTF_8),
        Clock.offset(SUITE_TIME, java.time.Duration.ofSeconds(1)));

    assertThat(a).isNotEqualTo(b).isNotEqualTo(later.get("authorization"));
  }

  @Test
  void keyStrategiesSetTheirHeader() {
    byte[] body = new byte[0];
    MultiMap bearer = MultiMap.caseInsensitiveMultiMap();
    new UpstreamAuth.Bearer(Secret.of("k1")).apply(bearer, HttpMethod.POST, "https://x/", body);
    MultiMap header = MultiMap.caseInsensitiveMultiMap();
    new UpstreamAuth.Header("x-api-key", Secret.of("k2")).apply(header, HttpMethod.POST, "https://x/", body);
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    new UpstreamAuth.None().apply(none, HttpMethod.POST, "https://x/", body);

    assertThat(bearer.get("Authorization")).isEqualTo("Bearer k1");
    assertThat(header.get("X-Api-Key")).isEqualTo("k2");
    assertThat(none.isEmpty()).isTrue();
  }

  @Test
  void sigV4CredentialsAreValidatedAndNeverPrinted() {
    var auth = UpstreamAuth.SigV4.bedrock("AKIDEXAMPLE", Secret.of("very-secret"), Secret.of("token-secret"), "us-east-1");

    assertThat(auth.service()).isEqualTo("bedrock");
    assertThat(auth.toString()).doesNotContain("very-secret").doesNotContain("token-secret");
    assertThatThrownBy(() -> UpstreamAuth.SigV4.bedrock(" ", Secret.of("s"), null, "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessKeyId");
    assertThatThrownBy(() -> UpstreamAuth.SigV4.bedrock("AKID", Secret.of("s"), null, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region");
  }
}
