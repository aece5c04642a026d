/**
 * Notes as staff really write them → one plain form the notes parser reads (parse-notes.ts).
 *
 * Staff write minutes without labels, chat jottings (dashes, ✔, 👉, 1）, spaces for pauses, shorthand
 * such as 林局, 陈副, 小郑), labelled forms, traditional characters, spoken transcripts (嗯, 那个,
 * 百分之十一点五) and summary sheets with tables. Before parsing, every form is brought to the same
 * shape, changing only the form, never a fact:
 *
 * - traditional → simplified, widths folded (normalizeText);
 * - internal remarks dropped (（…局务会用，供写通稿）, （录音整理，未经本人审阅）, 仅供参考 不对外);
 * - shorthand resolved where the notes say it: 林局（林国栋） → 林国栋 everywhere 林局 stands; a bare
 *   王局/邵局长/孟处长 → the one person of that surname the notes name in full; 青岛市局 → 青岛市邮政管理局
 *   when the notes give that full name (备注：A＝B, or anywhere in the notes);
 * - emoji, check marks, arrows and dashes dropped; list markers (1） ① 1 推进…) made plain list lines;
 * - labels without colons (主持 王某, 【时间】…) given one; 讲话要点（邵局长）： → 邵明远强调：;
 * - a jotted header line (温州市局 周例会 12/3 下午 3楼小会议室) split into labelled fields;
 * - tables turned into one line a row (快递业务量3.82亿件，同比增长21.4%);
 * - spoken fillers and meta talk dropped (嗯, 呃, 那个，, 好，我就讲这些), repeated clauses said once;
 * - figures in house form: 同比+18% → 同比增长18%, 环比 -8% → 环比下降8%, 百分之十一点五 → 11.5%,
 *   三百一十二件 → 312件, 四万三千多人 → 4.3万多人, 1月15号 → 1月15日.
 *
 * Hand-written rules: the forms are house conventions of Chinese office notes, which no library models.
 */
import { normalizeText } from "../../ingest/normalize.js";
import { parseChineseNumeral } from "../../text/chinese-numerals.js";
import { looksLikeName, parsePerson, TITLES } from "./people.js";

/** Parenthesised or trailing remarks meant for the office, not for publication. */
export const INTERNAL =
  /供写|草稿|勿外传|勿转发|内部(?:整理|记录|参考|使用)|不对外|仅供参考|录音整理|根据录音|未经本人审阅|局务会用|供参考|请勿外传/;

// biome-ignore lint/suspicious/noMisleadingCharacterClass: the variation selector and the joiner are stripped one by one, like the pictographs
const EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}✔✓☑✅👉‼❗⚠★☆►▶→]/gu;

/** Labels as staff type them without a colon at a line start ("主持 王某", "讲话 杜局（杜明辉）"). */
const BARE_LABELS = ["会议名称", "会议", "时间", "日期", "地点", "主办", "主持", "讲话", "出席", "参加", "参会"];

/** Jotted reports: "通报 市场监管科 石磊：…", "发言 中通 圆通 极兔 各讲了…" → "市场监管科石磊通报，…", "中通、圆通、极兔发言，各讲了…". */
function verbLabel(l: string): string {
  const m = l.match(/^\s*(?:[-*•]\s*)?(通报|汇报|发言|交流|介绍)[\s:：]+(\S.*)$/);
  if (!m) return l;
  const [, verb, rest] = m;
  const colon = rest!.match(/^([^：:]{2,20})[:：]\s*(.*)$/);
  if (colon) return `${colon[1]!.replace(/\s+/g, "")}${verb}，${colon[2]}`;
  const tokens = rest!.split(/\s+/);
  const who: string[] = [];
  while (tokens.length > 1 && tokens[0]!.length <= 6 && !/[了要在将把对]/.test(tokens[0]!)) who.push(tokens.shift()!);
  return who.length ? `${who.join("、")}${verb}，${tokens.join(" ")}` : l;
}

/** Things said in a speech that are about the speaking, not its content (spoken transcripts). */
const META_CLAUSE =
  /^(?:(?:下面|现在|接下来)(?:请|由).*|今天(?:就是|主要是?)?(?:说|讲)(?:一下|一说|一讲).*|我(?:先|就|来)?(?:讲|说)(?:几点|几句|两句|两点|三点)(?:吧|啊)?|(?:大家)?欢迎|谢谢.*|散会|请大家(?:抓好|认真)?落实|主要是(?:说一下|听听|讲一下|讲讲).*|(?:好)?(?:那)?我(?:就)?简单(?:说|讲)(?:几句|两句|一下)|我(?:来)?(?:说|讲)(?:一)?下(?:具体)?(?:安排|要求)?|(?:好)?就(?:这些|这样|说这些|讲这些)|补充(?:一下|两句|几句)|各位|大家好|同志们|今天把大家叫过来|今天(?:把大家)?(?:叫|请)?(?:大家)?(?:过来|来)?|主要是(?:说一下|听听|讲一下|讲讲)|我先说几个数|先说个情况|我(?:先)?说几个|我看看|对|这个数不低|具体(?:的要求|怎么落实)|一会儿?请.*|请[\u4e00-\u9fff]{1,4}(?:给大家)?讲.*|我补充(?:两句|一下|几句|一句)|下面我(?:讲|说)|我就(?:讲|说)(?:这些|这么多|到这)|好|我?(?:先|就|来)?(?:简单)?(?:说|讲|汇报|通报|介绍)(?:一下|两句|几句|一句)(?:情况|有关情况|具体安排|几个数)?|(?:最后|再|另外|然后)(?:我)?(?:说|讲|强调)一下[\u4e00-\u9fff]{0,4}|补充一句|就这样|(?:各位|大家|同志们)?(?:上午|下午|晚上)好|今天(?:我们)?把大家(?:叫|请|召集)(?:过)?来(?:开个会)?)$/;

/** Spoken fillers (removed with the comma after them). */
const FILLERS: [RegExp, string][] = [
  [/[嗯呃]+[，,、…]*/g, ""],
  [/(^|[，。：；])(?:那个|这个|就是|然后|那么|啊|哎)[，,]/g, "$1"],
  [/(^|[，。：；])(?:那个|这个|就是|然后)[，,]/g, "$1"],
  [/[，,](?:那个|这个|就是|啊)(?=[，,。])/g, ""],
  [/呢[，,](?=[\d零〇一二两三四五六七八九十百])/g, ""],
  [/(?<=[\u4e00-\u9fff])[啊呢吧呀](?=[，,。！!？?])/g, ""],
  // tag questions: "…的地方，对吧。"
  [/[，,]?(?:对吧|对不对|是吧|是不是啊?)(?=[，,。！!？?]|$)/g, ""],
  // a question the speaker answers: "为什么要开这个会？因为末端是…" → "末端是…"
  [/(?:^|(?<=[。！？：:]))[^。！？]{2,30}？\s*因为/g, ""],
  [/……+|…+/g, ""],
  [/我看看|我想想|怎么说呢/g, ""],
  [/是?大概(?:是)?(?=\d)|大约是(?=\d)/g, "约"],
  [/([\u4e00-\u9fff])儿(?=[，,。；\s]|$)/g, "$1"],
  [/(块|点|事|会)儿/g, "$1"],
  [/咱们/g, ""],
  // "今天这个会呢，主要是…": the meeting spoken of is 此次会议; "我们大家" is 大家; "还有一个，就是…" only announces a point
  [/(?:今天|今日)?这个会(?:议)?(?:呢)?[，,]?(?=主要|是|就是|要)/g, "此次会议"],
  [/我们大家/g, "大家"],
  [/(^|[。：:]\s*)(?:还有一个|另外一个|再一个|还有一点)(?:事|问题)?[，,]\s*(?:就是)?[，,]?/g, "$1"],
  [/约(\d+(?:\.\d+)?(?:万|亿)?)多/g, "$1多"],
];

