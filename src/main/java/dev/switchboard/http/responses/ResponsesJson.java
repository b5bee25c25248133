package dev.switchboard.http.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import dev.switchboard.core.Usage;
import dev.switchboard.http.openai.Stamp;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes the Responses {@code response} object and its output items, for complete answers and for
 * the stream events that carry them.
 *
 * <p>Every field the {@code Response} schema lists as required is written, as null when it has no
 * value: the official SDKs reject a response that leaves one out. The request's settings are echoed
 * from the canonical request, as OpenAI echoes them.
 */
final class ResponsesJson {
  private ResponsesJson() {}

  /**
   * Everything one {@code response} object says.
   *
   * @param request the request being answered; null writes OpenAI's defaults for its settings
   * @param completedAt Unix seconds, written only when the answer completed
   * @param usage null until the answer is settled (then {@code cost} is set too)
   */
  record Snapshot(Stamp stamp, @Nullable ChatRequest request, ResponseState state, long completedAt,
      List<OutputItem> output, @Nullable Usage usage, @Nullable BigDecimal cost) {
    Snapshot {
      output = List.copyOf(output);
    }
  }

  /** Writes the {@code response} object. */
  static void writeResponse(JsonGenerator g, Snapshot snapshot) throws IOException {
    Stamp stamp = snapshot.stamp();
    ChatRequest request = snapshot.request();
    ResponseState state = snapshot.state();
    g.writeStartObject();
    g.writeStringField("id", OutputItem.responseId(stamp));
    g.writeStringField("object", "response");
    g.writeNumberField("created_at", stamp.created());
    g.writeStringField("status", state.status());
    g.writeBooleanField("background", false);
    if (state.status().equals("completed")) {
      g.writeNumberField("completed_at", snapshot.completedAt());
    } else {
      g.writeNullField("completed_at");
    }
    if (state.errorCode() != null) {
      g.writeObjectFieldStart("error");
      g.writeStringField("code", state.errorCode());
      g.writeStringField("message", state.errorMessage() == null ? "" : state.errorMessage());
      g.writeEndObject();
    } else {
      g.writeNullField("error");
    }
    if (state.incompleteReason() != null) {
      g.writeObjectFieldStart("incomplete_details");
      g.writeStringField("reason", state.incompleteReason());
      g.writeEndObject();
    } else {
      g.writeNullField("incomplete_details");
    }
    // Once read, instructions are a system message like any other; echoing a guess would mislead.
    g.writeNullField("instructions");
    writeNullableNumber(g, "max_output_tokens", request == null ? null : request.maxTokens());
    g.writeStringField("model", stamp.model());
    g.writeArrayFieldStart("output");
    for (OutputItem item : snapshot.output()) {
      writeItem(g, item, state.itemStatus());
    }
    g.writeEndArray();
    g.writeBooleanField("parallel_tool_calls",
        request == null || request.parallelToolCalls() == null || request.parallelToolCalls());
    g.writeNullField("previous_response_id");
    RawJson reasoning = request == null ? null : request.extra().get("reasoning");
    if (reasoning != null) {
      g.writeFieldName("reasoning");
      g.writeRawValue(reasoning.json());
    } else {
      g.writeNullField("reasoning");
    }
    g.writeBooleanField("store", false);
    writeNullableNumber(g, "temperature", request == null ? null : request.temperature());
    g.writeObjectFieldStart("text");
    writeFormat(g, request == null ? null : request.responseFormat());
    g.writeEndObject();
    writeToolChoice(g, request == null ? null : request.toolChoice());
    g.writeArrayFieldStart("tools");
    for (ToolSpec tool : request == null ? List.<ToolSpec>of() : request.tools()) {
      writeTool(g, tool);
    }
    g.writeEndArray();
    writeNullableNumber(g, "top_p", request == null ? null : request.topP());
    g.writeStringField("truncation", "disabled");
    if (snapshot.usage() != null && snapshot.cost() != null) {
      writeUsage(g, snapshot.usage(), snapshot.cost());
    } else {
      g.writeNullField("usage");
    }
    g.writeObjectFieldStart("metadata");
    g.writeEndObject();
    g.writeEndObject();
  }

