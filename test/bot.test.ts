import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/bot/rate-limit.js";
import { CALLBACK_DATA_LIMIT, packAction, toTelegramMessages, truncateGraphemes, unpackAction } from "../src/bot/telegram-message.js";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import { createLogger } from "../src/logger.js";
import { parseEmphasis } from "../src/render/message.js";
import { coreFor, shippedCore } from "./helpers/engine.js";
import { buttonsOf, createRecordingBot, type ApiCall } from "./helpers/recording-bot.js";
import { copyKnowledge, editFile } from "./helpers/knowledge-copy.js";
import { AMBIGUOUS_QUESTION } from "./helpers/questions.js";

const sent = (calls: ApiCall[]) => calls.filter((call) => call.method === "sendMessage");

describe("commands", () => {
  it("/start sends the welcome with the disclaimer and topic buttons", async () => {
    const { text } = await createRecordingBot();
    const [message] = sent(await text("/start"));
    expect(message!.payload.text).toContain("I answer common questions about the hourglass hip procedure");
    expect(message!.payload.text).toContain("not medical advice");
    expect(buttonsOf(message)).toEqual([
      ["About the procedure", "t:procedure"],
      ["Why hips turn out uneven", "t:causes"],
      ["Recovery and final result", "t:recovery"],
      ["Correcting uneven hips", "t:revision"],
      ["Seeing a surgeon", "t:surgeon"],
    ]);
  });

  it("/start with an entry id (a deep link) opens that answer; an unknown payload gives the welcome", async () => {
    const { text } = await createRecordingBot();
    const [deepLink] = sent(await text("/start revision-implant"));
    expect(deepLink!.payload.text).toMatch(/^A revision normally uses your own fat/);
    const [unknown] = sent(await text("/start no-such-entry"));
    expect(unknown!.payload.text).toContain("I answer common questions");
  });

  it("an unknown command gets the help, as in the terminal chat", async () => {
    const { text } = await createRecordingBot();
    const { presenter } = await shippedCore();
    for (const command of ["/foo", "/settings@HipFaqBot"]) {
      expect(sent(await text(command))[0]!.payload.text).toBe(presenter.help().text);
    }
  });

  it("/help, /topics, /tips and /surgeon answer with their messages", async () => {
    const { text } = await createRecordingBot();
    expect(sent(await text("/help"))[0]!.payload.text).toContain("/topics");
    expect(buttonsOf(sent(await text("/topics"))[0])).toHaveLength(5);
    const tips = sent(await text("/tips"))[0]!;
    expect(tips.payload.text).toContain("first three weeks");
    const surgeon = sent(await text("/surgeon"))[0]!;
    expect(surgeon.payload.text).toContain("board-certified");
    expect(buttonsOf(surgeon)).toEqual([
      ["Clinic website", "https://example.com/"],
      ["Book a consultation", "https://example.com/book"],
    ]);
  });
});