/** 百分之十一点五, 三百一十二, 四万三千: spoken numerals with a unit, 百分之 or a decimal point. */
const SPOKEN_NUMBER = /(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(?:点([零〇一二三四五六七八九]+))?(多|余)?/g;

const DIGIT = "零一二三四五六七八九";

/** A figure with its unit at the end of a text (2860万件, 9.3%, 10小时). */
const FIGURE_END = /\d(?:\.\d+)?(?:万|亿)?(?:件|个|家次|家|起|元|%|人|台|处|组|副|辆|吨|次|条|项|所|小时|天|公斤|米)$/;

/** A line dropped whole (only talk about the talking). */
const GONE = "\u0000";

/** Left where a turn said "我补充两句" (the turn is then written as 补充). */
const ADDS = "〔补充〕";

const SPOKEN_ORDINAL =
  /^(\s*)(?:但是|那么|首先|另外|还有)?[，,]?第([一二三四五六七八九十])(?:个(?:事|方面|问题)?|点|条|方面)?(?:呢)?[，,：:、]\s*(?:就是[，,]?)?\s*/;

function spokenNumbers(s: string): string {
  // 十二月五号 → 12月5日 (spoken dates)
  s = s.replace(/([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})[日号]/g, (m, mo: string, d: string) => {
    const a = parseChineseNumeral(mo);
    const b = parseChineseNumeral(d);
    return a && b && a <= 12 && b <= 31 ? `${a}月${b}日` : m;
  });
  return s.replace(
    SPOKEN_NUMBER,
    (
      m,
      pct: string | undefined,
      int: string,
      frac: string | undefined,
      more: string | undefined,
      offset: number,
      all: string,
    ) => {
      const after = all.slice(offset + m.length);
      // small counts (三点, 五个方面, 两项) and words (一起, 万一) stay as written: only 百分之, decimals,
      // and numerals with 百/千/万/亿 and at least one more character are figures
      // (and a count of tens with its unit, 二十四小时 → 24小时, 三十多人 → 30多人)
      const tens =
        all[offset - 1] !== "第" &&
        /十/.test(int) &&
        int.length >= 2 &&
        /^(?:小时|分钟|天|个|人|名|家|件|起|处|台|辆|条|次|项|所|组|副|吨|公斤|米|公里|倍|元|户|批|场)/.test(after);
      if (!pct && !frac && !(/[百千万亿]/.test(int) && int.length >= 2) && !tens) return m;
      if (!pct && !/^[\u4e00-\u9fff%]/.test(after)) return m;
      const v = parseChineseNumeral(int);
      if (v === null) return m;
      const f = frac ? [...frac].map((c) => DIGIT.indexOf(c === "〇" ? "零" : c)).join("") : "";
      let value = f ? `${v}.${f}` : String(v);
      if (!pct && /万/.test(int) && v >= 10_000 && !f) value = `${Number((v / 10_000).toFixed(4))}万`;
      return pct ? `${value}%${more ?? ""}` : `${value}${more ?? ""}`;
    },
  );
}

/** 同比+18% → 同比增长18%; 环比 -8% → 环比下降8%; a bare +9.6% after a figure is 同比 only where the table says so. */
export function houseFigures(s: string): string {
  return (
    s
      // chat figures: 3.6w件 → 3.6万件; 3.6万件/天 → 日均3.6万件
      .replace(/(\d+(?:\.\d+)?)\s*[wW](?![a-zA-Z])/g, "$1万")
      .replace(
        /(约)?(\d+(?:\.\d+)?(?:万|亿)?[\u4e00-\u9fff]?)\/(?:天|日)/g,
        (_m, about: string | undefined, v: string) => `日均${about ?? ""}${v}`,
      )
      .replace(
        /(?<![\d./])(\d{1,2})\/(\d{1,2})(?![\d./%])(?=前|后|起|止|上午|下午|晚|[，,\s]|$)/g,
        (m, mo: string, d: string) => (Number(mo) <= 12 && Number(d) <= 31 ? `${Number(mo)}月${Number(d)}日` : m),
      )
      .replace(/(?<![\d./])(\d{1,2})\.(\d{1,2})(?![\d./%])(?=前|后|起|止|上午|下午)/g, (m, mo: string, d: string) =>
        Number(mo) <= 12 && Number(d) <= 31 ? `${Number(mo)}月${Number(d)}日` : m,
      )
      .replace(/(同比|环比)\s*[+＋]\s*(\d)/g, "$1增长$2")
      .replace(/(同比|环比)\s*[-－−]\s*(\d)/g, "$1下降$2")
      .replace(/(?:多了|涨了|增加了|上升了|增长了)(?=\d+(?:\.\d+)?%)/g, "增长")
      .replace(/(?:少了|降了|减少了|下降了)(?=\d+(?:\.\d+)?%)/g, "下降")
      .replace(/(\d)\s*号(?=[前后之，,。\s]|$)/g, "$1日")
      .replace(/(\d日)之前/g, "$1前")
      .replace(/约(\d+(?:\.\d+)?(?:万|亿)?)多/g, "$1多")
  );
}

/** "| a | b |" rows → "a b，同比c" lines; the header row names the columns, the separator row goes. */
function tables(lines: string[]): string[] {
  const out: string[] = [];
  let header: string[] | null = null;
  for (const line of lines) {
    const cells = line
      .match(/^\s*\|(.*)\|\s*$/)?.[1]
      ?.split("|")
      .map((c) => c.trim());
    if (!cells) {
      header = null;
      out.push(line);
      continue;
    }
    if (cells.every((c) => /^:?-{2,}:?$/.test(c) || !c)) continue;
    if (!header) {
      header = cells;
      continue;
    }
    const [name, ...rest] = cells;
    const parts = rest
      .map((c, i) => ({ c, h: header![i + 1] ?? "" }))
      .filter(({ c }) => c && !/^[—\-–－]+$/.test(c))
      .map(({ c, h }) =>
        /^[+＋\-－−]/.test(c) && /同比|环比/.test(h)
          ? `${h.match(/同比|环比/)![0]}${c}`
          : /^[+＋]\d/.test(c)
            ? `增长${c.slice(1)}`
            : /^[-－−]\d/.test(c)
              ? `下降${c.slice(1)}`
              : c,
      );
    if (parts.length) out.push(`- ${name}${parts.join("，")}`);
  }
  return out;
}

/** What follows a person's shorthand (王局要求, 周局讲了, 陈副：, （邵局长）). */
const AFTER_SHORT =
  "要求|强调|指出|讲|说|补充|主持|表示|提出|介绍|通报|汇报|发言|宣读|部署|提醒|总结|传达|带队|出席|参加|审核|签发|牵头|负责|最后|随后|先|又|再|也|还|就|对|作|[：:，,。；、\\s（()）]|$";

/** Person shorthand the notes define or imply → full name. */
function shorthand(text: string): Map<string, string> {
  const map = new Map<string, string>();
  const full = new Set<string>();
  // 林局（林国栋）, 陈副（陈海燕）, 小郑（郑凯）, 龙副局长（龙海英）: the notes define the shorthand
  // (the bracket may add the unit or the role: 小蒋（蒋雨桐，办公室）, 麦副（麦颖珊，主持）)
  for (const m of text.matchAll(
    /((?:小|老)?[\u4e00-\u9fff]{1,2}(?:局长|副局长|局|副|处长|处|科长|主任|书记)?)[（(]([\u4e00-\u9fff]{2,4})(?:[，,、][^（）()]{1,16})?[)）]/g,
  )) {
    const [, short, name] = m;
    if (short === name || name!.length < 2) continue;
    const sur = name![0]!;
    if (short!.replace(/^[小老]/, "")[0] !== sur) continue;
    map.set(short!, name!);
    full.add(name!);
  }
  // full names the notes give with a title or in a role line
  for (const m of text.matchAll(
    new RegExp(
      `(?:${TITLES.join("|")}|主持|讲话|出席|[:：\\s])\\s*([\\u4e00-\\u9fff]{2,3})(?=[（(，,。；、\\s]|$|主持|讲话|出席|通报|汇报|作|在|同志|指出|强调|要求)`,
      "g",
    ),
  )) {
    if (looksLikeName(m[1]!)) full.add(m[1]!);
  }
  for (const m of text.matchAll(new RegExp(`([\\u4e00-\\u9fff]{2,3})\\s*(?:${TITLES.join("|")})`, "g"))) {
    const p = parsePerson(m[0]);
    if (p && p.name.length >= 2 && !/^[\u4e00-\u9fff](?:局长|副局长|处长|科长)$/.test(p.name)) full.add(p.name);
  }
  for (const m of text.matchAll(/(?:^|\n)([\u4e00-\u9fff]{2,3})[（(][^）)]*[)）][:：]/g)) full.add(m[1]!);
  // "王建新（局长）、李红梅（副局长）": a name with its title in brackets
  for (const m of text.matchAll(new RegExp(`([\\u4e00-\\u9fff]{2,3})[（(][^）)]*?(?:${TITLES.join("|")})[)）]`, "g")))
    if (looksLikeName(m[1]!)) full.add(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)([\u4e00-\u9fff]{2,3})[:：]/g)) if (looksLikeName(m[1]!)) full.add(m[1]!);
  // a bare 王局 / 邵局长 / 孟处长 / 陈副: the one full name with that surname
  for (const m of text.matchAll(
    new RegExp(`([\\u4e00-\\u9fff])(副局长|局长|处长|科长|主任|局|副)(?=${AFTER_SHORT})`, "g"),
  )) {
    const short = m[1]! + m[2]!;
    if (map.has(short)) continue;
    // (叶局长, 龙副局 are the shorthand itself, not a full name)
    const names = [...full].filter((n) => n[0] === m[1] && !/[局副长处科]/.test(n.slice(1)));
    if (names.length === 1 && !/^[省市区县分总本该各全]/.test(short)) map.set(short, names[0]!);
  }
  return map;
}

