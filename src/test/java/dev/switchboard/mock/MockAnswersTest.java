package dev.switchboard.mock;

import static dev.switchboard.mock.MockHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.mock.MockPrompt.OutputFormat;
import dev.switchboard.mock.MockPrompt.Role;
import dev.switchboard.mock.MockPrompt.ToolMode;
import dev.switchboard.mock.MockPrompt.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockAnswersTest {
  private static MockPrompt prompt(OutputFormat format, Turn... turns) {
    return new MockPrompt("m", List.of(turns), List.of(), new ToolMode.Any(), true, format);
  }

  @Test
  void echoesTheLastUserTextAndCountsUsage() {
    MockAnswer answer =
        MockAnswers.answer(
            prompt(
                new OutputFormat.Text(),
                new Turn(Role.SYSTEM, "Be brief.", 0),
                new Turn(Role.USER, "First", 0),
                new Turn(Role.ASSISTANT, "Ok", 0),
                new Turn(Role.USER, "  Second question  ", 0)),
            false);

    assertThat(answer.output()).isEqualTo(new MockAnswer.Text("Mock answer to: Second question"));
    assertThat(answer.reasoning()).isNull();
    // 9 + 5 + 2 + 19 characters / 4
    assertThat(answer.usage()).isEqualTo(new MockAnswer.Usage(8, 5, 0));
  }

  @Test
  void promptTokensAreAtLeastOne() {
    MockAnswer answer =
        MockAnswers.answer(prompt(new OutputFormat.Text(), new Turn(Role.USER, "", 0)), false);

    assertThat(answer.usage().promptTokens()).isEqualTo(1);
    assertThat(answer.output()).isEqualTo(new MockAnswer.Text("Mock answer to: "));
  }

  @Test
  void reasoningTokensAreCountedInCompletionTokens() {
    MockAnswer answer =
        MockAnswers.answer(prompt(new OutputFormat.Text(), new Turn(Role.USER, "Why", 0)), true);

    assertThat(answer.reasoning()).isEqualTo("Mock reasoning about: Why");
    assertThat(answer.usage()).isEqualTo(new MockAnswer.Usage(1, 4 + 4, 4));
  }

  @Test
  void samplesSchemasByType() {
    String schema =
        """
        {"type":"object","properties":{
          "s":{"type":"string"},"n":{"type":"number"},"i":{"type":"integer"},"b":{"type":"boolean"},
          "e":{"enum":["x","y"]},"c":{"const":42},"a":{"type":"array","items":{"type":"string"}},
          "o":{"type":"object"},"nullable":{"type":["null","string"]},
          "any":{"anyOf":[{"type":"integer"},{"type":"string"}]},"ref":{"$ref":"#/defs/x"}}}\
        """;

    assertThat(MockAnswers.sample(json(schema), 0))
        .isEqualTo(
            json(
                """
                {"s":"mock","n":1,"i":1,"b":true,"e":"x","c":42,"a":[],"o":{},"nullable":"mock",
                 "any":1,"ref":null}\
                """));
  }

  @Test
  void jsonFormatsWinOverTheToolResultSummary() {
    Turn tool = new Turn(Role.TOOL, "42", 0);

    assertThat(MockAnswers.answer(prompt(new OutputFormat.Text(), tool), false).output())
        .isEqualTo(new MockAnswer.Text("Tool result received: 42"));
    assertThat(MockAnswers.answer(prompt(new OutputFormat.JsonObject(), tool), false).output())
        .isEqualTo(new MockAnswer.Text("{\"answer\":\"mock\"}"));
  }
}
