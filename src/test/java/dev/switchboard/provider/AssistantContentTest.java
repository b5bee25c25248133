package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssistantContentTest {

  @Test
  void collectsPartsCallsAndReasoningInOrder() {
    var content = AssistantContent.create("toolu_");
    content.text("Hi");
    content.text("");
    content.text(null);
    content.reasoning("think");
    content.reasoning("ing");
    content.part(new ContentPart.Unknown("thinking", RawJson.of("{}")));
    content.toolCall("c1", "f", "{\"a\":1.50}");
    content.toolCall(null, null, null);

    assertThat(content.answered()).isFalse();
    assertThat(content.calledTools()).isTrue();
    assertThat(content.message())
        .isEqualTo(new Message(
            Role.ASSISTANT,
            List.of(new ContentPart.Text("Hi"), new ContentPart.Unknown("thinking", RawJson.of("{}"))),
            null,
            List.of(new ToolCall("c1", "f", "{\"a\":1.50}"), new ToolCall("toolu_1", "", "{}")),
            null,
            "thinking"));
  }

  @Test
  void aCallOfTheAnswerToolIsTheAnswerText() {
    var content = AssistantContent.create("tooluse_");
    content.toolCall("t1", "json_answer_weather", "{\"temp\":21}");

    assertThat(content.answered()).isTrue();
    assertThat(content.calledTools()).isFalse();
    assertThat(content.message())
        .isEqualTo(
            new Message(Role.ASSISTANT, List.of(new ContentPart.Text("{\"temp\":21}")), null, List.of(), null, null));
  }
}