/** 青岛市局 → 青岛市邮政管理局 (from 备注：A＝B, or a full name in the notes that the short one abbreviates). */
function orgAliases(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of text.matchAll(/([\u4e00-\u9fff]{2,12}?)\s*[=＝]\s*([\u4e00-\u9fff（）()]{3,30})/g))
    map.set(m[1]!, m[2]!);
  const fulls = new Set([...text.matchAll(/[\u4e00-\u9fff]{2,8}?(?:省|市|自治区|区|县)邮政管理局/g)].map((m) => m[0]));
  // a bare 省局 / 市局 / 自治区局 (not 各市局, 16个市局): the one bureau of that level the notes name in full
  for (const level of ["省", "市", "自治区"]) {
    const f = [...fulls].filter((x) => new RegExp(`${level}邮政管理局$`).test(x) && (level !== "区" || true));
    const sameLevel = level === "市" ? f.filter((x) => !/自治区邮政管理局$/.test(x)) : f;
    if (
      sameLevel.length === 1 &&
      new RegExp(`(?<![\\u4e00-\\u9fff个各全本该两三四五六七八九十\\d])${level}局`).test(text)
    )
      map.set(`${level}局`, sameLevel[0]!);
  }
  for (const m of text.matchAll(/([\u4e00-\u9fff]{2,5}?(?:省|市|自治区|区|县))局/g)) {
    const short = m[0];
    if (map.has(short)) continue;
    const f = [...fulls].filter((x) => x.startsWith(m[1]!) && x.endsWith("邮政管理局"));
    if (f.length === 1) map.set(short, f[0]!);
  }
  // "台州局", "柳州局": a place name and 局, standing for the one bureau of that place the notes name in full
  // (台州市邮政管理局); not a bureau of another kind (公安局) nor a level word (市局, 各县局)
  for (const f of fulls) {
    const stem = f.match(/^([\u4e00-\u9fff]{2,6}?)(?:省|市|自治区|地区|州|盟|县|区)邮政管理局$/)?.[1];
    if (!stem || /^[省市区县各全本该]/.test(stem) || map.has(`${stem}局`)) continue;
    if ([...fulls].filter((x) => x.startsWith(stem)).length !== 1) continue;
    if (new RegExp(`${stem}局(?!长)`).test(text)) map.set(`${stem}局`, f);
  }
  // a unit's shorthand (安监科, 市场科): the one unit the notes name in full with the same first and last character
  // and the shorthand's characters in order (安全监管科); a unit the notes never give in full stays as written
  const units = new Set(
    [...text.matchAll(/[\u4e00-\u9fff]{4,8}?(?:科|处)/g)]
      .map((m) => m[0].replace(/^.*?(?:邮政管理局|管理局|市局|省局)/, ""))
      .filter((u) => u.length >= 4),
  );
  for (const m of text.matchAll(/[\u4e00-\u9fff]{2}(?:科|处)/g)) {
    const short = m[0];
    if (map.has(short)) continue;
    const f = [...units].filter(
      (u) =>
        u.length > short.length &&
        u[0] === short[0] &&
        u.slice(-1) === short.slice(-1) &&
        new RegExp([...short].join(".*")).test(u),
    );
    if (f.length === 1 && !f[0]!.includes(short)) map.set(short, f[0]!);
  }
  return map;
}

/** A jotted header: "温州市局 周例会 12/3 下午 3楼小会议室" → labelled lines. */
function header(raw: string): string[] | null {
  // "【柳州局 寄递渠道…联席会议】": a header in brackets is a header too
  const line = raw.trim().replace(/^[【[]([^】\]]+)[】\]]$/, "$1");
  // "碰头会（杭州市局）": the bureau in brackets after the meeting is a token of its own;
  // "讲话录音（3月14日）": a date in brackets after what the paper is, a token of its own
  const tokens = line
    .replace(/[（(]([\u4e00-\u9fff]{2,12}局)[)）]/g, " $1")
    .replace(/[（(]((?:\d{4}年)?\d{1,2}月\d{1,2}日[^）)]{0,4}|\d{1,2}[./]\d{1,2})[)）]/g, " $1")
    .split(/\s+/)
    .filter(Boolean)
    // "台州局周例会" typed without a space: the bureau and the meeting
    .flatMap(
      (t) => t.match(/^([\u4e00-\u9fff]{2,12}?(?:邮政管理局|局))([\u4e00-\u9fff]{1,30}(?:会|会议))$/)?.slice(1) ?? [t],
    );
  if (tokens.length < 2 || /[，。：]|[:：](?!\d)|召开|举行|举办/.test(line.replace(/[（(][^（）()]{2,14}[)）]/g, "")))
    return null;
  const out: string[] = [];
  let time = "";
  for (const t of tokens) {
    // (any bureau: 台州局, 柳州局, 市局, …邮政管理局; its full name is resolved with the other shorthand)
    if (/(?:局|公司)$/.test(t) && /^[\u4e00-\u9fff]{2,20}$/.test(t) && !out.some((l) => l.startsWith("主办")))
      out.push(`主办：${t}`);
    else if (/(?:会议室|报告厅|会场|楼)$|^\d+楼/.test(t)) out.push(`地点：${t}`);
    else if (/^\d{1,2}[./]\d{1,2}$|\d+月\d+日|^\d{4}[-./]\d{1,2}[-./]\d{1,2}/.test(t)) time = `${t}${time}`;
    else if (/^(?:上午|下午|晚上|全天)/.test(t) || /^\d{1,2}[:：]\d{2}$/.test(t)) time += t;
    else if (/(?:会|会议|例会|座谈会|推进会|调度会|培训班)$/.test(t)) out.push(`会议：${t}`);
    else if (/^(?:记录|纪要|会议记录|笔记|讲话录音|录音|录音整理|速记|主持词)$/.test(t)) continue;
    else return null;
  }
  if (time) out.push(`时间：${time}`);
  return out.some((l) => l.startsWith("会议")) ? out : null;
}

