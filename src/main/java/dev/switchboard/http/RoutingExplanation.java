package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.routing.Attempt;
import dev.switchboard.routing.AttemptOutcome;
import dev.switchboard.routing.RoutePlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The routing explanation a client asks for with {@code X-Switchboard-Metadata: enabled} (the
 * gateway's counterpart of OpenRouter's {@code X-OpenRouter-Metadata}): the planned endpoints in
 * order, the endpoints filters removed and why, each attempt with its outcome and latency, and why
 * the serving endpoint served.
 *
 * <p>Where it goes: a non-streamed answer (or error) gets a top-level {@code switchboard_metadata}
 * field, which the OpenAI and Anthropic SDKs ignore as an unknown field. A stream gets an SSE
 * comment line {@code : switchboard_metadata {…}} just before its closing frames: every SSE parser
 * skips comments, so no strict SDK can choke on it, in any dialect, while curl and custom clients
 * can read it.
 */
final class RoutingExplanation {
  static final String HEADER = "x-switchboard-metadata";
  static final String FIELD = "switchboard_metadata";
  private static final JsonFactory JSON = new JsonFactory();

  private RoutingExplanation() {}

  static boolean wanted(Exchange exchange) {
    String value = exchange.header(HEADER);
    return value != null && value.trim().equalsIgnoreCase("enabled");
  }

  /** The explanation as one JSON object. */
  static byte[] json(String requested, RoutePlan plan, List<AttemptOutcome> outcomes, @Nullable Attempt served) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("requested", requested);
      g.writeStringField("strategy", plan.strategy());
      g.writeArrayFieldStart("candidates");
      for (Attempt attempt : plan.attempts()) {
        g.writeStartObject();
        endpoint(g, attempt);
        g.writeBooleanField("selected", attempt.equals(served));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("excluded");
      for (RoutePlan.Excluded excluded : plan.excluded()) {
        g.writeStartObject();
        g.writeStringField("model", excluded.model());
        g.writeStringField("provider", excluded.provider());
        g.writeStringField("filter", excluded.filter());
        g.writeStringField("reason", excluded.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("attempts");
      for (AttemptOutcome outcome : outcomes) {
        g.writeStartObject();
        endpoint(g, outcome.attempt());
        UpstreamError error = outcome.error();
        g.writeStringField("outcome", outcome.label());
        if (outcome.role() == AttemptOutcome.Role.BROKEN) {
          // It served the start of the stream, then broke; the next attempt continued it.
          g.writeBooleanField("broke_mid_stream", true);
        }
        if (error != null && error.status() != 0) {
          g.writeNumberField("status", error.status());
        }
        g.writeNumberField("latency_ms", outcome.latencyMillis());
        if (error != null) {
          g.writeStringField("error", error.message());
        }
        Usage usage = outcome.usage();
        if (usage != null) {
          g.writeObjectFieldStart("usage");
          g.writeNumberField("prompt_tokens", usage.promptTokens());
          g.writeNumberField("completion_tokens", usage.completionTokens());
          g.writeBooleanField("estimated", usage.estimated());
          g.writeEndObject();
        }
        if (outcome.cost() != null) {
          g.writeFieldName("cost");
          g.writeNumber(outcome.cost());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      if (served != null) {
        g.writeObjectFieldStart("selected");
        endpoint(g, served);
        g.writeStringField("reason", reason(plan, outcomes, served));
        g.writeEndObject();
      } else {
        g.writeNullField("selected");
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Why {@code served} served: first in the plan's order, or reached after the attempts before it. */
  private static String reason(RoutePlan plan, List<AttemptOutcome> outcomes, Attempt served) {
    int position = plan.attempts().indexOf(served);
    if (!outcomes.isEmpty() && outcomes.getLast().role() == AttemptOutcome.Role.RESUMED) {
      String broke = outcomes.stream().filter(o -> o.role() == AttemptOutcome.Role.BROKEN)
          .reduce((a, b) -> b).map(o -> o.attempt().provider().slug()).orElse("the last endpoint");
      return "resumed: continued the stream after " + broke + " broke mid-stream (position " + (position + 1)
          + " of the plan, " + plan.strategy() + ")";
    }
    int failed = (int) outcomes.stream().filter(o -> !o.succeeded() && o.role() != AttemptOutcome.Role.HEDGE_LOST)
        .count();
    long lost = outcomes.stream().filter(o -> o.role() == AttemptOutcome.Role.HEDGE_LOST).count();
    if (lost > 0) {
      return "hedged: answered first, " + lost + " slower attempt" + (lost == 1 ? "" : "s") + " cancelled (position "
          + (position + 1) + " of the plan, " + plan.strategy() + ")";
    }
    if (position == 0) {
      return "first in the plan (" + plan.strategy() + ")";
    }
    int skipped = position - failed;
    return "fallback: position " + (position + 1) + " of the plan (" + plan.strategy() + ") after " + failed
        + " failed attempt" + (failed == 1 ? "" : "s")
        + (skipped > 0 ? " and " + skipped + " endpoint" + (skipped == 1 ? "" : "s")
            + " skipped as unavailable" : "");
  }

  private static void endpoint(JsonGenerator g, Attempt attempt) throws IOException {
    g.writeStringField("model", attempt.model().id());
    g.writeStringField("provider", attempt.provider().slug());
  }

  /**
   * {@code body} (a JSON object) with the explanation as one more top-level field. The body is the
   * dialect's finished output, so the field goes in before its closing brace rather than through a
   * second serialization of the whole answer.
   */
  static byte[] withField(byte[] body, byte[] explanation) {
    int end = body.length - 1;
    while (end >= 0 && Character.isWhitespace(body[end])) {
      end--;
    }
    if (end < 1 || body[end] != '}') {
      return body; // not an object: leave the answer alone rather than break it
    }
    int before = end - 1;
    while (before >= 0 && Character.isWhitespace(body[before])) {
      before--;
    }
    boolean empty = before >= 0 && body[before] == '{';
    byte[] field = ((empty ? "" : ",") + "\"" + FIELD + "\":").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + field.length + explanation.length + 1);
    out.write(body, 0, end);
    out.writeBytes(field);
    out.writeBytes(explanation);
    out.write(body, end, body.length - end);
    return out.toByteArray();
  }

  /** The explanation as an SSE comment line (a JSON object has no raw newlines to break it). */
  static byte[] comment(byte[] explanation) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(explanation.length + 32);
    out.writeBytes((": " + FIELD + " ").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(explanation);
    out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
