/**
 * Locate a cited passage inside a document's text for the source panel. The chunk and the quote
 * were cut from the same normalised text, but chunking may join lines or drop white space, so the
 * match ignores white space and maps back to offsets in the text as shown.
 */
export interface Highlight {
  start: number;
  end: number;
}

export function findPassage(text: string, candidates: readonly string[]): Highlight | null {
  const positions: number[] = [];
  let squeezed = "";
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i]!)) continue;
    positions.push(i);
    squeezed += text[i];
  }
  const span = (from: number, length: number): Highlight => ({
    start: positions[from]!,
    end: positions[from + length - 1]! + 1,
  });
  for (const raw of candidates) {
    const needle = raw.replace(/\s+/g, "");
    if (needle.length < 2) continue;
    const at = squeezed.indexOf(needle);
    if (at >= 0) return span(at, needle.length);
  }
  // A passage whose middle differs (an extension added context): anchor on its first and last 12 characters.
  for (const raw of candidates) {
    const needle = raw.replace(/\s+/g, "");
    if (needle.length < 30) continue;
    const head = squeezed.indexOf(needle.slice(0, 12));
    if (head < 0) continue;
    const tail = squeezed.indexOf(needle.slice(-12), head);
    if (tail >= 0 && tail - head < needle.length * 2) return span(head, tail + 12 - head);
    return span(head, Math.min(needle.length, squeezed.length - head));
  }
  return null;
}
