/** 32-bit FNV-1a over UTF-16 code units, as a signed integer; `basis` seeds it (FNV's own offset basis by default). */
export function fnv1a(text: string, basis = 0x811c9dc5): number {
  let hash = basis;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
