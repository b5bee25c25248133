// Runs real client SDKs (openai, @openrouter/sdk, Vercel AI SDK) against a running Switchboard gateway
// and prints one PASS/FAIL line per check. Exit status 1 when any check fails.
//
//   SWITCHBOARD_KEY=sk-sb-... node check.mjs
//
// Environment: SWITCHBOARD_URL (default http://127.0.0.1:19100/api/v1), SWITCHBOARD_KEY (required),
// SWITCHBOARD_MODEL (default mock/mock-model). Checks that need the mock upstream's fault directives
// (#mock:error-after=N) run only when the model id starts with "mock/".
import OpenAI from "openai";
import { OpenRouter } from "@openrouter/sdk";
import { generateText, jsonSchema, streamText, tool } from "ai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { createOpenRouter } from "@openrouter/ai-sdk-provider";

const baseURL = process.env.SWITCHBOARD_URL ?? "http://127.0.0.1:19100/api/v1";
const apiKey = process.env.SWITCHBOARD_KEY;
const model = process.env.SWITCHBOARD_MODEL ?? "mock/mock-model";
const mock = model.startsWith("mock/");
if (!apiKey) {
  console.error("set SWITCHBOARD_KEY to an inference key (switchboard keys create --name sdk-check --config ...)");
  process.exit(2);
}

const results = [];
async function check(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    results.push(true);
    console.log(`PASS ${name} (${Date.now() - started} ms)${detail ? ": " + detail : ""}`);
  } catch (e) {
    results.push(false);
    // zod failures (the OpenRouter SDK's response validation) name the field that broke.
    const issues = e?.cause?.issues ?? e?.issues;
    const why = issues ? issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : e?.message ?? String(e);
    console.log(`FAIL ${name}: ${e?.constructor?.name ?? "Error"}: ${why}`.slice(0, 1500));
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}
async function expectThrows(fn, predicate, what) {
  try {
    await fn();
  } catch (e) {
    expect(predicate(e), `${what}: got ${e?.constructor?.name} ${e?.status ?? e?.statusCode ?? ""} ${e?.message}`);
    return `${e.constructor.name} ${e.status ?? e.statusCode ?? ""}`.trim();
  }
  throw new Error(`${what}: no error was thrown`);
}

const user = (content) => [{ role: "user", content }];
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

// --- openai (official SDK) ---
const openai = new OpenAI({ apiKey, baseURL, maxRetries: 0 });
await check("openai: chat JSON", async () => {
  const r = await openai.chat.completions.create({ model, messages: user("hello there") });
  expect(r.choices[0].message.content, "empty content");
  expect(r.usage?.total_tokens > 0, "no usage");
  return JSON.stringify(r.choices[0].message.content);
});
await check("openai: chat stream", async () => {
  const s = await openai.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: user("hello there") });
  let text = "", usage = null, chunks = 0;
  for await (const c of s) {
    chunks++;
    text += c.choices[0]?.delta?.content ?? "";
    usage = c.usage ?? usage;
  }
  expect(text, "no text streamed");
  expect(usage?.total_tokens > 0, "no usage chunk");
  return `${chunks} chunks, ${JSON.stringify(text)}`;
});
await check("openai: stream helper finalChatCompletion", async () => {
  const r = await openai.chat.completions.stream({ model, messages: user("hello there") }).finalChatCompletion();
  expect(r.choices[0].message.content, "empty content");
});
await check("openai: tools JSON + tool result turn", async () => {
  const r = await openai.chat.completions.create({ model, tools: [weatherTool], messages: user("weather in Paris?") });
  const message = r.choices[0].message;
  expect(message.tool_calls?.length > 0, "no tool call");
  expect(r.choices[0].finish_reason === "tool_calls", "finish_reason " + r.choices[0].finish_reason);
  const call = message.tool_calls[0];
  JSON.parse(call.function.arguments);
  const next = await openai.chat.completions.create({
    model,
    tools: [weatherTool],
    messages: [...user("weather in Paris?"), message, { role: "tool", tool_call_id: call.id, content: "sunny" }],
  });
  expect(next.choices[0].message.content, "no answer after the tool result");
  return `${call.function.name}(${call.function.arguments})`;
});
await check("openai: tools stream", async () => {
  const r = await openai.chat.completions.stream({ model, tools: [weatherTool], messages: user("weather in Paris?") }).finalChatCompletion();
  expect(r.choices[0].message.tool_calls?.length > 0, "no tool call");
  JSON.parse(r.choices[0].message.tool_calls[0].function.arguments);
});
await check("openai: models.list", async () => {
  const ids = [];
  for await (const m of openai.models.list()) ids.push(m.id);
  expect(ids.includes(model), `${model} not listed`);
  return `${ids.length} models`;
});
await check("openai: bad key -> 401 AuthenticationError", () =>
  expectThrows(
    () => new OpenAI({ apiKey: "sk-bad", baseURL, maxRetries: 0 }).chat.completions.create({ model, messages: user("x") }),
    (e) => e instanceof OpenAI.AuthenticationError && e.status === 401 && e.message.length > 0,
    "bad key"));
