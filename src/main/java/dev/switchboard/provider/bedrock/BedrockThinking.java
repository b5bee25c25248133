package dev.switchboard.provider.bedrock;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolChoice;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Claude's extended thinking for one Converse request, sent as {@code
 * additionalModelRequestFields.thinking} ({@code {"type": "enabled", "budget_tokens": n}}) with
 * {@code inferenceConfig.maxTokens} raised to hold it
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html).
 *
 * @param budgetTokens the thinking budget, at least {@link #MIN_BUDGET}
 * @param maxTokens the request's {@code maxTokens}, above the budget (Claude counts thinking in it)
 */
record BedrockThinking(int budgetTokens, int maxTokens) {
  /** {@code maxTokens} when thinking is on and the client set none: room for Claude 3.7+ to think and answer. */
  static final int DEFAULT_MAX_TOKENS = 32_000;

  /** Claude's smallest thinking budget. */
  static final int MIN_BUDGET = 1_024;

  /** OpenRouter's cap on a budget derived from an effort. */
  private static final int MAX_BUDGET = 128_000;

  /**
   * The thinking to send: what the client {@linkplain #requested asked for}, unless Claude would
   * refuse it. Claude refuses thinking with a forced tool ("Thinking may not be enabled when
   * tool_choice forces tool use"), and once it is on, it requires the assistant turn that a
   * tool-result turn answers to open with its signed reasoning ("When `thinking` is enabled, a
   * final `assistant` message must start with a thinking block"). A client that forces a tool, or
   * that kept no signed {@code reasoningContent} part (no OpenAI client can: the chat completions
   * shape has no field for it), would get a 400 for asking for reasoning; thinking is left off
   * instead, as the Anthropic adapter does.
   */
  static @Nullable BedrockThinking forRequest(ChatRequest request, String modelId) {
    BedrockThinking thinking = requested(request, modelId);
    if (thinking == null || clientForcesTool(request) || toolLoopWithoutReasoning(request.messages())) {
      return null;
    }
    return thinking;
  }

  /** Whether the client's own tool choice forces a tool (a {@code response_format}'s answer tool replaces it). */
  private static boolean clientForcesTool(ChatRequest request) {
    boolean answerTool = request.responseFormat() instanceof ResponseFormat.JsonSchema
        || request.responseFormat() instanceof ResponseFormat.JsonObject;
    return !answerTool
        && (request.toolChoice() instanceof ToolChoice.Required || request.toolChoice() instanceof ToolChoice.Function);
  }

  /**
   * Whether the conversation ends in tool results answering an assistant turn that has no signed
   * reasoning to open with: no {@code reasoningContent} part (as the response decoder keeps it)
   * with a {@code signature}, or with redacted content.
   */
  static boolean toolLoopWithoutReasoning(List<Message> messages) {
    int assistant = -1;
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).role() == Role.ASSISTANT) {
        assistant = i;
      }
    }
    if (assistant < 0 || messages.get(assistant).toolCalls().isEmpty()
        || messages.subList(assistant + 1, messages.size()).stream().noneMatch(m -> m.role() == Role.TOOL)) {
      return false;
    }
    for (ContentPart part : messages.get(assistant).content()) {
      if (signedBlock(part) != null) {
        return false;
      }
    }
    return true;
  }

  /**
   * The Converse {@code reasoningContent} block to send back for {@code part}, or null when it is
   * none or carries no signature (Claude rejects unsigned reasoning). Two forms arrive: the block
   * this adapter decoded, as it was, and Anthropic's native {@code thinking} / {@code
   * redacted_thinking} block, which is what an OpenAI client's echoed {@code reasoning_details}
   * become at ingress (the same signed Claude reasoning, in Anthropic's spelling).
   */
  static @Nullable JsonNode signedBlock(ContentPart part) {
    if (!(part instanceof ContentPart.Unknown(String type, RawJson raw))) {
      return null;
    }
    JsonNode block = object(raw);
    if (block == null) {
      return null;
    }
    return switch (type) {
      case BedrockResponseDecoder.REASONING_BLOCK -> {
        JsonNode reasoning = block.path(BedrockResponseDecoder.REASONING_BLOCK);
        boolean signed = reasoning.path("reasoningText").path("signature").isTextual()
            || reasoning.path("redactedContent").isTextual();
        yield signed ? block : null;
      }
      case "thinking" -> block.path("signature").isTextual() && block.path("thinking").isTextual()
          ? reasoningText(block.get("thinking").asText(), block.get("signature").asText()) : null;
      case "redacted_thinking" -> block.path("data").isTextual() ? redacted(block.get("data").asText()) : null;
      default -> null;
    };
  }

  /** {@code {"reasoningContent": {"reasoningText": {"text", "signature"}}}}. */
  static JsonNode reasoningText(String text, String signature) {
    var block = BedrockAdapter.JSON.createObjectNode();
    block.putObject(BedrockResponseDecoder.REASONING_BLOCK).putObject("reasoningText")
        .put("text", text).put("signature", signature);
    return block;
  }

  /** {@code {"reasoningContent": {"redactedContent": data}}} (base64 in JSON, as Converse returns it). */
  static JsonNode redacted(String data) {
    var block = BedrockAdapter.JSON.createObjectNode();
    block.putObject(BedrockResponseDecoder.REASONING_BLOCK).put("redactedContent", data);
    return block;
  }

  /**
   * Claude's extended thinking from OpenRouter's {@code reasoning} object (or the {@code
   * reasoning_effort} shorthand), for Claude models only: {@code additionalModelRequestFields} go
   * to the model as they are, and other model families name their reasoning settings differently
   * or reject unknown fields. A Claude model is recognised by {@code anthropic.} in its id (also in
   * cross-region profiles such as {@code us.anthropic.…} and in foundation-model ARNs); an
   * application inference profile's ARN does not say, so thinking cannot be asked of it here.
   *
   * <p>The budget is {@code reasoning.max_tokens}, or OpenRouter's effort mapping: {@code
   * max(min(max_tokens × ratio, 128000), 1024)} with ratio 0.95 ({@code max}, {@code xhigh}),
   * 0.8 ({@code high}), 0.5 ({@code medium}, the default), 0.2 ({@code low}), 0.1 ({@code
   * minimal}). Claude counts thinking within {@code maxTokens}, which must exceed the budget: when
   * the client set none, {@link #DEFAULT_MAX_TOKENS} (or more, for a larger explicit
   * budget); when the client's is too small, a 400 that says so.
   *
   * @return null when no reasoning was asked for, it was switched off ({@code enabled: false},
   *     {@code effort: none}), only {@code exclude} was given, or the model is not Claude
   */
  static @Nullable BedrockThinking requested(ChatRequest request, String modelId) {
    JsonNode given = object(request.extra().get("reasoning"));
    JsonNode reasoning = given != null && given.isObject() ? given : null;
    JsonNode shorthand = object(request.extra().get("reasoning_effort"));
    String effort = reasoning != null && reasoning.path("effort").isTextual()
        ? reasoning.get("effort").asText()
        : shorthand != null && shorthand.isTextual() ? shorthand.asText() : null;
    JsonNode budgetField = reasoning == null ? null : reasoning.get("max_tokens");
    boolean enabled = reasoning != null && reasoning.path("enabled").asBoolean(false);
    boolean requested = effort != null || (budgetField != null && budgetField.isNumber()) || enabled
        || (reasoning != null && reasoning.isEmpty());
    boolean off = "none".equals(effort) || (reasoning != null && reasoning.path("enabled").isBoolean() && !enabled);
    if (!requested || off || !modelId.contains("anthropic.")) {
      return null;
    }
    int maxTokens = request.maxTokens() != null ? request.maxTokens() : DEFAULT_MAX_TOKENS;
    int budget;
    if (budgetField != null && budgetField.isNumber()) {
      budget = Math.max(MIN_BUDGET, budgetField.asInt());
    } else {
      double ratio = switch (effort == null ? "medium" : effort) {
        case "max", "xhigh" -> 0.95;
        case "high" -> 0.8;
        case "low" -> 0.2;
        case "minimal" -> 0.1;
        default -> 0.5;
      };
      budget = (int) Math.max(Math.min(Math.floor(maxTokens * ratio), MAX_BUDGET), MIN_BUDGET);
    }
    if (budget >= maxTokens) {
      if (request.maxTokens() != null) {
        throw new GatewayException.InvalidRequest("max_tokens", "max_tokens (" + maxTokens
            + ") must be greater than the reasoning budget (" + budget + " tokens): Claude counts thinking within it");
      }
      maxTokens = budget + DEFAULT_MAX_TOKENS;
    }
    return new BedrockThinking(budget, maxTokens);
  }

  private static @Nullable JsonNode object(@Nullable RawJson raw) {
    if (raw == null) {
      return null;
    }
    try {
      return BedrockAdapter.JSON.readTree(raw.json());
    } catch (JacksonException e) {
      return null; // the ingress validated the JSON; nothing to do with a value it let through
    }
  }
}
