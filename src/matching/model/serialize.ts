import type { TrainedModel } from "./train.js";

/**
 * A trained model as JSON: typed arrays become base64 strings tagged with their type, so a
 * model of several megabytes is written and read in a few tens of milliseconds.
 */
export function serializeModel(model: TrainedModel): string {
  return JSON.stringify(model, (_key, value: unknown) => {
    if (value instanceof Float32Array) return { f32: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
    if (value instanceof Int32Array) return { i32: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
    return value;
  });
}

export function deserializeModel(json: string): TrainedModel {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const tagged = value as { f32?: string; i32?: string };
      if (typeof tagged.f32 === "string") return new Float32Array(toArrayBuffer(tagged.f32));
      if (typeof tagged.i32 === "string") return new Int32Array(toArrayBuffer(tagged.i32));
    }
    return value;
  }) as TrainedModel;
}

/** A copy of the bytes in a buffer of their own, aligned for any typed array. */
function toArrayBuffer(base64: string): ArrayBuffer {
  const bytes = Buffer.from(base64, "base64");
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
