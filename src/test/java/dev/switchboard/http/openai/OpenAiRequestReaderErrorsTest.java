package dev.switchboard.http.openai;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.GatewayException.InvalidRequest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every invalid request is a 400 whose {@code param} and message name the exact field path. */
class OpenAiRequestReaderErrorsTest {
  private final OpenAiRequestReader reader = new OpenAiRequestReader(OpenAiRequestReaderTest.JSON);

  /** A body (single-quoted JSON), the param it must name, and what the message must say. */
  record Case(String name, String body, String param, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String USER = "{'role':'user','content':'x'}";

  private static Case base(String name, String fields, String param, String message) {
    return new Case(name, "{'model':'m/x','messages':[" + USER + "]," + fields + "}", param, message);
  }

  private static Case messages(String name, String messages, String param, String message) {
    return new Case(name, "{'model':'m/x','messages':[" + messages + "]}", param, message);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("no model", "{'messages':[" + USER + "]}", "model", "model is required"),
        new Case("model not a string", "{'model':5,'messages':[" + USER + "]}", "model",
            "model must be a string, got the number 5"),
        new Case("models not an array", "{'models':'a/b','messages':[" + USER + "]}", "models",
            "models must be an array of strings, got a string"),
        new Case("models element", "{'models':['a/b',7],'messages':[" + USER + "]}", "models[1]",
            "models[1] must be a string, got the number 7"),
        new Case("no messages", "{'model':'m/x'}", "messages", "messages is required"),
        new Case("empty messages", "{'model':'m/x','messages':[]}", "messages", "at least one message"),
        new Case("messages not an array", "{'model':'m/x','messages':{}}", "messages",
            "messages must be an array, got an object"),
        messages("message not an object", "'hi'", "messages[0]", "messages[0] must be an object"),
        messages("role missing", "{'content':'x'}", "messages[0].role", "messages[0].role is required"),
        messages("role unknown", USER + ",{'role':'robot','content':'x'}", "messages[1].role",
            "messages[1].role must be one of system, developer, user, assistant, tool; got 'robot'"),
        messages("content missing", "{'role':'user'}", "messages[0].content",
            "messages[0].content is required for a user message"),
        messages("content wrong type", "{'role':'user','content':5}", "messages[0].content",
            "messages[0].content must be a string or an array of content parts, got the number 5"),
        messages("part not an object", "{'role':'user','content':['x']}", "messages[0].content[0]",
            "messages[0].content[0] must be an object with a type"),
        messages("part type missing", "{'role':'user','content':[{'text':'x'}]}", "messages[0].content[0].type",
            "messages[0].content[0].type is required"),
        messages("text part without text", "{'role':'user','content':[{'type':'text'}]}",
            "messages[0].content[0].text", "messages[0].content[0].text is required"),
        messages("image url scheme", "{'role':'user','content':[{'type':'text','text':'a'},"
                + "{'type':'image_url','image_url':{'url':'ftp://x/a.png'}}]}",
            "messages[0].content[1].image_url.url", "must be an http(s) URL or a data: URL"),
        messages("image url string scheme", "{'role':'user','content':[{'type':'image_url','image_url':'a.png'}]}",
            "messages[0].content[0].image_url.url", "must be an http(s) URL or a data: URL"),
        messages("image_url missing", "{'role':'user','content':[{'type':'image_url'}]}",
            "messages[0].content[0].image_url", "messages[0].content[0].image_url must be an object with a url"),
        messages("audio without data", "{'role':'user','content':[{'type':'input_audio','input_audio':{'format':'wav'}}]}",
            "messages[0].content[0].input_audio.data", "messages[0].content[0].input_audio.data is required"),
        messages("file without data or id", "{'role':'user','content':[{'type':'file','file':{'filename':'a.pdf'}}]}",
            "messages[0].content[0].file", "needs file_data (a data: URL) or file_id"),
        messages("tool without call id", USER + ",{'role':'tool','content':'18C'}", "messages[1].tool_call_id",
            "messages[1].tool_call_id is required"),
        messages("tool call without id", "{'role':'assistant','tool_calls':[{'function':{'name':'f'}}]}",
            "messages[0].tool_calls[0].id", "messages[0].tool_calls[0].id is required"),
        messages("tool call without function", "{'role':'assistant','tool_calls':[{'id':'c'}]}",
            "messages[0].tool_calls[0].function", "messages[0].tool_calls[0].function is required"),
        messages("tool call name", "{'role':'assistant','tool_calls':[{'id':'c','function':{'arguments':'{}'}}]}",
            "messages[0].tool_calls[0].function.name", "messages[0].tool_calls[0].function.name is required"),
        messages("name not a string", "{'role':'user','content':'x','name':1}", "messages[0].name",
            "messages[0].name must be a string"),
        base("tools not an array", "'tools':{}", "tools", "tools must be an array"),
        base("tool type", "'tools':[{'type':'retrieval','function':{'name':'f'}}]", "tools[0].type",
            "tools[0].type 'retrieval' is not supported"),
        base("tool without function", "'tools':[{'type':'function'}]", "tools[0].function",
            "tools[0].function is required"),
        base("tool name missing", "'tools':[{'type':'function','function':{}}]", "tools[0].function.name",
            "tools[0].function.name is required"),
        base("tool name invalid", "'tools':[{'type':'function','function':{'name':'f'}},"
                + "{'type':'function','function':{'name':'get weather'}}]", "tools[1].function.name",
            "tools[1].function.name must be 1-128 letters, digits"),
        base("tool parameters", "'tools':[{'type':'function','function':{'name':'f','parameters':'{}'}}]",
            "tools[0].function.parameters", "tools[0].function.parameters must be a JSON Schema object"),
        base("tool_choice unknown string", "'tool_choice':'sometimes'", "tool_choice", "got 'sometimes'"),
        base("tool_choice object without name", "'tool_choice':{'type':'function','function':{}}", "tool_choice",
            "tool_choice must be"),
        base("temperature too high", "'temperature':3", "temperature", "temperature must be between 0 and 2, got 3"),
        base("temperature negative", "'temperature':-0.5", "temperature", "temperature must be between 0 and 2"),
        base("temperature not a number", "'temperature':'hot'", "temperature",
            "temperature must be a number, got a string"),
        base("top_p too high", "'top_p':1.5", "top_p", "top_p must be between 0 and 1, got 1.5"),
        base("seed fractional", "'seed':1.5", "seed", "seed must be a whole number, got the number 1.5"),
        base("max_tokens zero", "'max_tokens':0", "max_tokens", "max_tokens must be between 1 and"),
        base("max_completion_tokens string", "'max_completion_tokens':'10'", "max_completion_tokens",
            "max_completion_tokens must be a whole number, got a string"),
        base("top_logprobs", "'top_logprobs':21", "top_logprobs", "top_logprobs must be between 0 and 20"),
        base("stop element", "'stop':['a',1]", "stop[1]", "stop[1] must be a string"),
        base("stop object", "'stop':{}", "stop", "stop must be a string or an array of strings, got an object"),
        base("stream not boolean", "'stream':'yes'", "stream", "stream must be true or false, got a string"),
        base("stream_options", "'stream_options':{'include_usage':1}", "stream_options.include_usage",
            "stream_options.include_usage must be true or false"),
        base("response_format type", "'response_format':{'type':'xml'}", "response_format.type",
            "response_format.type must be \"text\", \"json_object\" or \"json_schema\", got 'xml'"),
        base("response_format without type", "'response_format':{}", "response_format.type",
            "response_format.type is required"),
        base("json_schema missing", "'response_format':{'type':'json_schema'}", "response_format.json_schema",
            "response_format.json_schema is required"),
        base("json_schema name", "'response_format':{'type':'json_schema','json_schema':{'schema':{}}}",
            "response_format.json_schema.name", "response_format.json_schema.name is required"),
        base("json_schema schema", "'response_format':{'type':'json_schema','json_schema':{'name':'a','schema':[]}}",
            "response_format.json_schema.schema", "must be a JSON Schema object"),
        base("provider not an object", "'provider':'openai'", "provider", "provider must be an object"),
        base("provider.order", "'provider':{'order':'openai'}", "provider.order", "provider.order must be an array"),
        base("provider.ignore element", "'provider':{'ignore':['a',false]}", "provider.ignore[1]",
            "provider.ignore[1] must be a string"),
        base("provider.allow_fallbacks", "'provider':{'allow_fallbacks':'no'}", "provider.allow_fallbacks",
            "provider.allow_fallbacks must be true or false"),
        base("provider.data_collection", "'provider':{'data_collection':'maybe'}", "provider.data_collection",
            "provider.data_collection must be \"allow\" or \"deny\", got 'maybe'"),
        base("provider.sort", "'provider':{'sort':'random'}", "provider.sort", "provider.sort must be"),
        base("provider.sort.partition", "'provider':{'sort':{'by':'price','partition':'all'}}",
            "provider.sort.partition", "provider.sort.partition must be \"model\" or \"none\""),
        base("provider.quantizations", "'provider':{'quantizations':['fp9']}", "provider.quantizations",
            "'fp9' is not a quantization"),
        base("provider.max_price field", "'provider':{'max_price':{'output':1}}", "provider.max_price.output",
            "provider.max_price has no field 'output'"),
        base("provider.max_price value", "'provider':{'max_price':{'prompt':'cheap'}}", "provider.max_price.prompt",
            "provider.max_price.prompt must be a price in USD"),
        base("provider.max_price negative", "'provider':{'max_price':{'prompt':-1}}", "provider.max_price.prompt",
            "must not be negative"),
        base("provider.preferred_max_latency", "'provider':{'preferred_max_latency':'fast'}",
            "provider.preferred_max_latency", "must be a number or an object"),
        base("provider.preferred_min_throughput key", "'provider':{'preferred_min_throughput':{'p95':3}}",
            "provider.preferred_min_throughput.p95", "takes only p50, p75, p90 and p99"),
        base("provider.zdr", "'provider':{'zdr':'yes'}", "provider.zdr", "provider.zdr must be true or false"),
        base("session_id type", "'session_id':7", "session_id", "session_id must be a string"),
        base("session_id length", "'session_id':'" + "x".repeat(257) + "'", "session_id",
            "session_id must be 1 to 256 characters, got 257"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void namesTheExactField(Case c) {
    assertThatThrownBy(() -> reader.read(OpenAiRequestReaderTest.body(c.body())))
        .isInstanceOfSatisfying(InvalidRequest.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.param()).as("param").isEqualTo(c.param());
          org.assertj.core.api.Assertions.assertThat(e.getMessage()).as("message").contains(c.message());
          org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(400);
          org.assertj.core.api.Assertions.assertThat(e.metadata()).containsEntry("param", c.param());
        });
  }
}
