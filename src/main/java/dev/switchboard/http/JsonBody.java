package dev.switchboard.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.config.LimitsConfig;
import dev.switchboard.core.GatewayException.InvalidRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import dev.switchboard.limits.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * A management API's JSON body: an object whose fields are read with types checked, each failure a
 * 400 that names the field. Numbers are read as exact decimals, so {@code 0.1} USD is 0.1.
 */
final class JsonBody {
  private final JsonNode root;

  private JsonBody(JsonNode root) {
    this.root = root;
  }

  /** A reader that keeps decimals exact and refuses anything after the object. */
  static ObjectReader reader(ObjectMapper json) {
    return json.reader()
        .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Parses a body that must be a JSON object with only {@code allowed} fields. An empty body is an
   * empty object.
   */
  static JsonBody parse(ObjectReader reader, byte[] body, Set<String> allowed) {
    JsonNode root;
    try {
      root = body.length == 0 ? reader.createObjectNode() : reader.readTree(body);
    } catch (JacksonException e) {
      throw new InvalidRequest(null, "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidRequest(null, "the request body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequest(null, "the request body must be a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new InvalidRequest(
            name, "unknown field '" + name + "'; expected one of " + allowed.stream().sorted().toList());
      }
    }
    return new JsonBody(root);
  }

  /** Whether the field is present, null included (PATCH: present and null means "clear"). */
  boolean has(String field) {
    return root.has(field);
  }

  @Nullable String string(String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(field, "must be a string", node);
    }
    return node.textValue();
  }

  String requireString(String field) {
    String value = string(field);
    if (value == null) {
      throw new InvalidRequest(field, field + " is required");
    }
    return value;
  }

  @Nullable Boolean bool(String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      throw invalid(field, "must be true or false", node);
    }
    return node.booleanValue();
  }

  /** A USD amount: a JSON number with at most nine decimals (nano-USD), as given. */
  @Nullable BigDecimal usd(String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw invalid(field, "must be a number of USD", node);
    }
    BigDecimal value = node.decimalValue();
    if (value.stripTrailingZeros().scale() > 9) {
      throw new InvalidRequest(field, field + " must not be finer than 0.000000001 USD, got " + node);
    }
    if (value.abs().compareTo(BigDecimal.valueOf(1_000_000_000)) >= 0) {
      throw new InvalidRequest(field, field + " must be below 1000000000 USD, got " + node);
    }
    return value;
  }

  /** An ISO-8601 instant with an offset, e.g. {@code 2027-12-31T23:59:59Z}. */
  @Nullable Instant instant(String field) {
    String text = string(field);
    if (text == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidRequest(field, field
          + " must be an ISO-8601 date-time with an offset, e.g. 2027-12-31T23:59:59Z, got '" + text + "'");
    }
  }

  /**
   * A rate limit object, {@code {"requests_per_minute": N, "tokens_per_minute": M}} (each optional,
   * each a whole number from 1 to {@link LimitsConfig#MAX_PER_MINUTE}); {@link RateLimit#NONE} when the field is null or absent.
   */
  RateLimit rateLimit(String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return RateLimit.NONE;
    }
    if (!node.isObject()) {
      throw invalid(field, "must be an object like {\"requests_per_minute\": 60, \"tokens_per_minute\": 100000}",
          node);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("requests_per_minute") && !name.equals("tokens_per_minute")) {
        throw new InvalidRequest(field, "unknown field '" + name + "' in " + field
            + "; expected requests_per_minute and/or tokens_per_minute");
      }
    }
    return new RateLimit(perMinute(node, field, "requests_per_minute"), perMinute(node, field, "tokens_per_minute"));
  }

  private static @Nullable Long perMinute(JsonNode parent, String field, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.longValue() < 1
        || node.longValue() > LimitsConfig.MAX_PER_MINUTE) {
      throw new InvalidRequest(field, field + "." + name + " must be a whole number from 1 to "
          + LimitsConfig.MAX_PER_MINUTE + " (null or left out for no limit), got " + node);
    }
    return node.longValue();
  }

  private static InvalidRequest invalid(String field, String problem, JsonNode actual) {
    String got =
        actual.isTextual() ? "a string"
            : actual.isNumber() ? "the number " + actual
            : actual.isBoolean() ? String.valueOf(actual.booleanValue())
            : actual.isArray() ? "an array"
            : actual.isObject() ? "an object" : "null";
    return new InvalidRequest(field, field + " " + problem + ", got " + got);
  }
}