describe("free text", () => {
  it("an answer comes with up to three related questions and 'Talk to a surgeon'", async () => {
    const { text } = await createRecordingBot();
    const [message] = sent(await text("why is one hip bigger than the other"));
    expect(message!.payload.text).toMatch(/^Uneven hips after the hourglass hip procedure/);
    expect(buttonsOf(message)).toEqual([
      ["Can the surgeon cause uneven hips?", "e:cause-surgeon-skill"],
      ["Can fat handling cause it?", "e:cause-fat-handling"],
      ["Can my recovery cause it?", "e:cause-pressure-recovery"],
      ["Talk to a surgeon", "surgeon"],
    ]);
  });

  it("bold text is sent as entities, with the markers removed", async () => {
    const { text } = await createRecordingBot();
    const [message] = sent(await text("when will i see my final result"));
    const { text: body, entities } = message!.payload;
    expect(body).not.toContain("**");
    expect(entities.length).toBeGreaterThan(0);
    expect(entities.map((entity: { offset: number; length: number }) => body.slice(entity.offset, entity.offset + entity.length))).toContain("final result");
    expect(message!.payload.parse_mode).toBeUndefined();
  });

  it("'did you mean' offers the candidates as buttons", async () => {
    const { text } = await createRecordingBot();
    const [message] = sent(await text(AMBIGUOUS_QUESTION));
    expect(message!.payload.text).toBe("I'm not sure I understood. Did you mean one of these?");
    // The candidates come most likely first, which is the model's call; the topics come last.
    const buttons = buttonsOf(message);
    expect(buttons.slice(0, -1).sort()).toEqual([
      ["When can I get a revision?", "c:revision-timing"],
      ["When will I see my final result?", "c:final-results-timing"],
    ]);
    expect(buttons.at(-1)).toEqual(["Browse topics", "topics"]);
  });

  it("a question the article does not answer gets the fallback, topics and the surgeon", async () => {
    const { text } = await createRecordingBot();
    const [message] = sent(await text("how much does it cost"));
    expect(message!.payload.text).toContain("not in my notes");
    expect(buttonsOf(message).map(([, data]) => data)).toEqual(["t:procedure", "t:causes", "t:recovery", "t:revision", "t:surgeon", "surgeon"]);
  });

  it("an urgent symptom gets only the urgent-care text, without FAQ buttons", async () => {
    const { text } = await createRecordingBot();
    const [message, ...rest] = sent(await text("why are my hips uneven? i also have chest pain"));
    expect(message!.payload.text).toMatch(/urgent medical care/);
    expect(message!.payload.reply_markup).toBeUndefined();
    expect(rest).toEqual([]);
  });

  it("small talk gets a short reply", async () => {
    const { text } = await createRecordingBot();
    expect(sent(await text("thanks!"))[0]!.payload.text).toBe("You're welcome! Anything else you'd like to know?");
  });

  it("empty-looking, emoji-only, foreign-script and 10,000-character messages get a polite reply", async () => {
    const { text } = await createRecordingBot();
    expect(sent(await text("🤔"))[0]!.payload.text).toContain("Please type your question");
    expect(sent(await text("почему бедра разные"))[0]!.payload.text).toContain("only answer in English");
    const [long] = sent(await text(`${"la ".repeat(3330)}when will i see my final result`));
    expect(long!.payload.text.length).toBeGreaterThan(0);
  });

  it("the Telegram text equals the text `npm run ask -- --json` prints (the presenter's text)", async () => {
    const { text } = await createRecordingBot();
    const { assistant, presenter } = await shippedCore();
    for (const question of ["implant?", "how much does it cost", "i have a fever", "hi", "fat?", AMBIGUOUS_QUESTION]) {
      const [message] = sent(await text(question));
      expect(message!.payload.text).toBe(presenter.reply(await assistant.reply(question)).text);
    }
  });
});

describe("buttons", () => {
  it("a related-question button answers the callback and sends that answer", async () => {
    const { press } = await createRecordingBot();
    const calls = await press("e:revision-implant");
    expect(calls[0]).toMatchObject({ method: "answerCallbackQuery" });
    expect(calls[0]!.payload.text).toBeUndefined();
    expect(sent(calls)[0]!.payload.text).toMatch(/^A revision normally uses your own fat/);
  });

  it("a topic button lists its questions", async () => {
    const { press } = await createRecordingBot();
    const [message] = sent(await press("t:revision"));
    expect(buttonsOf(message).map(([, data]) => data)).toEqual(["e:revision-timing", "e:revision-procedure", "e:revision-implant", "e:revision-outcome", "topics"]);
  });

  it("stale or unknown callback data is answered with a short note, never left spinning", async () => {
    const { press } = await createRecordingBot();
    for (const data of ["e:entry-removed-since", "t:old-topic", "garbage", "e:"]) {
      const calls = await press(data);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ method: "answerCallbackQuery", payload: { text: "That button is out of date. Please ask your question again or use /topics." } });
    }
  });

  it("keeps callback data within Telegram's 64 bytes", () => {
    const id = "a".repeat(60);
    expect(Buffer.byteLength(packAction({ type: "entry", id }))).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
    expect(unpackAction(packAction({ type: "entry", id }))).toEqual({ type: "entry", id });
    expect(unpackAction(packAction({ type: "topic", id: "causes" }))).toEqual({ type: "topic", id: "causes" });
  });
});

