package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The streamed two-turn tool loop every provider must carry through the official SDK: the first
 * turn streams two parallel calls ({@link ToolsTest#withTools}), which assemble to the mock's
 * {@code get_weather} and {@code get_time} with their arguments; the second turn sends them back
 * with their results, streamed too, and the mock confirms it read the results.
 *
 * @param calls the calls the first turn assembled, in index order
 */
record StreamedToolLoop(List<ChatCompletionMessageFunctionToolCall> calls) {

  /** Runs both turns, asserting each; {@code request} gives a fresh builder of the first turn. */
  static StreamedToolLoop run(OpenAIClient client, Supplier<ChatCompletionCreateParams.Builder> request) {
    Map<Long, String> ids = new TreeMap<>();
    Map<Long, String> names = new TreeMap<>();
    Map<Long, StringBuilder> arguments = new TreeMap<>();
    StringBuilder finish = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(request.get().build())) {
      stream.stream().flatMap(chunk -> chunk.choices().stream()).forEach(choice -> {
        choice.finishReason().ifPresent(reason -> finish.append(reason.asString()));
        for (var call : choice.delta().toolCalls().orElse(List.of())) {
          call.id().ifPresent(id -> ids.put(call.index(), id));
          call.function().flatMap(f -> f.name()).ifPresent(name -> names.put(call.index(), name));
          call.function().flatMap(f -> f.arguments()).ifPresent(
              args -> arguments.computeIfAbsent(call.index(), i -> new StringBuilder()).append(args));
        }
      });
    }

    assertThat(finish).hasToString("tool_calls");
    assertThat(names.values()).containsExactly("get_weather", "get_time");
    assertThat(ids.values()).hasSize(2).doesNotHaveDuplicates();
    List<ChatCompletionMessageFunctionToolCall> calls = new ArrayList<>();
    for (Long index : names.keySet()) {
      calls.add(ChatCompletionMessageFunctionToolCall.builder().id(ids.get(index))
          .function(ChatCompletionMessageFunctionToolCall.Function.builder()
              .name(names.get(index)).arguments(arguments.get(index).toString()).build())
          .build());
    }
    assertThat(json(calls.get(0).function().arguments())).isEqualTo(json(ToolsTest.WEATHER_ARGS));
    assertThat(json(calls.get(1).function().arguments())).isEqualTo(json(ToolsTest.TIME_ARGS));

    ChatCompletionMessage.Builder assistant =
        ChatCompletionMessage.builder().content(Optional.empty()).refusal(Optional.empty());
    calls.forEach(assistant::addToolCall);
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(request.get()
        .addMessage(assistant.build())
        .addMessage(ToolsTest.toolResult(calls.get(0).id(), "18 C"))
        .addMessage(ToolsTest.toolResult(calls.get(1).id(), "14:05"))
        .build())) {
      stream.stream().flatMap(chunk -> chunk.choices().stream())
          .forEach(choice -> choice.delta().content().ifPresent(text::append));
    }
    assertThat(text).hasToString("Tool result received: 14:05");
    return new StreamedToolLoop(List.copyOf(calls));
  }
}
