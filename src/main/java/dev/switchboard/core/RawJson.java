package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

/**
 * A JSON value kept verbatim, as text, so that fields the gateway does not interpret (tool
 * parameter schemas, unknown request fields, log-probabilities) pass through unchanged and
 * without a parse-and-reserialise round trip.
 *
 * @param json one complete, syntactically valid JSON value
 */
public record RawJson(String json) {
  public RawJson {
    requireNonNull(json, "json");
  }

  public static RawJson of(String json) {
    return new RawJson(json);
  }

  @Override
  public String toString() {
    return json;
  }
}