describe("other updates", () => {
  it.each([
    ["photo", { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }],
    ["voice", { voice: { file_id: "v", file_unique_id: "v", duration: 1 } }],
    ["sticker", { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }],
    ["document", { document: { file_id: "d", file_unique_id: "d" } }],
    ["location", { location: { latitude: 1, longitude: 2 } }],
  ])("a %s gets a note that the bot reads text", async (_kind, content) => {
    const { message } = await createRecordingBot();
    expect(sent(await message(content))[0]!.payload.text).toBe("I can only read text messages. Please type your question in words.");
  });

  it("edited messages are ignored", async () => {
    const { feed } = await createRecordingBot();
    const calls = await feed({
      edited_message: { message_id: 1, date: 0, edit_date: 1, chat: { id: 1001, type: "private", first_name: "Pat" }, from: { id: 1001, is_bot: false, first_name: "Pat" }, text: "when will i see my final result" },
    } as never);
    expect(calls).toEqual([]);
  });

  it("in a group, answers commands, mentions and replies to the bot, and nothing else", async () => {
    const { text } = await createRecordingBot();
    expect(sent(await text("when will i see my final result", "group"))).toEqual([]);
    expect(sent(await text("/tips", "group"))).toHaveLength(1);
    const [mention] = sent(await text("@HipFaqBot when will i see my final result", "group"));
    expect(mention!.payload.text).toMatch(/final result/);
    expect(mention!.payload.reply_parameters.message_id).toBeGreaterThan(0);
    const [reply] = sent(
      await text("and when is a revision possible?", "group", { reply_to_message: { message_id: 3, date: 0, chat: { id: -5005, type: "supergroup", title: "Patients" }, from: { id: 42, is_bot: true, first_name: "Hip FAQ" }, text: "..." } }),
    );
    expect(reply!.payload.text).toMatch(/eight weeks/);
  });

  it("in a group, ignores other bots' commands, unknown commands and look-alike mentions", async () => {
    const { text } = await createRecordingBot();
    for (const message of ["/start@OtherBot", "/ban@OtherBot", "/settings", "/warn fever spammer", "@HipFaqBot_support when will i see my final result", "/tips@OtherBot"]) {
      expect(sent(await text(message, "group")), message).toEqual([]);
    }
    expect(sent(await text("/tips@HipFaqBot", "group"))).toHaveLength(1);
    expect(sent(await text("/TIPS@hipfaqbot", "group"))).toHaveLength(1);
  });

  it("inline queries return up to 5 matching articles, the most useful ones for an empty query", async () => {
    const { inline } = await createRecordingBot();
    const [answer] = await inline("uneven hips");
    expect(answer!.method).toBe("answerInlineQuery");
    expect(answer!.payload.results.length).toBeGreaterThan(0);
    expect(answer!.payload.results.length).toBeLessThanOrEqual(5);
    expect(answer!.payload.results[0]).toMatchObject({ type: "article", input_message_content: { message_text: expect.any(String) } });
    expect(answer!.payload.cache_time).toBe(300);
    const [empty] = await inline("");
    expect(empty!.payload.results.map((result: { id: string }) => result.id)).toEqual(["asymmetry-causes", "recovery-care", "final-results-timing", "revision-timing", "find-surgeon"]);
    const [urgent] = await inline("fever and chills");
    expect(urgent!.payload.results).toHaveLength(1);
    expect(urgent!.payload.results[0].input_message_content.message_text).toMatch(/urgent medical care/);
  });

  it("cuts inline descriptions between graphemes, never inside an emoji or accented letter", () => {
    const family = "👨‍👩‍👧";
    expect(truncateGraphemes(`${"a".repeat(118)}${family}b`, 120)).toBe("a".repeat(118));
    expect(truncateGraphemes(`${"a".repeat(119)}e\u0301x`, 120)).toBe("a".repeat(119));
    expect(truncateGraphemes("short", 120)).toBe("short");
  });

  it("tells a flooding user once to slow down, then stays quiet", async () => {
    const { text } = await createRecordingBot({ rateLimit: 3 });
    const replies: string[] = [];
    for (let i = 0; i < 6; i++) replies.push(...sent(await text("hi")).map((call) => call.payload.text));
    expect(replies.slice(0, 3).every((reply) => reply.startsWith("Hello"))).toBe(true);
    expect(replies.slice(3)).toEqual(["You are sending messages very quickly. Please wait a few seconds, then ask again."]);
  });

  it("still answers an emergency from a user over the limit with the urgent-care reply", async () => {
    const { text, core } = await createRecordingBot({ rateLimit: 2 });
    for (let i = 0; i < 4; i++) await text("hi");
    const replies = sent(await text("my hip is hot and red and I have a fever of 39")).map((call) => call.payload.text);
    expect(replies).toEqual([core.presenter.reply({ kind: "urgent", redFlag: "fever" }).text]);
  });

  it("answers every button press past the limit (a 'please wait' toast), so no spinner hangs", async () => {
    const { press } = await createRecordingBot({ rateLimit: 10 });
    const answers: ApiCall[] = [];
    for (let i = 0; i < 25; i++) answers.push(...(await press("topics")).filter((call) => call.method === "answerCallbackQuery"));
    expect(answers).toHaveLength(25);
    expect(answers.slice(10).every((call) => call.payload.text === "You are sending messages very quickly. Please wait a few seconds, then ask again.")).toBe(true);
  });

  it("answers a button under an inline-mode message (no chat) on the button itself, sending nothing", async () => {
    const { feed } = await createRecordingBot();
    const calls = await feed({
      callback_query: { id: "cb-inline", from: { id: 1001, is_bot: false, first_name: "Pat" }, chat_instance: "ci", inline_message_id: "im1", data: "e:revision-implant" },
    } as never);
    expect(calls.map((call) => call.method)).toEqual(["answerCallbackQuery"]);
    expect(calls[0]!.payload).toMatchObject({ show_alert: true, text: expect.stringMatching(/^A revision normally uses/) });
  });

  it("limits each user in a window of their own, which another user's activity does not reset", () => {
    let time = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 10_000, now: () => time });
    time = 9_900;
    expect([1, 2, 3].map(() => limiter.hit("a").allowed)).toEqual([true, true, true]);
    time = 10_100; // a global reset at 10 s would let a burst across it through
    expect(limiter.hit("b").allowed).toBe(true);
    expect(limiter.hit("a")).toEqual({ allowed: false, firstRefusal: true });
    expect(limiter.hit("a")).toEqual({ allowed: false, firstRefusal: false });
    time = 19_900; // the user's own window has ended
    expect(limiter.hit("a").allowed).toBe(true);
  });

  it("logs one line per update with kind, entry and timing, and never the message text", async () => {
    const lines: string[] = [];
    const { text } = await createRecordingBot({ logger: createLogger("info", (line) => lines.push(line)) });
    await text("my secret question: what if i dont have enough fat for a revision?");
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "info", event: "update", chatType: "private", kind: "answer", entryId: "revision-implant" });
    expect(typeof line.ms).toBe("number");
    expect(typeof line.updateId).toBe("number");
    expect(lines[0]).not.toContain("secret");
  });

  it("keeps running after a failing API call, logging the error", async () => {
    const lines: string[] = [];
    const { bot, text } = await createRecordingBot({ logger: createLogger("error", (line) => lines.push(line)) });
    bot.api.config.use(async (prev, method, payload, signal) => {
      if (method === "sendMessage" && (payload as { text: string }).text.startsWith("Hello")) throw new Error("boom");
      return prev(method, payload, signal);
    });
    await text("hi");
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "error", event: "update failed" });
    expect(sent(await text("/tips"))).toHaveLength(1);
  });
});