await check("openai: unknown model -> 404 NotFoundError", () =>
  expectThrows(
    () => openai.chat.completions.create({ model: "nope/none", messages: user("x") }),
    (e) => e instanceof OpenAI.NotFoundError,
    "unknown model"));
if (mock) {
  await check("openai: mid-stream error -> APIError while iterating", () =>
    expectThrows(async () => {
      const s = await openai.chat.completions.create({ model, stream: true, messages: user("hello world #mock:error-after=3") });
      for await (const c of s) void c;
    }, (e) => e instanceof OpenAI.APIError, "mid-stream error"));
}

// --- @openrouter/sdk ---
const openrouter = new OpenRouter({ apiKey, serverURL: baseURL, retryConfig: { strategy: "none" } });
await check("@openrouter/sdk: chat.send JSON", async () => {
  const r = await openrouter.chat.send({ chatRequest: { model, messages: user("hello there") } });
  expect(r.choices[0].message.content, "empty content");
  expect(r.usage?.totalTokens > 0, "no usage");
  return JSON.stringify(r.choices[0].message.content);
});
await check("@openrouter/sdk: chat.send stream", async () => {
  const s = await openrouter.chat.send({ chatRequest: { model, stream: true, messages: user("hello there") } });
  let text = "", usage = null;
  for await (const c of s) {
    text += c.choices[0]?.delta?.content ?? "";
    usage = c.usage ?? usage;
  }
  expect(text, "no text streamed");
  expect(usage?.cost !== undefined, "no usage with cost");
  return JSON.stringify(text);
});
await check("@openrouter/sdk: chat.send tools JSON + stream", async () => {
  const r = await openrouter.chat.send({ chatRequest: { model, tools: [weatherTool], messages: user("weather in Paris?") } });
  expect(r.choices[0].message.toolCalls?.length > 0, "no tool call");
  const s = await openrouter.chat.send({ chatRequest: { model, stream: true, tools: [weatherTool], messages: user("weather in Paris?") } });
  let args = "";
  for await (const c of s) for (const t of c.choices[0]?.delta?.toolCalls ?? []) args += t.function?.arguments ?? "";
  JSON.parse(args);
  return args;
});
await check("@openrouter/sdk: models.list", async () => {
  // models.list pages: the first page is under .result
  const r = await openrouter.models.list();
  expect(r.result.data.some((m) => m.id === model), `${model} not listed`);
  return `${r.result.totalCount} models`;
});
await check("@openrouter/sdk: endpoints.list", async () => {
  const [author, slug] = model.split("/");
  const r = await openrouter.endpoints.list({ author, slug });
  expect(r.data.endpoints.length > 0, "no endpoints");
});
await check("@openrouter/sdk: bad key -> UnauthorizedResponseError", () =>
  expectThrows(
    () => new OpenRouter({ apiKey: "sk-bad", serverURL: baseURL, retryConfig: { strategy: "none" } })
      .chat.send({ chatRequest: { model, messages: user("x") } }),
    (e) => e.constructor.name === "UnauthorizedResponseError" && e.statusCode === 401,
    "bad key"));
if (mock) {
  await check("@openrouter/sdk: mid-stream error -> chunk.error", async () => {
    const s = await openrouter.chat.send({ chatRequest: { model, stream: true, messages: user("hello world #mock:error-after=3") } });
    let error = null;
    for await (const c of s) error = c.error ?? error;
    expect(error?.metadata?.errorType, "no error chunk with metadata.error_type");
    return `${error.code} ${error.metadata.errorType}`;
  });
}

// --- openai: Responses API (stateless) and legacy completions ---
const responsesTool = { type: "function", name: "get_weather", description: "Current weather for a city",
  parameters: weatherTool.function.parameters, strict: false };
