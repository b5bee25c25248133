package dev.switchboard.provider;

import dev.switchboard.core.ResponseFormat;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The JSON-answer tool, through which adapters whose provider has no JSON mode (Anthropic
 * Messages, Bedrock Converse) answer a {@code response_format} request: the request offers a tool
 * whose input schema is the wanted answer's and makes the model call it, and the call's input is
 * the answer. Each adapter words the tool and forces the call in its own dialect; the name is
 * shared, so the rules for it live here.
 *
 * <p>The decoders know an answer by the tool's name alone, because they never see the request: a
 * client tool named {@code json_answer...} is read as answer text too (the adapters' {@code
 * package-info} says so). {@link AssistantContent} turns such a call into text.
 */
public final class AnswerTool {
  /** The tool of a {@code json_object} format, and the prefix of a {@code json_schema} format's tool. */
  public static final String NAME = "json_answer";

  /** Characters outside the tool-name pattern both providers share, {@code ^[a-zA-Z0-9_-]{1,64}$}. */
  private static final Pattern NAME_CHAR = Pattern.compile("[^a-zA-Z0-9_-]");

  private static final int NAME_MAX = 64;

  private AnswerTool() {}

  /** The answer tool a format asks for: its name, or null for text (or no format), which needs none. */
  public static @Nullable String nameFor(@Nullable ResponseFormat format) {
    return switch (format) {
      case ResponseFormat.JsonSchema schema -> name(schema.name());
      case ResponseFormat.JsonObject object -> NAME;
      case null, default -> null;
    };
  }

  /** The answer tool's name for a schema: {@code json_answer_<name>}, within the tool-name pattern. */
  public static String name(@Nullable String schemaName) {
    if (schemaName == null || schemaName.isBlank()) {
      return NAME;
    }
    String name = NAME + "_" + NAME_CHAR.matcher(schemaName).replaceAll("_");
    return name.length() <= NAME_MAX ? name : name.substring(0, NAME_MAX);
  }

  /** Whether a called tool is the answer tool or one of its per-schema variants. */
  public static boolean isAnswer(@Nullable String toolName) {
    return toolName != null && (toolName.equals(NAME) || toolName.startsWith(NAME + "_"));
  }
}
