package dev.switchboard.mock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Amazon Bedrock's Converse dialect ({@code POST …/model/{modelId}/converse} and {@code
 * …/converse-stream}, Bedrock Runtime API 2023-09-30): the request to a {@link MockPrompt} ({@link
 * BedrockMockRequests}, which holds it to Bedrock's 400 rules), the answer through {@link
 * BedrockMockEncoder}, streams as AWS event-stream messages ({@code
 * application/vnd.amazon.eventstream}), and errors as an AWS REST-JSON service sends them: {@code
 * {"message": …}} with the type in the {@code x-amzn-ErrorType} header. Thread-safe and stateless.
 *
 * <p>The model id is one path segment, escaped as AWS's SDKs send it ({@code %3A} for {@code :});
 * the mock unescapes it and echoes nothing of it, since Converse names no model in its answer. The
 * response id is the {@code x-amzn-RequestId} header.
 *
 * <p>Auth, when the mock has a key: {@code Authorization: Bearer <key>} (a Bedrock API key), or a
 * SigV4 {@code Authorization: AWS4-HMAC-SHA256
 * Credential=<id>/<date>/<region>/bedrock/aws4_request, SignedHeaders=…, Signature=<64 hex>} with
 * an {@code x-amz-date} of the same day and {@code host} among the signed headers. Only the shape
 * of a SigV4 header is checked: the mock has no secret key to recompute the signature with (tests
 * that know the secret recompute it from {@link MockStats}). Failures are 403s with AWS's types
 * ({@code MissingAuthenticationTokenException}, {@code IncompleteSignatureException}, {@code
 * InvalidSignatureException}, {@code UnrecognizedClientException}).
 */
final class BedrockMockWire implements MockDialect {
  private static final Pattern PATH =
      Pattern.compile(".*/model/([^/]+)/(converse|converse-stream)");
  private static final Pattern SIGV4 =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=[^/,\\s]+/(\\d{8})/[a-z0-9-]+/([a-z0-9-]+)/aws4_request,"
              + " ?SignedHeaders=([a-z0-9;-]+), ?Signature=[0-9a-f]{64}");
  private static final String TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.bedrock/";

  private final BedrockMockEncoder encoder;

  BedrockMockWire(JsonFactory json) {
    this.encoder = new BedrockMockEncoder(json);
  }

  /** Whether {@code path} is a Converse or ConverseStream call. */
  static boolean isBedrockPath(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public @Nullable Rejection authenticate(MockCall call, String apiKey) {
    String authorization = call.header("authorization");
    if (authorization == null || authorization.isBlank()) {
      return reject("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    if (authorization.startsWith("Bearer ")) {
      byte[] given = authorization.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(apiKey.getBytes(StandardCharsets.UTF_8), given)
          ? null
          : reject(
              "UnrecognizedClientException",
              "The security token included in the request is invalid.");
    }
    Matcher sigv4 = SIGV4.matcher(authorization);
    if (!sigv4.matches()) {
      return reject(
          "IncompleteSignatureException",
          "Authorization header requires 'Credential' parameter. Authorization header requires"
              + " 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.");
    }
    if (!sigv4.group(2).equals("bedrock")) {
      return reject(
          "InvalidSignatureException",
          "Credential should be scoped to correct service: 'bedrock'.");
    }
    String date = call.header("x-amz-date");
    if (date == null || !date.startsWith(sigv4.group(1))) {
      return reject(
          "IncompleteSignatureException",
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
              + " HTTP: '"
              + sigv4.group(1)
              + "' != '"
              + (date == null ? "" : date)
              + "'");
    }
    if (!List.of(sigv4.group(3).split(";")).containsAll(List.of("host", "x-amz-date"))) {
      return reject("InvalidSignatureException", "'Host' and 'X-Amz-Date' must be signed.");
    }
    return null;
  }

  private Rejection reject(String type, String message) {
    return new Rejection(
        403, encoder.error(message), Map.of("x-amzn-ErrorType", type + TYPE_SUFFIX));
  }

  @Override
  public MockRequest parse(JsonNode root, MockCall call) {
    Matcher path = PATH.matcher(call.path());
    if (!path.matches()) {
      throw new IllegalArgumentException("Unknown operation in path " + call.path());
    }
    // '+' is a literal in a path; URLDecoder would read it as a space.
    String modelId = URLDecoder.decode(path.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
    return BedrockMockRequests.parse(root, modelId, path.group(2).equals("converse-stream"));
  }

  /** Bedrock's request ids are UUIDs; the mock's keep the answer's number in the last group. */
  @Override
  public String responseId(long n) {
    return "00000000-0000-4000-8000-%012d".formatted(n % 1_000_000_000_000L);
  }

  @Override
  public Map<String, String> responseHeaders(MockReply reply) {
    return Map.of("x-amzn-RequestId", reply.id());
  }

  @Override
  public byte[] completion(MockReply reply, MockAnswer answer, boolean withUsage) {
    return encoder.response(answer, withUsage);
  }

  @Override
  public List<BedrockMockMessage> events(
      MockReply reply, MockAnswer answer, int pieces, boolean usage) {
    return encoder.events(answer, pieces, usage);
  }

  @Override
  public String streamContentType() {
    return "application/vnd.amazon.eventstream";
  }

  /** An event stream has no end marker; the body just ends. */
  @Override
  public @Nullable Buffer endOfStream() {
    return null;
  }

  @Override
  public BedrockMockMessage streamError(@Nullable Integer status, String message) {
    return encoder.exception(status, message);
  }

  @Override
  public byte[] error(int status, String message) {
    return encoder.error(message);
  }

  /** The type, as {@code x-amzn-ErrorType} carries it, with AWS's namespace suffix. */
  @Override
  public Map<String, String> errorHeaders(int status) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amzn-ErrorType", errorType(status) + TYPE_SUFFIX);
    headers.put("x-amzn-RequestId", "00000000-0000-4000-8000-00000000e" + status);
    return headers;
  }

  /**
   * The exception Bedrock names for a status
   * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors).
   */
  static String errorType(int status) {
    return switch (status) {
      case 400 -> "ValidationException";
      case 401 -> "UnrecognizedClientException";
      case 403 -> "AccessDeniedException";
      case 404 -> "ResourceNotFoundException";
      case 408 -> "ModelTimeoutException";
      case 424 -> "ModelErrorException";
      case 429 -> "ThrottlingException";
      case 503 -> "ServiceUnavailableException";
      default -> status >= 500 ? "InternalServerException" : "ValidationException";
    };
  }
}