/**
 * The paper's own heading: "南宁市邮政管理局2025年第三季度安全形势分析会会议纪要" → 主办：/会议： lines;
 * a host's script ("…部署会主持词（姜红副局长用）") also names its chair.
 */
function paperHeading(line: string): string[] | null {
  const m = line
    .trim()
    .match(
      /^([\u4e00-\u9fff]{2,12}?(?:邮政管理局|省局|市局|管理局))?\s*((?:\d{4}年)?[\u4e00-\u9fff“”"\d]{2,40}?(?:会议|会|班))\s*(?:会议)?(纪要|记录|主持词|主持稿|笔记)\s*(?:[（(]([^）)]{2,16})[)）])?$/,
    );
  if (!m) return null;
  const [, org, meeting, kind, note] = m;
  const out = [...(org ? [`主办：${org}`] : []), `会议：${meeting}`];
  const chair =
    kind!.startsWith("主持") && note?.match(/^([\u4e00-\u9fff]{2,4}?)(?:同志)?(副?局长|副?主任|处长|科长)?(?:用|稿)$/);
  if (chair && looksLikeName(chair[1]!)) out.push(`主持：${chair[2] ?? ""}${chair[1]}`);
  return out;
}

const LABEL_START = /^\s*[\u4e00-\u9fff]{1,10}[:：]/;
const LIST_START =
  /^\s*(?:[-*•·]\s*|\d{1,2}\s*[.．、)）](?!\d)|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[）)]|[①-⑳])/;

/**
 * Line structure after the rewrite: several labels on one line are split (填报：… 审核：… 日期：…);
 * a bullet is a list item only under a line that announces a list (ending in a colon), else a plain
 * line (chat jottings put "- " before everything); 议程：/内容： lines go and their numbered items
 * become plain sentences; speech turns ("冯德宽：…") become 指出/强调/要求 lines of that speaker; the
 * spaces left between words are pauses.
 */
function structure(input: string[]): string[] {
  const lines: string[] = [];
  for (const l of input) {
    // ("会议时间：…上午，地点：…": a label after a comma starts a line too)
    // ("撰稿：…；审核：…": a signoff's labels parted by ；)
    const parts = l.split(
      /\s+(?=[\u4e00-\u9fff]{2,4}[:：])|[，,](?=(?:会议)?(?:时间|地点|主持|主办|参加|出席|形式)[:：])|[；;](?=(?:撰稿|审核|执笔|填报|填表|整理|审定|签发)[:：])/,
    );
    if (parts.length > 1 && parts.every((p) => LABEL_START.test(p))) lines.push(...parts);
    else lines.push(l);
  }
  const out: string[] = [];
  let inList = false;
  let bulletList = false;
  let agenda = false;
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    if (!l.trim()) {
      inList = false;
      agenda = false;
      out.push(l);
      continue;
    }
    if (/^\s*(?:会议)?(?:议程|议题|内容|主要内容|会议内容)[:：]\s*$/.test(l)) {
      agenda = true;
      out.push("");
      continue;
    }
    const list = LIST_START.test(l) || /^\s*[一二三四五六七八九十]{1,2}、/.test(l);
    if (agenda && list) l = l.replace(LIST_START, "").replace(/^\s*[一二三四五六七八九十]{1,2}、\s*/, "");
    else if (agenda && LABEL_START.test(l)) agenda = false;
    // a bullet is a list item only in a list of bullets announced by a colon line
    const bullet = /^\s*[-*•·]/.test(l);
    if (!agenda && bullet && !(inList && (bulletList || !out.length || /[:：]\s*$/.test(out[out.length - 1]!))))
      l = l.replace(/^\s*[-*•·]\s*/, "");
    else if (list && inList && /[:：]\s*$/.test(out[out.length - 1] ?? "")) bulletList = bullet;
    if (!list) {
      inList = /[:：]\s*$/.test(l);
      bulletList = false;
    }
    // pauses typed as spaces: in a line with no punctuation they are commas ("市局召开了调度会 王局长主持"),
    // elsewhere they join ("派费指引标准 下周上会", "市场科 郑凯")
    // a space before 二是/三要 parts two points
    l = l.replace(/\s+(?=[一二三四五六七八九十][是要](?![否的]))/g, "，");
    const bare = !/[，。；：、,;:]/.test(
      l.replace(/^\s*(?:[-*•·]|\d{1,2}\.)\s*/, "").replace(/^[^，。：:]{1,12}[：:]/, ""),
    );
    l = l.replace(/(?<=[\u4e00-\u9fff\d%”])\s+(?=[\u4e00-\u9fff“\d])/g, (_m, off: number, all: string) => {
      const left = all.slice(0, off);
      const right = all.slice(off).trim();
      if (/\d$/.test(left) && /^\d/.test(right)) return " "; // "2024-11-05 14:00"
      const lw = left.match(/[^\s，。；：、,;:]*$/)![0];
      const rw = right.match(/^[^\s，。；：、,;:]*/)![0];
      // after a figure, before or after a date, or between two clauses: a comma
      if (FIGURE_END.test(left) || /^\d{1,2}月\d{1,2}日/.test(right) || /\d{1,2}月\d{1,2}日(?:前|后)?$/.test(left))
        return "，";
      // a unit and a name (市场科 郑凯), a name and its verb (马俐 通报): one word
      if (
        /[科处局室司部办长员任]$/.test(left) ||
        /^(?:通报|汇报|主持|讲话|介绍|发言|交流|要求|强调|出席|参加|补充)/.test(right)
      )
        return "";
      const cjk = (w: string) => w.replace(/[^\u4e00-\u9fff]/g, "").length;
      if (bare || (cjk(lw) >= 4 && cjk(rw) >= 4)) return "，";
      return "";
    });
    out.push(l);
  }
  return turns(out);
}

