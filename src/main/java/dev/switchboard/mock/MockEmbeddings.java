package dev.switchboard.mock;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.mock.MockFaults.Interruption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's {@code POST …/embeddings} for the mock: each input gets a deterministic unit vector
 * seeded by the SHA-256 of its text, so the same text always embeds the same and different texts
 * almost never alike. A shorter {@code dimensions} gives the first values of the full vector,
 * renormalised, as OpenAI's Matryoshka models do. {@code encoding_format: "base64"} answers the
 * little-endian float32 bytes in base64. Usage is characters / 4 per input (at least 1), the mock's
 * rule for chat prompts.
 *
 * <p>Faults come from {@code #mock:} directives in the last input or the {@code x-mock-fault}
 * header: {@code status=N}, {@code delay=MS}, {@code reset}, {@code malformed}, {@code no-usage};
 * the streaming ones mean nothing here. Runs on the event loop and never blocks.
 */
final class MockEmbeddings {
  /** Vector length without {@code dimensions}: text-embedding-3-small's. */
  static final int DEFAULT_DIMENSIONS = 1536;

  /** Larger requests are a client error, as on OpenAI (whose largest model has 3072). */
  static final int MAX_DIMENSIONS = 8192;

  private final Vertx vertx;
  private final JsonFactory json;
  private final OpenAiMockWire openai;

  MockEmbeddings(Vertx vertx, JsonFactory json, OpenAiMockWire openai) {
    this.vertx = vertx;
    this.json = json;
    this.openai = openai;
  }

  /**
   * Answers one request whose body is {@code root} (null when it was not JSON).
   *
   * @param firstByteDelay the mock's default wait before answering; a {@code delay} directive wins
   */
  void handle(HttpServerResponse res, @Nullable JsonNode root, @Nullable String faultHeader,
      Duration firstByteDelay) {
    if (root == null || !root.isObject()) {
      error(res, 400, "We could not parse the JSON body of your request.");
      return;
    }
    Request request;
    try {
      request = parse(root);
    } catch (IllegalArgumentException e) {
      error(res, 400, String.valueOf(e.getMessage()));
      return;
    }
    MockFaults faults = MockFaults.parse(request.inputs().getLast(), faultHeader);
    long delay = faults.firstByteDelayOr(firstByteDelay).toMillis();
    if (delay > 0) {
      vertx.setTimer(delay, id -> respond(res, request, faults));
    } else {
      respond(res, request, faults);
    }
  }

  /** A parsed request; token-array inputs are kept as their JSON text, which is what gets hashed. */
  record Request(String model, List<String> inputs, int dimensions, boolean base64) {}

  static Request parse(JsonNode root) {
    JsonNode model = root.path("model");
    if (!model.isTextual() || model.textValue().isEmpty()) {
      throw new IllegalArgumentException("you must provide a model parameter");
    }
    JsonNode input = root.path("input");
    List<String> inputs = new ArrayList<>();
    if (input.isTextual()) {
      inputs.add(input.textValue());
    } else if (input.isArray() && !input.isEmpty() && input.get(0).isNumber()) {
      inputs.add(input.toString()); // one token array
    } else if (input.isArray() && !input.isEmpty()) {
      for (JsonNode item : input) {
        inputs.add(item.isTextual() ? item.textValue() : item.toString());
      }
    } else {
      throw new IllegalArgumentException("'input' must be a non-empty string or array");
    }
    if (inputs.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("'$.input' is invalid: inputs must not be empty strings");
    }
    int dimensions = DEFAULT_DIMENSIONS;
    JsonNode dims = root.path("dimensions");
    if (!dims.isMissingNode() && !dims.isNull()) {
      if (!dims.isIntegralNumber() || dims.asInt() < 1 || dims.asInt() > MAX_DIMENSIONS) {
        throw new IllegalArgumentException("'dimensions' must be an integer from 1 to " + MAX_DIMENSIONS);
      }
      dimensions = dims.asInt();
    }
    String format = root.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      throw new IllegalArgumentException("'encoding_format' must be 'float' or 'base64'");
    }
    return new Request(model.textValue(), inputs, dimensions, format.equals("base64"));
  }

  private void respond(HttpServerResponse res, Request request, MockFaults faults) {
    if (res.closed()) {
      return;
    }
    if (faults.interruption() instanceof Interruption.Reset) {
      res.reset();
      return;
    }
    if (faults.status() != null) {
      if (faults.status() == 429) {
        res.putHeader("retry-after", "1");
      }
      error(res, faults.status(), "Mock upstream fault: HTTP " + faults.status() + " on request.");
      return;
    }
    byte[] body = body(request, !faults.noUsage());
    send(res, 200, faults.malformed() ? Arrays.copyOf(body, body.length / 2) : body);
  }

  byte[] body(Request request, boolean usage) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + request.inputs().size() * request.dimensions() * 12);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("object", "list");
      g.writeArrayFieldStart("data");
      for (int i = 0; i < request.inputs().size(); i++) {
        float[] vector = vector(request.inputs().get(i), request.dimensions());
        g.writeStartObject();
        g.writeStringField("object", "embedding");
        g.writeNumberField("index", i);
        g.writeFieldName("embedding");
        if (request.base64()) {
          ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
          bytes.asFloatBuffer().put(vector);
          g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes.array(), 0, bytes.capacity());
        } else {
          g.writeStartArray();
          for (float value : vector) {
            g.writeNumber(value);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("model", request.model());
      if (usage) {
        long tokens = 0;
        for (String input : request.inputs()) {
          tokens += Math.max(1, input.length() / 4);
        }
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", tokens);
        g.writeNumberField("total_tokens", tokens);
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The unit vector of {@code text}: the first {@code dimensions} values of its seeded sequence. */
  static float[] vector(String text, int dimensions) {
    SplittableRandom random = new SplittableRandom(seed(text));
    double[] values = new double[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      values[i] = random.nextDouble() * 2 - 1;
      norm += values[i] * values[i];
    }
    norm = Math.sqrt(norm);
    float[] unit = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      unit[i] = (float) (values[i] / norm);
    }
    return unit;
  }

  private static long seed(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(hash).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private void error(HttpServerResponse res, int status, String message) {
    send(res, status, openai.error(status, message));
  }

  private static void send(HttpServerResponse res, int status, byte[] body) {
    res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(body));
  }
}
