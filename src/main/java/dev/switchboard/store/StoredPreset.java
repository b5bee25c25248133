package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A preset created through the API, as stored.
 *
 * @param slug its name, as in {@code @preset/slug}
 * @param definition the JSON object the API accepted, without the slug; the store does not read it
 */
public record StoredPreset(String slug, String definition, Instant createdAt, Instant updatedAt) {
  public StoredPreset {
    requireNonNull(slug, "slug");
    requireNonNull(definition, "definition");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }
}
