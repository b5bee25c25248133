package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.Secret;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A SigV4-signed request sent by the real client to a server on 127.0.0.1: what arrives (path
 * bytes, Host, every signed header, body) must be exactly what was signed. The server recomputes
 * the signature from the received request with {@link SigV4Reference}, as AWS would from what it
 * receives; a header the client changed or added after signing, or a path it re-escaped, fails.
 */
class UpstreamClientSigV4Test {
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=AKID/(\\d{8})/us-west-2/bedrock/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

  private LoopbackUpstream upstream;
  private final CompletableFuture<Received> received = new CompletableFuture<>();

  record Received(String method, String uri, String path, Map<String, String> headers, byte[] body) {}

  @BeforeEach
  void start() throws Exception {
    upstream = new LoopbackUpstream(request -> request.body().onSuccess(body -> {
      Map<String, String> headers = new LinkedHashMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
      received.complete(new Received(request.method().name(), request.uri(), request.path(), headers, body.getBytes()));
      request.response().putHeader("content-type", "application/json").end("{\"ok\":true}");
    }));
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  @Test
  void theServerCanVerifyTheSignatureOfWhatArrived() throws Exception {
    String base = upstream.baseUrl();
    String path = "/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse-stream";
    byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"héllo\"}]}]}".getBytes(StandardCharsets.UTF_8);
    var auth = UpstreamAuth.SigV4.bedrock("AKID", Secret.of("SECRETKEY"), Secret.of("TOKEN"), "us-west-2");
    var call = new UpstreamCall(
        new Target("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", base),
        new UpstreamRequest(path, Map.of("accept", "application/vnd.amazon.eventstream"), body, false),
        auth, TimeoutConfig.DEFAULTS, new Cancellation());

    UpstreamResponse response = upstream.client().exchange(call).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Received got = received.get(10, TimeUnit.SECONDS);

    assertThat(response.status()).isEqualTo(200);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.uri()).as("the escaped model id arrives escaped").isEqualTo(path);
    assertThat(got.body()).isEqualTo(body);
    assertThat(got.headers().get("x-amz-security-token")).isEqualTo("TOKEN");
    Matcher authorization = AUTHORIZATION.matcher(got.headers().get("authorization"));
    assertThat(authorization.matches()).as(got.headers().get("authorization")).isTrue();
    List<String> signedNames = List.of(authorization.group(2).split(";"));
    assertThat(signedNames).containsExactly(
        "accept", "content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token");
    Map<String, String> signed = new LinkedHashMap<>();
    for (String name : signedNames) {
      assertThat(got.headers()).as("signed header %s was sent", name).containsKey(name);
      signed.put(name, got.headers().get(name));
    }
    assertThat(signed.get("host")).isEqualTo("127.0.0.1:" + upstream.port());
    String expected = SigV4Reference.signature("POST", got.path(), signed, got.body(), got.headers().get("x-amz-date"),
        "SECRETKEY", "us-west-2", "bedrock");
    assertThat(authorization.group(3)).isEqualTo(expected);
  }
}