  /** One output item with {@code status} (reasoning items have none, as OpenAI sends them). */
  static void writeItem(JsonGenerator g, OutputItem item, String status) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", item.id());
    switch (item) {
      case OutputItem.Reasoning(String id, String text) -> {
        g.writeStringField("type", "reasoning");
        g.writeArrayFieldStart("summary");
        if (text != null) {
          writeSummaryText(g, text);
        }
        g.writeEndArray();
      }
      case OutputItem.AssistantMessage(String id, String text) -> {
        g.writeStringField("type", "message");
        g.writeStringField("status", status);
        g.writeStringField("role", "assistant");
        g.writeArrayFieldStart("content");
        if (text != null) {
          writeOutputText(g, text);
        }
        g.writeEndArray();
      }
      case OutputItem.FunctionCall(String id, String callId, String name, String arguments) -> {
        g.writeStringField("type", "function_call");
        g.writeStringField("status", status);
        g.writeStringField("call_id", callId);
        g.writeStringField("name", name);
        g.writeStringField("arguments", arguments);
      }
    }
    g.writeEndObject();
  }

  static void writeOutputText(JsonGenerator g, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "output_text");
    g.writeStringField("text", text);
    g.writeArrayFieldStart("annotations");
    g.writeEndArray();
    g.writeArrayFieldStart("logprobs");
    g.writeEndArray();
    g.writeEndObject();
  }

  static void writeSummaryText(JsonGenerator g, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "summary_text");
    g.writeStringField("text", text);
    g.writeEndObject();
  }

  /**
   * OpenAI's usage names; the detail counts are required by the schema, so an unreported count is
   * written as 0. OpenRouter's {@code cost} (USD) is added.
   */
  static void writeUsage(JsonGenerator g, Usage usage, BigDecimal cost) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("input_tokens", usage.promptTokens());
    g.writeObjectFieldStart("input_tokens_details");
    g.writeNumberField("cached_tokens", usage.cachedTokens() == null ? 0 : usage.cachedTokens());
    g.writeNumberField("cache_write_tokens", usage.cacheWriteTokens() == null ? 0 : usage.cacheWriteTokens());
    g.writeEndObject();
    g.writeNumberField("output_tokens", usage.completionTokens());
    g.writeObjectFieldStart("output_tokens_details");
    g.writeNumberField("reasoning_tokens", usage.reasoningTokens() == null ? 0 : usage.reasoningTokens());
    g.writeEndObject();
    g.writeNumberField("total_tokens", usage.totalTokens());
    g.writeFieldName("cost");
    g.writeNumber(cost.stripTrailingZeros().toPlainString());
    g.writeEndObject();
  }

  private static void writeFormat(JsonGenerator g, @Nullable ResponseFormat format) throws IOException {
    g.writeObjectFieldStart("format");
    switch (format) {
      case ResponseFormat.JsonObject() -> g.writeStringField("type", "json_object");
      case ResponseFormat.JsonSchema(String name, String description, RawJson schema, Boolean strict) -> {
        g.writeStringField("type", "json_schema");
        g.writeStringField("name", name);
        if (description != null) {
          g.writeStringField("description", description);
        }
        g.writeFieldName("schema");
        g.writeRawValue(schema == null ? "{}" : schema.json());
        if (strict != null) {
          g.writeBooleanField("strict", strict);
        } else {
          g.writeNullField("strict");
        }
      }
      case ResponseFormat.Text() -> g.writeStringField("type", "text");
      case null -> g.writeStringField("type", "text");
    }
    g.writeEndObject();
  }

  private static void writeToolChoice(JsonGenerator g, @Nullable ToolChoice choice) throws IOException {
    switch (choice) {
      case ToolChoice.None() -> g.writeStringField("tool_choice", "none");
      case ToolChoice.Required() -> g.writeStringField("tool_choice", "required");
      case ToolChoice.Function(String name) -> {
        g.writeObjectFieldStart("tool_choice");
        g.writeStringField("type", "function");
        g.writeStringField("name", name);
        g.writeEndObject();
      }
      case ToolChoice.Auto() -> g.writeStringField("tool_choice", "auto");
      case null -> g.writeStringField("tool_choice", "auto");
    }
  }

  private static void writeTool(JsonGenerator g, ToolSpec tool) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "function");
    g.writeStringField("name", tool.name());
    if (tool.description() != null) {
      g.writeStringField("description", tool.description());
    }
    if (tool.parameters() != null) {
      g.writeFieldName("parameters");
      g.writeRawValue(tool.parameters().json());
    } else {
      g.writeNullField("parameters");
    }
    if (tool.strict() != null) {
      g.writeBooleanField("strict", tool.strict());
    } else {
      g.writeNullField("strict");
    }
    g.writeEndObject();
  }

  private static void writeNullableNumber(JsonGenerator g, String field, @Nullable Number value) throws IOException {
    switch (value) {
      case null -> g.writeNullField(field);
      case Integer i -> g.writeNumberField(field, i);
      case Double d -> g.writeNumberField(field, d);
      default -> g.writeNumberField(field, value.doubleValue());
    }
  }
}