await check("openai: responses JSON", async () => {
  const r = await openai.responses.create({ model, instructions: "Be brief.", input: "hello there" });
  expect(r.status === "completed", `status ${r.status}`);
  expect(r.output_text, "empty output_text");
  expect(r.usage?.total_tokens > 0, "no usage");
  return JSON.stringify(r.output_text);
});
await check("openai: responses stream helper finalResponse", async () => {
  const s = openai.responses.stream({ model, input: "hello there" });
  let deltas = "";
  s.on("response.output_text.delta", (e) => { deltas += e.delta; });
  const r = await s.finalResponse();
  expect(deltas && deltas === r.output_text, `deltas ${JSON.stringify(deltas)} vs ${JSON.stringify(r.output_text)}`);
  return JSON.stringify(r.output_text);
});
await check("openai: responses function call + function_call_output turn", async () => {
  const input = [{ role: "user", content: "weather in Paris?" }];
  const first = await openai.responses.create({ model, input, tools: [responsesTool] });
  const call = first.output.find((item) => item.type === "function_call");
  expect(call, "no function_call item");
  const second = await openai.responses.create({ model, tools: [responsesTool],
    input: [...input, ...first.output, { type: "function_call_output", call_id: call.call_id, output: "sunny" }] });
  expect(second.output_text.includes("sunny"), `answer ${JSON.stringify(second.output_text)}`);
  return `${call.name}(${call.arguments}) -> ${JSON.stringify(second.output_text)}`;
});
await check("openai: responses store:true -> 400 BadRequestError", () =>
  expectThrows(() => openai.responses.create({ model, input: "hi", store: true }),
    (e) => e instanceof OpenAI.BadRequestError && /stateless/.test(e.message), "store:true"));
await check("openai: completions JSON + stream", async () => {
  const r = await openai.completions.create({ model, prompt: "Once upon a time", max_tokens: 50 });
  expect(r.choices[0].text, "empty text");
  const s = await openai.completions.create({ model, prompt: "Once upon a time", stream: true });
  let text = "";
  for await (const c of s) text += c.choices[0]?.text ?? "";
  expect(text === r.choices[0].text, `streamed ${JSON.stringify(text)} vs ${JSON.stringify(r.choices[0].text)}`);
  return JSON.stringify(text);
});
if (mock) {
  await check("openai: responses mid-stream error -> response.failed", async () => {
    const s = await openai.responses.create({ model, stream: true, input: "hello there #mock:chunks=6 #mock:error-after=3" });
    let last = null;
    for await (const e of s) last = e;
    expect(last?.type === "response.failed", `last event ${last?.type}`);
    return last.response.error.message;
  });
}

// --- Vercel AI SDK, through both community providers ---
const weather = tool({
  description: "Current weather for a city",
  inputSchema: jsonSchema(weatherTool.function.parameters),
  execute: async ({ city }) => `sunny in ${city}`,
});
const aiModels = {
  "ai + @ai-sdk/openai-compatible": createOpenAICompatible({ name: "switchboard", baseURL, apiKey, includeUsage: true })(model),
  "ai + @openrouter/ai-sdk-provider": createOpenRouter({ baseURL, apiKey })(model),
};
for (const [name, m] of Object.entries(aiModels)) {
  await check(`${name}: generateText`, async () => {
    const r = await generateText({ model: m, prompt: "hello there", maxRetries: 0 });
    expect(r.text, "empty text");
    expect(r.usage.totalTokens > 0, "no usage");
  });
  await check(`${name}: streamText`, async () => {
    const r = streamText({ model: m, prompt: "hello there", maxRetries: 0, onError: () => {} });
    let text = "";
    for await (const part of r.fullStream) {
      if (part.type === "error") throw part.error;
      if (part.type === "text-delta") text += part.text;
    }
    expect(text, "no text streamed");
    expect((await r.usage).totalTokens > 0, "no usage");
  });
  await check(`${name}: generateText with a tool`, async () => {
    const r = await generateText({ model: m, prompt: "weather in Paris?", tools: { weather }, maxRetries: 0 });
    expect(r.toolCalls.length > 0 && r.toolResults.length > 0, "no tool call");
    return `${r.toolCalls[0].toolName}(${JSON.stringify(r.toolCalls[0].input)})`;
  });
}

// ai 7's generateText always passes toolChoice, which this provider's completion model refuses on the
// client side, so the model is called directly: the request and the parsing are the provider's own.
await check("@openrouter/ai-sdk-provider completion(): doGenerate (POST /completions)", async () => {
  const r = await createOpenRouter({ baseURL, apiKey }).completion(model).doGenerate({
    prompt: [{ role: "user", content: [{ type: "text", text: "hello there" }] }],
  });
  const text = r.content.filter((part) => part.type === "text").map((part) => part.text).join("");
  expect(text, "empty text");
  return JSON.stringify(text);
});

const failed = results.filter((ok) => !ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