/** "冯德宽：…" (a transcript's speech turn) → "冯德宽指出：…", its numbered points under "冯德宽强调：", what follows them under "冯德宽要求："; other turns → "孟雪补充：…". */
function turns(lines: string[]): string[] {
  const out: string[] = [];
  const all = lines.join("\n");
  let main: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    // ("普服科何思源：…": the unit before the name is their post)
    const u = lines[i]!.match(/^([\u4e00-\u9fff]{2,8}?(?:科|处|室|办|中心|部))([\u4e00-\u9fff]{2,3})[:：](.*)$/);
    const m =
      u && looksLikeName(u[2]!)
        ? [u[0], u[2]!, u[1]!, u[3]!]
        : lines[i]!.match(/^([\u4e00-\u9fff]{2,4})(?:[（(]([^）)]{1,20})[)）])?[:：](.*)$/);
    if (!m || !looksLikeName(m[1]!)) {
      out.push(lines[i]!);
      continue;
    }
    const [, name, title, first] = m as [string, string, string | undefined, string];
    const body = [first!.trim()];
    // (another label or turn ends it: "林海波补充：…", "普服科何思源：…")
    while (
      i + 1 < lines.length &&
      lines[i + 1]!.trim() &&
      !/^\s*[\u4e00-\u9fff]{2,10}(?:[（(][^）)]{1,20}[)）])?[:：]/.test(lines[i + 1]!)
    ) {
      // a plain line after the turn's numbered points is a jotting of its own ("会后发通知")
      if (
        LIST_START.test(body[body.length - 1] ?? "") &&
        !LIST_START.test(lines[i + 1]!) &&
        !/^[一二三四五六七八九十][是要]/.test(lines[i + 1]!)
      )
        break;
      body.push(lines[++i]!.trim());
    }
    const who = `${title ? title.trim() : ""}${name}`;
    const ordinal = (s: string) => /^[一二三四五六七八九十][是要]/.test(s);
    if (!main && body.some(ordinal)) main = name!;
    if (name !== main) {
      // (numbered points inside the turn are run together, parted by ；)
      const hasList = body.some((b) => LIST_START.test(b));
      const text = body
        .filter(Boolean)
        .map((b, k) =>
          k > 0 && LIST_START.test(b) ? `；${b.replace(LIST_START, "").trim()}` : b.replace(LIST_START, "").trim(),
        )
        .join("")
        .replace(/[：:]；/g, "：");
      // another person's turn: 补充 when they said so, 要求 when it directs (a list, …前报, 必须, 不得), else 指出
      // (one the notes elsewhere say reported, "市场监管科科长卞强通报情况": 通报)
      const reported = new RegExp(`${name}[^，。；\\n]{0,3}(?:通报|汇报|介绍)`).test(all);
      // (a turn that asks — 请各企业…, 别漏报, 每天报… — directs; one that tells what was done, 已约谈…, reports)
      const asks = /^请|[，,。]请(?:各|大家)|别[\u4e00-\u9fff]|每[天日周月][^，。]{0,4}报/.test(text);
      // (not the one the notes say gave the speech: their figures are their remarks)
      const speaks = new RegExp(`讲话[^\\n]{0,12}${name}|${name}[^\\n，。]{0,6}讲话`).test(all);
      const done = !speaks && /^(?:已|共|截至|今年以来|全市|本月|上月|目前)/.test(text);
      const verb = text.includes(ADDS)
        ? "补充"
        : reported || (done && !asks)
          ? "通报"
          : hasList || asks || /必须|须|不得|不准|严禁|前[^，。]{0,12}(?:报|完成)|开始/.test(text)
            ? "要求"
            : "指出";
      // (a briefing names the one reporting with the post the notes give them: 市场监管科科长卞强通报)
      const post =
        verb === "通报" && !title
          ? all.match(
              new RegExp(`([\\u4e00-\\u9fff]{2,10}?(?:科|处|室|办|中心)(?:副?科长|副?处长|副?主任))${name}`),
            )?.[1]
          : undefined;
      out.push(
        `${post ?? ""}${who}${verb}：${text
          .split(`${ADDS}，`)
          .join("")
          .split(ADDS)
          .join("")
          .replace(verb === "要求" ? /^请/ : /^$/, "")}`,
      );
      continue;
    }
    const firstOrd = body.findIndex(ordinal);
    let lastOrd = firstOrd;
    while (lastOrd + 1 < body.length && ordinal(body[lastOrd + 1]!)) lastOrd++;
    const before = body.slice(0, firstOrd).filter(Boolean).join("");
    if (before) out.push(`${name}指出：${before}`);
    out.push(`${name}强调：`, ...body.slice(firstOrd, lastOrd + 1));
    const after = body
      .slice(lastOrd + 1)
      .filter(Boolean)
      .join("");
    if (after) out.push("", `${name}要求：${after.split(ADDS).join("")}`);
    out.push("");
  }
  return out;
}

export interface CleanNotes {
  /** The notes in plain form, for the parser. */
  text: string;
  /** Shorthand resolved (林局 → 林国栋, 青岛市局 → 青岛市邮政管理局). */
  aliases: Map<string, string>;
}

