package dev.switchboard.catalog;

/**
 * What a provider does with prompts sent to an endpoint.
 *
 * @param training the provider may train on prompts
 * @param retainsPrompts the provider stores prompts (for abuse monitoring or otherwise)
 * @param zeroDataRetention the provider keeps nothing (ZDR)
 */
public record DataPolicy(boolean training, boolean retainsPrompts, boolean zeroDataRetention) {
  /** What we assume when nothing is known: may retain, does not train. */
  public static final DataPolicy UNKNOWN = new DataPolicy(false, true, false);
}
