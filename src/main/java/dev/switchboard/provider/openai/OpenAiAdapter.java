package dev.switchboard.provider.openai;

import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfiles;

/**
 * The adapter for OpenAI itself. OpenAI's dialect is the one every compatible provider imitates,
 * so this is the profile-driven {@link OpenAiCompatAdapter} with the built-in {@code openai}
 * profile (which sends {@code max_completion_tokens} and the {@code developer} role as they are),
 * under its own config kind.
 */
public final class OpenAiAdapter extends OpenAiCompatAdapter {
  /** The config {@code kind:} of this adapter. */
  public static final String KIND = "openai";

  /** The built-in profile's slug. */
  public static final String PROFILE = "openai";

  /** An adapter over a given profile (for example the built-in one with an operator's base URL). */
  public OpenAiAdapter(OpenAiCompatProfile profile) {
    super(profile);
  }

  /** An adapter with the built-in {@code openai} profile. */
  public static OpenAiAdapter create() {
    return new OpenAiAdapter(builtinProfile());
  }

  /** The built-in {@code openai} profile. */
  public static OpenAiCompatProfile builtinProfile() {
    return OpenAiCompatProfiles.load()
        .find(PROFILE)
        .orElseThrow(() -> new IllegalStateException("built-in profile 'openai' is missing"));
  }

  @Override
  public String kind() {
    return KIND;
  }
}