/** A sender line of a chat log: "叶晓敏 11-18 09:12", "张三 2025/11/18 09:12:05", "李四 昨天 9:12". */
const SENDER =
  /^\s*[\u4e00-\u9fff]{2,4}\s+(?:(?:\d{4}[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?\s+|(?:今天|昨天|前天|上午|下午|晚上)\s*)?\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s*$/;
/** A reply that only acknowledges (收到, 好的, 👌, 1, 收到，马上落实). */
const ACK =
  /^\s*(?:(?:收到|好的|已阅|明白|了解|OK|ok|1|谢谢|辛苦了?)[!！。，,~～\s]*)*(?:(?:马上|立即|按要求|坚决)?(?:落实|执行|办理|转发|安排))?[!！。，,~～]*\s*$/;
/** A sender prefix on the message's own line: "叶晓敏 11-18 09:12 今天上午…", "[09:12] 叶晓敏：…". */
const SENDER_PREFIX =
  /^\s*(?:[\u4e00-\u9fff]{2,4}\s+(?:(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}\s+)?\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s+(?=\S)|[\[【(（]\d{1,2}[:：]\d{2}(?:[:：]\d{2})?[\]】)）]\s*[\u4e00-\u9fff]{2,4}[:：]\s*)/;

/**
 * A chat-group relay (a log pasted from the group): sender lines, acknowledgements and the 【转发】 header go;
 * the first message's date and the group's bureau ("丽水市局工作群") stay, as 时间：/主办： lines at the top.
 * Not a relay (fewer than two sender lines): the text as it is.
 */
function relay(text: string): string {
  const lines = text.split("\n");
  const senders = lines.filter((l) => SENDER.test(l) || SENDER_PREFIX.test(l));
  if (senders.length < 2) return text;
  const out: string[] = [];
  // the first message's date ("11-18", "2025/11/18")
  const first = senders
    .map((l) =>
      (l.match(SENDER)?.[0] ?? l.match(SENDER_PREFIX)?.[0] ?? "").match(/(?:^|\D)(\d{1,2})[-/.月](\d{1,2})(?!\d)/),
    )
    .find((m) => m);
  for (const l of lines) {
    if (SENDER.test(l) || (ACK.test(l.replace(SENDER_PREFIX, "").replace(EMOJI, "")) && l.trim())) continue;
    const head = l.match(/^\s*[【[]?(?:转发|聊天记录|群聊)[】\]]?\s*[:：]?\s*(.*)$/);
    if (head) {
      const bureau = head[1]!.match(/([\u4e00-\u9fff]{2,12}?(?:邮政管理局|省局|市局|区局|县局))(?:工作)?群/);
      if (bureau) out.unshift(`主办：${bureau[1]}`);
      continue;
    }
    out.push(l.replace(SENDER_PREFIX, "").replace(/@(?:所有人|全体成员|全体)\s*/g, ""));
  }
  if (first && Number(first[1]) <= 12 && Number(first[2]) <= 31 && !out.some((l) => /^\s*(?:时间|日期)[:：]/.test(l)))
    out.unshift(`时间：${Number(first[1])}月${Number(first[2])}日`);
  return out.join("\n");
}

/** Marks of a host's running order (主持词): the agenda announced item by item. */
const HOST_MARK =
  /下面进行第[一二两三四五六七八九十\d]+项|会议(?:共)?有[一二两三四五六七八九十\d]+项议程|进行(?:下一|第[一二两三四五六七八九十\d]+)项议程|(?:^|\n)\s*(?:首先|其次|接下来|下面)[，,]?请[^\n]*\n(?:[^\n]*\n)*?\s*(?:接下来|下面|最后|其次)[，,]?请/;

/**
 * A host's running order (主持词) → the notes it stands for: the host's own talk goes (同志们, 会议有三项议程,
 * 下面进行第X项, 刚才X作了重要讲话，希望大家认真抓好落实, 散会), what each item was stays ("请A通报B" →
 * "A通报B", "请X讲话" → "X讲话"), "出席今天会议的有…" is the 出席 line, and what the host asks at the end
 * ("会后请各单位…") is the host's requirement, once the host is known (主持： from the heading).
 */
function hostScript(text: string): string {
  if (!HOST_MARK.test(text)) return text;
  // the host: "主持词（姜红副局长用）", "主持：姜红", "由姜红主持"
  const host = (text.match(
    /主持(?:词|稿)\s*[（(]([\u4e00-\u9fff]{2,4}?)(?:同志)?(?:副?局长|副?主任|处长|科长)?(?:用|稿)?[)）]/,
  ) ??
    text.match(
      /^\s*主持人?[:：]\s*(?:[\u4e00-\u9fff]{0,16}?(?:副?局长|副?主任|处长|科长))?\s*([\u4e00-\u9fff]{2,4}?)\s*$/m,
    ) ??
    text.match(/由(?:副?局长|副?主任|处长|科长)?([\u4e00-\u9fff]{2,4}?)(?:同志)?主持/))?.[1];
  return text
    .split("\n")
    .map((l) => {
      let s = l.trim();
      if (/^(?:同志们|各位领导|各位同志)[，,：:！!]?$/.test(s)) return "";
      s = s.replace(/^(?:同志们|各位领导、?(?:同志们)?)[，,：:]\s*/, "");
      s = s.replace(
        /(?:^|(?<=[。；]))[^。；]*?(?:会议(?:共)?有[一二两三四五六七八九十\d]+项议程|散会|休会)[^。；]*[。；]?/g,
        "",
      );
      s = s.replace(
        /(?:^|(?<=[。；]))[^。；]*?刚才[^。；]*?(?:作了|讲了)[^。；]*?(?:讲话|报告|发言)[^。；]*[。；]?/g,
        "",
      );
      s = s.replace(
        /(?:^|(?<=[。；，,]))[^。；，,]*?希望(?:大家|各单位)?(?:认真)?(?:抓好|贯彻|抓紧)?(?:落实|执行)[^。；]*[。；]?/g,
        "",
      );
      s = s.replace(
        /^(?:下面|现在|接下来)?(?:进行|开始)?(?:第[一二三四五六七八九十\d]+|下一)项(?:议程)?[，,：:]?\s*/,
        "",
      );
      s = s.replace(
        /^(?:首先|其次|接下来|下面|现在|最后)?[，,]?请(?=[^，。]{2,30}(?:通报|汇报|讲话|发言|介绍|作|宣读|致辞|传达|总结|颁奖))/,
        "",
      );
      s = s.replace(/[，,]?\s*(?:请)?(?:大家)?(?:热烈)?欢迎[。！!]?|[（(](?:鼓掌|掌声)[)）]/g, "");
      s = s.replace(/^(?:今天|今日|本次)?[，,]?\s*我们(?:在这里)?(?=召开|举行|举办)/, "");
      // the host's stage directions ("请颁奖领导上台，礼仪人员就位") go; an item the host only names ("为获奖选手颁奖") is the meeting's
      s = s.replace(/(?:^|(?<=[。；！!]))[^。；！!]*?(?:上台|就位|就座|落座|入场|退场|起立)[^。；！!]*[。；！!]?/g, "");
      s = s.replace(/^(为|向)(?=[\u4e00-\u9fff]{2,20}(?:颁奖|颁发|授牌|授旗|颁证))/, "会议$1");
      // a host's note in brackets after an item ("…宣读表彰决定。（本次竞赛共有…）"): a sentence of its own
      s = s.replace(/([。；])[（(]([^（）()]{8,})[)）]$/, (m, end: string, inner: string) =>
        INTERNAL.test(inner) ? m : `${end}${inner}。`,
      );
      // "出席今天会议的有…。参加会议的有…": lines of their own
      s = s
        .replace(/(?:^|(?<=[。；]))出席(?:今天|本次)?会议的(?:领导)?有[:：]?/g, "\n出席：")
        .replace(/(?<=[。；])(?=参加(?:今天|本次)?会议的(?:还)?有)/g, "\n")
        .replace(/^\n/, "");
      // the host's requests at the end: "会后请各单位于11月10日前将…报送…"
      if (host && /^(?:会后|最后)?[，,]?请(?:各单位|各企业|大家|各县|各区|各市)/.test(s))
        s = `${host}要求：${s.replace(/^(?:(会后)|最后)?[，,]?请/, "$1")}`;
      return s;
    })
    .filter((l, i, all) => l || (i > 0 && all[i - 1]))
    .join("\n");
}

/**
 * A heading line in brackets that carries labels ("（11月26日上午，主持人：大连市邮政管理局副局长 宫晓东）"): one
 * labelled line each, a date alone being the 时间.
 */
function bracketLabels(text: string): string {
  return text
    .split("\n")
    .flatMap((l) => {
      const m = l.trim().match(/^[（(]([^（）()]+)[)）]$/);
      if (!m || INTERNAL.test(m[1]!)) return [l];
      const parts = m[1]!
        .split(/[，,；;]/)
        .map((x) => x.trim())
        .filter(Boolean);
      const label = (x: string) => /^[\u4e00-\u9fff]{2,5}[:：]/.test(x);
      const date = (x: string) => /^(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚上)?$/.test(x);
      if (parts.length < 2 || !parts.some(label) || !parts.every((x) => label(x) || date(x))) return [l];
      return parts.map((x) => (date(x) ? `时间：${x}` : x));
    })
    .join("\n");
}

export function cleanNotes(raw: string): CleanNotes {
  let text = hostScript(relay(bracketLabels(normalizeText(raw))))
    // "韦志刚同志出席", "黄秋萍同志主持": the honorific goes (the bulletins name people without it)
    .replace(/([\u4e00-\u9fff]{2,3})同志(?=[，,。、；出主讲指强要在作参通汇介发]|$)/gm, (m, name: string) =>
      looksLikeName(name) ? name : m,
    )
    // "主持→彭副（彭嘉怡）", "#数据 …": an arrow or a hashtag marks a label
    .replace(/^(\s*[\u4e00-\u9fff]{2,6})\s*(?:→|->|=>|＞)\s*/gm, "$1：")
    .replace(/^(\s*)#([\u4e00-\u9fff]{1,6})\s+/gm, "$1$2：");
  const people = shorthand(text);
  const orgs = orgAliases(text);
  // internal remarks: whole lines, or a parenthesised remark inside a line
  text = text
    .split("\n")
    .filter(
      (l) =>
        !((INTERNAL.test(l) || /(?:整理|记录|纪要|整理稿)[)）]$/.test(l.trim())) && /^[（(].*[)）]$/.test(l.trim())),
    )
    // a note that only defines shorthand (备注：市局＝…) has done its work; any other note is a fact of the notes
    .filter((l) => !/^\s*备注[:：]/.test(l) || !/[=＝]/.test(l))
    .map((l) => l.replace(/^\s*备注[:：]\s*/, ""))
    // a line that only says what the paper is ("会议记录", "纪要")
    .filter((l) => !/^\s*(?:会议)?(?:记录|纪要|笔记|速记)\s*$/.test(l))
    .map((l) => l.replace(/[（(][^（）()]*[)）]/g, (m) => (INTERNAL.test(m) ? "" : m)))
    .join("\n");
  // person shorthand: "林局（林国栋）" → "林国栋", then every other "林局"
  for (const [short, name] of people) {
    text = text.split(`${short}（${name}）`).join(name).split(`${short}(${name})`).join(name);
    // 小蒋（蒋雨桐，办公室） → 蒋雨桐（办公室）: the unit or the role the bracket adds stays with the name
    text = text.replace(new RegExp(`${short}[（(]${name}[，,、]([^（）()]{1,16})[)）]`, "g"), `${name}（$1）`);
  }
  for (const [short, name] of [...people].sort((a, b) => b[0].length - a[0].length)) {
    text = text.replace(new RegExp(`${short}(?!长|局长)(?=${AFTER_SHORT})`, "g"), (m, off: number, all: string) => {
      // not inside the full name itself (林国栋 stays), nor a longer title (陈副局长 → 陈副 is not its shorthand)
      return all.slice(off, off + name.length) === name ? m : name;
    });
  }
  for (const [short, full] of [...orgs].sort((a, b) => b[0].length - a[0].length)) {
    // a bare level shorthand only where it stands alone (not 各市局, 16个市局, 洛阳市局)
    const guard = /^(?:省|市|自治区)局$/.test(short) ? "(?<![\\u4e00-\\u9fff个各全本该两三四五六七八九十\\d])" : "";
    // (and not in a room: 市局二楼报告厅 stays as written)
    const room = guard ? "(?![一二三四五六七八九十\\d]+楼|[一二三四五六七八九十\\d]*号?会议室|报告厅|礼堂|会议室)" : "";
    text = text.replace(new RegExp(`${guard}${short}(?!邮政管理局)${room}`, "g"), (m, off: number, all: string) =>
      all.slice(off, off + full.length) === full ? m : full,
    );
  }
  let lines = tables(text.split("\n"));
  lines = lines.map((line, i) => {
    let l = line.replace(EMOJI, "").replace(/\s+$/, "");
    // a rule line (---, ***, ===) parts the sheet: a blank line
    if (/^\s*(?:[-—_=*~·]\s*){3,}$/.test(l)) return "";
    // 【会议】全市… → 会议：全市…
    const said = l.match(/^\s*[【[](要求|强调|讲话|指出|部署)[】\]]\s*([\u4e00-\u9fff]{2,4})[:：]\s*(.*)$/);
    if (said && looksLikeName(said[2]!)) l = `${said[2]}${said[1] === "讲话" ? "指出" : said[1]}：${said[3]}`;
    l = l.replace(/^\s*[【[]([\u4e00-\u9fff]{1,6})[】\]]\s*(?![:：])/, "$1：");
    // "主持 龙海英" → "主持：龙海英"
    l = verbLabel(l);
    const bare = l.match(new RegExp(`^\\s*(?:[-*•]\\s*)?(${BARE_LABELS.join("|")})\\s+(?![:：])(\\S.*)$`));
    if (bare) l = `${bare[1]}：${bare[2]}`;
    // "4、严子健：值班表每天报…": a numbered point that is a person's turn is that person's, a line of its own
    const own = l.match(/^\s*(?:\d{1,2}\s*[.、．)）]|[①-⑳])\s*([\u4e00-\u9fff]{2,4})[:：]\s*(\S.*)$/);
    if (own && looksLikeName(own[1]!)) l = `\n${own[1]}：${own[2]}`;
    // "收到请回复", "请各单位接龙": a chat's call to acknowledge, not a fact
    if (/^\s*(?:收到)?请(?:回复|确认|接龙|回个1)(?:收到)?[。！!]?\s*$/.test(l)) l = "";
    // "@各县局 赵局要求：": the addressee mark goes
    l = l.replace(/^(\s*)@\S+\s+/, "$1");
    // "会议要点", "讲话要点" alone on a line before a list: a label
    l = l.replace(/^(\s*)(会议要点|讲话要点|工作要求|会议要求|主要内容)\s*$/, "$1$2：");
    // section headings of a sheet: "一、重点工作" → "重点工作："
    l = l.replace(/^\s*[一二三四五六七八九十]{1,2}、\s*([\u4e00-\u9fff]{2,8})\s*$/, "$1：");
    // 讲话要点（邵明远局长）： / 部署要求（白局长）： / 邵明远讲话要点 / 周建华讲了三点， / 万国强说了几点意见——
    l = l.replace(
      /^(\s*)(?:讲话要点|部署要求|工作要求|讲话内容|讲话|要求)[（(]([^）)]+)[)）][:：]?/,
      (_m, sp: string, who: string) => `${sp}${parsePerson(who)?.name ?? who.replace(/(?:副?局长|处长)$/, "")}强调：`,
    );
    // (points not numbered under it, jotted lines of what was said, are the speaker's remarks: X指出：)
    const next = (lines[i + 1] ?? "").replace(EMOJI, "").trim();
    const numberedNext = LIST_START.test(next) || /^[一二三四五六七八九十][是要、]/.test(next) || !next;
    l = l.replace(
      /([\u4e00-\u9fff]{2,4}?)(?:讲话要点|讲了[一二两三四五六七八九几]+(?:点|个方面)(?:意见)?|说了[一二两三四五六七八九几]+点(?:意见)?|提了[一二两三四五六七八九几]+点(?:意见|要求)?|讲话\s*(?:——|—|[，,：:])?\s*[一二两三四五六七八九几]+点(?:意见|要求)?)\s*(?:[，,：:]|——|—)?\s*/g,
      (m, who: string) =>
        looksLikeName(who) || who.length >= 2 ? `${who}${numberedNext || /要点/.test(m) ? "强调" : "指出"}：` : m,
    );
    // "汪建国讲话：" ending its line introduces the speaker's points, as 讲了几点 does
    l = l.replace(
      /^(\s*)([\u4e00-\u9fff]{2,4}?)(?:[（(]([\u4e00-\u9fff]{2,4})[)）])?(?:副?局长)?讲话\s*[:：]\s*$/,
      (m, sp: string, a: string, b: string | undefined) => (looksLikeName(b ?? a) ? `${sp}${b ?? a}强调：` : m),
    );
    // dashes: at a line end they introduce what follows; between clauses they are a pause
    l = l.replace(/\s*(?:——|—|--)\s*$/, "：").replace(/\s*(?:——|—|--)\s*/g, "，");
    // list markers: 1） and 1 推进… (digit and space) become plain list lines
    l = l
      .replace(/^(\s*)(\d{1,2})\s*[）)]\s*/, "$1$2. ")
      .replace(/^(\s*)(\d{1,2})\s+(?=[\u4e00-\u9fff“"]|\d{1,2}月)/, "$1$2. ");
    // (what the paper is, after its title: （指标表）, （初稿）, （征求意见稿）)
    l = l.replace(/[（(](?:[\u4e00-\u9fff]{0,4}表|纪要|记录|草稿|初稿|整理稿|[\u4e00-\u9fff]{0,4}稿)[)）]\s*$/, "");
    // "环比 -": no figure given, nothing to say
    l = l.replace(/[，,\s]*(?:同比|环比)\s*[-－—–]\s*(?=[，,；;。\s]|$)/g, "");
    // "综合处 整理 10月13日": who wrote the sheet, and when
    const by = l.match(
      /^\s*([\u4e00-\u9fff]{2,12}?)\s*(整理|填报|制表|汇总|执笔|撰稿|拟稿)\s*[，,\s]*((?:\d{4}年)?\d{1,2}月\d{1,2}日)?\s*$/,
    );
    if (by && i > 0) l = `${by[2]}：${by[1]}${by[3] ? `\n日期：${by[3]}` : ""}`;
    // "（执笔：办公室 符晓梅）": a label line in brackets; "（办公室 孙晓雯 执笔）": the label last
    l = l.replace(/^\s*[（(]([\u4e00-\u9fff]{2,6}[:：][^（）()]*)[)）]\s*$/, "$1");
    l = l.replace(/^\s*[（(]([^（）():：]{2,20}?)\s*(执笔|填报|审核|撰稿|整理|拟稿)[)）]\s*$/, "$2：$1");
    // spoken ordinals at a line start: 第一个事，就是 → 一是
    l = l.replace(SPOKEN_ORDINAL, "$1$2是");
    // figures and dates in house form; spaces around figures go
    l = houseFigures(spokenNumbers(l));
    // (not after a date opening the line, "9.18 国家邮政局…", nor in a jotted header line)
    // (a space after a figure joins only its unit, "320 组"; a space before a date stays a pause)
    l = l.replace(
      /(?<=[\d%])\s+(?=(?:万|亿)?(?:件|个|组|副|台|家|起|元|人|处|次|公斤|米|辆|吨|条|项|所|小时|天))|(?<=[\u4e00-\u9fff])\s+(?=\d)(?!\d{0,1}\d月\d{1,2}[日号])/g,
      (m, off: number, all: string) =>
        (i === 0 && /^\S+\s+\S+\s+\S+/.test(all) && !/[，。]/.test(all)) ||
        /^\s*\d{1,2}[./]\d{1,2}$/.test(all.slice(0, off))
          ? m
          : "",
    );
    return l;
  });
  // (a numbered point that was a person's turn is a line of its own now)
  lines = lines.flatMap((l) => l.split("\n"));
  // a jotted header line, or the paper's heading ("…分析会会议纪要", "…部署会主持词（姜红副局长用）")
  if (lines.length) {
    const first = lines.findIndex((l) => l.trim());
    const h = header(lines[0]!) ?? (first >= 0 ? paperHeading(lines[first]!) : null);
    if (h) lines.splice(first >= 0 && !header(lines[0]!) ? first : 0, 1, ...h);
  }
  // spoken turns: fillers, meta talk, repeated clauses
  lines = lines
    .map((l) => {
      let s = l;
      for (const [re, to] of FILLERS) s = s.replace(re, to);
      s = s.replace(SPOKEN_ORDINAL, "$1$2是");
      // only spoken lines (a filler was there, or talk about the talking) are rewritten clause by clause
      if (
        s === l &&
        !/我(?:先|就|来)?(?:讲|说)[一二两三四五六七八九几]|我就(?:讲|说)|我补充|补充一下|大家好|叫过来|听听大家|就这些|简单(?:说|讲)几句|说这么多|下面请|大家欢迎|谢谢|散会|我来(?:说|讲)|我(?:说|讲)(?:一)?下|(?:说|讲)一下/.test(
          l,
        )
      )
        return s;
      const turn = s.match(/^([^：:]{0,20}[：:])(.*)$/);
      const head = turn && /[\u4e00-\u9fff]/.test(turn[1]!) && turn[1]!.length <= 20 ? turn[1]! : "";
      const body = head ? s.slice(head.length) : s;
      const sentencesOut = (body.match(/[^。！？]+[。！？]?/g) ?? [])
        .map((sen) => {
          const end = /[。！？]$/.test(sen) ? sen.slice(-1) : "";
          const clauses = (end ? sen.slice(0, -1) : sen)
            .split(/[，,]/)
            .map((c) => c.trim())
            .filter(Boolean);
          const kept: string[] = [];
          for (const c of clauses) {
            if (META_CLAUSE.test(c)) {
              if (/补充/.test(c)) kept.push(ADDS);
              continue;
            }
            if (kept.length && kept[kept.length - 1]!.endsWith(c)) continue; // "1260万件，对，1260万件"
            // a figure said after a pause belongs to its noun ("快递员，4.3万多人" → "快递员4.3万多人", "流失率，是23%" → "流失率23%")
            // (the clause is only the figure and its unit: "30多人值班" says more and stays a clause)
            // (a clause waiting for its object, "接了", takes a longer one: "2100多个电话")
            const tail = /[了是有到达约]$/.test(kept[kept.length - 1] ?? "") ? 4 : 2;
            if (
              kept.length &&
              new RegExp(`^(?:是)?\\d[\\d.]*(?:万|亿)?(?:多|余)?(?:[\\u4e00-\\u9fff%]{0,${tail}}|家次)$`).test(c) &&
              !/^\d{1,2}月\d{1,2}日/.test(c) &&
              /[\u4e00-\u9fff]$/.test(kept[kept.length - 1]!) &&
              !/[的要]$/.test(kept[kept.length - 1]!)
            ) {
              kept[kept.length - 1] += c.replace(/^是/, /[率量数]$/.test(kept[kept.length - 1]!) ? "" : "是");
              continue;
            }
            // a clause of one or two characters ("全市", "今年") runs on into the next, unless it numbers a point
            if (
              kept.length &&
              kept[kept.length - 1]!.length <= 2 &&
              !/^第|^[一二三四五六七八九十][是要]/.test(kept[kept.length - 1]!) &&
              /[\u4e00-\u9fff]$/.test(kept[kept.length - 1]!)
            ) {
              kept[kept.length - 1] += c;
              continue;
            }
            kept.push(c);
          }
          return kept.length ? `${kept.join("，")}${end}` : "";
        })
        .filter(Boolean)
        .join("");
      // (a line that was only talk about the talking goes, not leaving a blank that would end a speaker's turn)
      if (!sentencesOut && head && body.trim()) return GONE;
      return (head + sentencesOut).trim() || (body.trim() ? GONE : s.trim());
    })
    .filter((l) => l !== GONE);
  // "我来说下具体安排，1. 本周五前…；2. 下周一起…": points numbered inline become a list under their lead
  lines = lines.flatMap((l) => {
    const m = l.match(
      /^(.*?)[：:，,]?\s*(?<![\d.])1[.、．]\s*(\S.*?(?:[；;，,]\s*|\s+|(?<=[\u4e00-\u9fff]))2[.、．]\s*\S.*)$/,
    );
    if (!m || !m[1]!.trim()) return [l];
    const items = m[2]!.split(/(?:[；;，,]\s*|\s+|(?<=[\u4e00-\u9fff]))(?=\d{1,2}[.、．]\s*[\u4e00-\u9fff])/);
    return items.length >= 2
      ? [`${m[1]!.trim()}：`, `1. ${items[0]!.trim()}`, ...items.slice(1).map((x) => x.trim())]
      : [l];
  });
  lines = structure(lines);
  text = lines.join("\n").replace(/\n{3,}/g, "\n\n");
  // "长沙市邮政管理局由副局长龚丽发言" (a note on an agenda item): the one speaking goes into that item
  for (const m of [
    ...text.matchAll(
      /(?:^|\n)\s*([\u4e00-\u9fff]{2,20}?(?:局|公司|中心|处|科))由((?:[\u4e00-\u9fff]{0,8}?(?:副?局长|副?处长|副?科长|副?主任|经理|负责人))?)([\u4e00-\u9fff]{2,3})(?:同志)?(交流发言|发言|汇报|通报|介绍)[。]?\s*(?=\n|$)/g,
    ),
  ]) {
    const [whole, org, title, name] = m as unknown as [string, string, string, string];
    if (!looksLikeName(name)) continue;
    const item = new RegExp(`${org}(?=(?:作)?(?:交流)?(?:发言|汇报|通报|介绍))`);
    const rest = text.replace(whole, "");
    if (!item.test(rest)) continue;
    text = rest.replace(item, `${org}${title}${name}`);
  }
  return { text, aliases: new Map([...people, ...orgs]) };
}
