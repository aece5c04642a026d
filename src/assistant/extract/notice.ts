/**
 * The parts of a notice that matter for extraction: its title, the addressees in the header
 * (各市邮政管理局，各寄递企业：), the issue date (a date line in the signature block, or 发布时间),
 * and the body lines, with contact lines, attachments and the signature block left out.
 * Hand-written: the layout of a Chinese official notice (GB/T 9704) has no parser on npm.
 */
import { resolveTimes } from "./resolve-times.js";

export interface NoticeLine {
  text: string;
  /** Offset of the line in the whole text. */
  index: number;
  /** The numbering the line starts with ("一、", "（二）", "3."), or null. */
  number: string | null;
}

export interface NoticeParts {
  title: string | null;
  /** Default owners: the header addressees without the colon ("各市邮政管理局、各寄递企业"), or null. */
  addressees: string | null;
  /** Body lines that may hold action items. */
  body: NoticeLine[];
}

const NUMBERING =
  /^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、．](?![0-9])|第[一二三四五六七八九十]+[，、,]|[①-⑩])\s*/;
/** Lines that are never action items. */
const NOT_ACTION_LINE =
  /^(?:联系人|联系电话|联系方式|电话|传真|邮箱|电子邮箱|电子信箱|e-?mail|地址|通讯地址|邮编|邮政编码|附件|抄送|抄报|印发|（此件|\(此件|主送|发布时间|点击数|来源)/i;
const DATE_LINE =
  /^[（(]?\s*(?:[0-9〇零○一二三四五六七八九]{4}年[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})\s*[）)]?$/;
const ADDRESSEE_LINE = /^[^。；！？]{2,80}[：:]$/;
const SIGNATURE_ORG = /^[\u4e00-\u9fa5（）()]{2,30}(?:局|公司|办公室|委员会|中心|部|厅|协会|小组)$/;

/** The issue date written in the notice: 发布时间 / 印发日期, else a date line in the last lines. */
export function findIssueDate(text: string): string | null {
  const published =
    /(?:发布时间|发布日期|印发日期|成文日期|日期)\s*[:：]\s*([0-9]{4})[-年./]([0-9]{1,2})[-月./]([0-9]{1,2})/.exec(
      text,
    );
  if (published) return `${published[1]}-${published[2]!.padStart(2, "0")}-${published[3]!.padStart(2, "0")}`;
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  for (const line of lines.slice(-8).reverse()) {
    if (!DATE_LINE.test(line)) continue;
    const t = resolveTimes(line, "2000-01-01").find((x) => x.kind === "point" && x.start);
    if (t?.start) return t.start.slice(0, 10);
  }
  return null;
}

export function parseNotice(text: string): NoticeParts {
  const raw = text.split("\n");
  const lines: NoticeLine[] = [];
  let offset = 0;
  for (const r of raw) {
    const lead = r.length - r.trimStart().length;
    const t = r.trim();
    if (t) lines.push({ text: t, index: offset + lead, number: NUMBERING.exec(t)?.[0].trim() ?? null });
    offset += r.length + 1;
  }
  let title: string | null = null;
  let addressees: string | null = null;
  let bodyStart = 0;
  const headerEnd = Math.min(lines.length, 8);
  for (let i = 0; i < headerEnd; i++) {
    const l = lines[i]!;
    if (ADDRESSEE_LINE.test(l.text) && !NOT_ACTION_LINE.test(l.text) && !l.number && !/如下[：:]$/.test(l.text)) {
      addressees = l.text.replace(/[：:]$/, "").replace(/[，,；;]\s*/g, "、");
      bodyStart = i + 1;
      if (i > 0)
        title =
          lines
            .slice(0, i)
            .map((x) => x.text)
            .filter((x) => !/^(?:发布时间|点击数|来源)/.test(x))
            .join("") || null;
      break;
    }
  }
  if (!addressees) {
    // No header: the first line is a title only when it reads like one (no sentence end, more lines follow).
    const first = lines[0]?.text ?? "";
    if (lines.length > 1 && first.length <= 80 && !/[。；！？]/.test(first) && !first.endsWith("：")) {
      title = first;
      bodyStart = 1;
    } else bodyStart = 0;
  }
  // The signature block: trailing date line and organisation lines.
  let bodyEnd = lines.length;
  while (bodyEnd > bodyStart) {
    const t = lines[bodyEnd - 1]!.text;
    if (DATE_LINE.test(t) || SIGNATURE_ORG.test(t) || NOT_ACTION_LINE.test(t)) bodyEnd--;
    else break;
  }
  const body = lines
    .slice(bodyStart, bodyEnd)
    .filter((l) => !NOT_ACTION_LINE.test(l.text.replace(NUMBERING, "")) && !/^（?[0-9]+）?$/.test(l.text));
  return { title, addressees, body };
}
