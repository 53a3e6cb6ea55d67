import { loadUniversalSentenceEncoder } from "../../src/encoders/universal-sentence-encoder.js";
import { loadKnowledgeBase } from "../../src/knowledge/load.js";
import type { KnowledgeBase } from "../../src/knowledge/types.js";
import type { SentenceEncoder } from "../../src/matching/model/encoder.js";
import { createCoreFor, type Core } from "../../src/session.js";
import { SHIPPED_KNOWLEDGE_DIR } from "./knowledge-copy.js";

let encoder: Promise<SentenceEncoder> | undefined;
let shipped: Promise<Core> | undefined;

/** One sentence encoder per test worker: loading it takes a fraction of a second, but only once. */
export function testEncoder(): Promise<SentenceEncoder> {
  return (encoder ??= loadUniversalSentenceEncoder());
}

/** The shipped knowledge base with its trained model (trained by the global setup, then cached). */
export function shippedCore(): Promise<Core> {
  return (shipped ??= testEncoder().then((loaded) => createCoreFor(loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR), { encoder: loaded })));
}

/** A core for another knowledge base (a copy with edits); trains a model for it if the cache has none. */
export async function coreFor(kb: KnowledgeBase): Promise<Core> {
  return createCoreFor(kb, { encoder: await testEncoder() });
}