describe("formatting awkward knowledge-base text", () => {
  it("sends <, &, * and _ literally, with no parse mode to trip over", async () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/revision.yaml", "A revision normally uses your own fat.", "A revision <b>normally</b> uses your own fat & 2 * 3 _under_ **bold <i>** end.");
    const { text } = await createRecordingBot({ core: await coreFor(loadKnowledgeBase(dir)) });
    const [message] = sent(await text("implant?"));
    expect(message!.payload.text).toMatch(/^A revision <b>normally<\/b> uses your own fat & 2 \* 3 _under_ bold <i> end\./);
    expect(message!.payload.parse_mode).toBeUndefined();
    expect(message!.payload.entities).toContainEqual({ type: "bold", offset: message!.payload.text.indexOf("bold <i>"), length: "bold <i>".length });
  });

  it("splits text over 4,096 characters, keeping bold ranges and putting buttons last", () => {
    const long = `**${"a".repeat(100)}**\n${"word ".repeat(1000)}\n**tail**`;
    const parts = toTelegramMessages({ ...parseEmphasis(long), buttons: [{ label: "Next", action: { type: "topics" } }] });
    expect(parts.length).toBe(2);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
    expect(parts[0]!.entities[0]).toEqual({ type: "bold", offset: 0, length: 100 });
    expect(parts[0]!.keyboard).toBeUndefined();
    expect(parts[1]!.keyboard).toEqual([[{ text: "Next", callback_data: "topics" }]]);
    const tail = parts[1]!;
    expect(tail.entities.map((entity) => tail.text.slice(entity.offset, entity.offset + entity.length))).toEqual(["tail"]);
  });
});
