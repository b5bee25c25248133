package dev.switchboard.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.RawJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What the reader refuses, with the field it names, and the mappings fixtures do not show. */
class AnthropicRequestReaderTest {
  private final AnthropicChatDialect dialect = new AnthropicChatDialect(new ObjectMapper());

  private ChatRequest read(String json) {
    return dialect.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no max_tokens           | {"model":"m","messages":[{"role":"user","content":"hi"}]}                                  | max_tokens
      no model                | {"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}                               | model
      no messages             | {"model":"m","max_tokens":5,"messages":[]}                                                 | messages
      system role             | {"model":"m","max_tokens":5,"messages":[{"role":"system","content":"hi"}]}                 | messages[0].role
      content a number        | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":5}]}                      | messages[0].content
      server tool             | {"model":"m","max_tokens":5,"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"hi"}]} | tools[0].type
      tool without schema     | {"model":"m","max_tokens":5,"tools":[{"name":"f"}],"messages":[{"role":"user","content":"hi"}]} | tools[0].input_schema
      tool_choice type        | {"model":"m","max_tokens":5,"tool_choice":{"type":"required"},"messages":[{"role":"user","content":"hi"}]} | tool_choice.type
      named tool without name | {"model":"m","max_tokens":5,"tool_choice":{"type":"tool"},"messages":[{"role":"user","content":"hi"}]} | tool_choice.name
      temperature over 1      | {"model":"m","max_tokens":5,"temperature":1.5,"messages":[{"role":"user","content":"hi"}]} | temperature
      thinking without budget | {"model":"m","max_tokens":5,"thinking":{"type":"enabled"},"messages":[{"role":"user","content":"hi"}]} | thinking.budget_tokens
      image file source       | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f1"}}]}]} | messages[0].content[0].source.type
      tool_use input a string | {"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":"x"}]}]} | messages[0].content[0].input
      tool_result without id  | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]} | messages[0].content[0].tool_use_id
      system image block      | {"model":"m","max_tokens":5,"system":[{"type":"image"}],"messages":[{"role":"user","content":"hi"}]} | system[0].type
      """)
  void refusesWithA400NamingTheField(String name, String body, String param) {
    assertThatThrownBy(() -> read(body))
        .isInstanceOfSatisfying(GatewayException.InvalidRequest.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.param()).isEqualTo(param);
        });
  }

  @Test
  void malformedJsonIsA400() {
    assertThatThrownBy(() -> read("{\"model\":"))
        .isInstanceOfSatisfying(GatewayException.InvalidRequest.class,
            e -> assertThat(e.getMessage()).startsWith("the request body is not valid JSON"));
  }

  @Test
  void countTokensNeedsNoMaxTokens() {
    ChatRequest request = dialect.readForCounting(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8));
    assertThat(request.maxTokens()).isNull();
  }

  @Test
  void adaptiveThinkingLetsTheModelDecideAndDisabledAsksForNothing() {
    String body = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],";
    assertThat(read(body + "\"thinking\":{\"type\":\"adaptive\"}}").extra())
        .containsEntry("reasoning", RawJson.of("{\"enabled\":true}"));
    assertThat(read(body + "\"thinking\":{\"type\":\"disabled\"}}").extra()).doesNotContainKey("reasoning");
  }

  @Test
  void unmappedTopLevelFieldsAreNotPassedOn() {
    ChatRequest request = read("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"service_tier\":\"auto\",\"container\":\"c1\",\"context_management\":{},\"mcp_servers\":[]}");
    assertThat(request.extra()).isEmpty();
  }

  @Test
  void anErrorToolResultWithoutContentSaysError() {
    ChatRequest request = read("{\"model\":\"m\",\"max_tokens\":5,\"messages\":["
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"is_error\":true}]}]}");
    assertThat(request.messages().getLast().textContent()).isEqualTo("Error");
    assertThat(request.messages().getLast().toolCallId()).isEqualTo("t1");
  }
}
