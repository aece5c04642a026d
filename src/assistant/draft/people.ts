/**
 * Person names and titles in notes and drafts, found by pattern: a common surname followed by one or
 * two characters, next to a title (局长, 副司长, …) or a speech verb (指出, 强调, 主持, …).
 * Hand-written because no maintained JS library does Chinese person-name recognition offline with
 * useful precision for officials' names; the patterns only need to cover the bulletin register.
 */

/** The most common single-character surnames (covering the vast majority of the population). */
export const SURNAMES = new Set([
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤邢常康牛洪施文俞樊易乔齐庞颜倪柴鲍殷左翟章耿祝申尚岳凌艾柳葛彭单管盛卓包路甘季詹傅符綦佟阎宫晏苗邝仲柏闵冉储应聂蒲骆喻滕祁岑荣解揭禹鞠芦车丛裴栾隋谷宁瞿楚连庄阮钮卞商饶寇臧米景宋昌卜",
]);
export const COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙"];

/** Titles that follow or precede a name in the bulletin register. */
export const TITLES = [
  "党组书记",
  "副局长",
  "局长",
  "副司长",
  "司长",
  "副主任",
  "主任",
  "副处长",
  "处长",
  "副厅长",
  "厅长",
  "副部长",
  "部长",
  "副书记",
  "书记",
  "总经理",
  "副总经理",
  "董事长",
  "巡视员",
  "副巡视员",
  "主席",
  "副主席",
  "市长",
  "副市长",
  "省长",
  "副省长",
  "负责同志",
  "同志",
  "科长",
  "主管",
  "总监",
  "经理",
];
const TITLE_RE = `(?:${[...TITLES].sort((a, b) => b.length - a.length).join("|")})`;

/** Words after a name in the bulletin register. */
export const NAME_VERBS = [
  "指出",
  "强调",
  "要求",
  "表示",
  "主持",
  "讲话",
  "评价",
  "介绍",
  "出席",
  "说",
  "认为",
  "提出",
  "希望",
  "总结",
  "一行",
  "带队",
  "督导",
  "调研",
  "检查",
  "部署",
];

/** Two- and three-character words that start with a surname character but are not names. */
const NOT_NAMES = new Set([
  "会议",
  "会上",
  "同时",
  "全面",
  "全行业",
  "高度",
  "方面",
  "方向",
  "程序",
  "严格",
  "严厉",
  "严重",
  "严把",
  "严防",
  "严禁",
  "严查",
  "严肃",
  "江苏",
  "江西",
  "湖南",
  "湖北",
  "安全",
  "安徽",
  "任务",
  "任何",
  "于是",
  "于此",
  "常态",
  "常规",
  "常务",
  "文件",
  "文明",
  "文化",
  "向前",
  "向上",
  "向社会",
  "林业",
  "金融",
  "金额",
  "石油",
  "武汉",
  "武装",
  "龙头",
  "万无",
  "万件",
  "陆续",
  "陆路",
  "明确",
  "单位",
  "管理",
  "管控",
  "管好",
  "管住",
  "管道",
  "史上",
  "周密",
  "周年",
  "周边",
  "周期",
  "周转",
  "周末",
  "田间",
  "时间",
  "易燃",
  "申诉",
  "申报",
  "申通",
  "路由",
  "路线",
  "柳州",
  "齐抓",
  "齐心",
  "康复",
  "盛会",
  "包裹",
  "包装",
  "包括",
  "施工",
  "洪水",
  "黄金",
  "黄山",
  "钱款",
  "尚未",
  "马上",
  "孔洞",
  "白天",
  "白色",
  "江河",
  "钟点",
  "牛奶",
  "季度",
  "余额",
  "余下",
  "甘肃",
  "宋体",
  "方案",
  "方式",
  "方法",
  "方便",
  "程度",
  "高标准",
  "高效",
  "高峰",
  "毛重",
  "夏季",
  "秦皇岛",
  "贺信",
  "贺电",
  "黎明",
  "章程",
  "董事",
  "曾经",
  "谢谢",
  "苏州",
  "罗列",
  "许可",
  "许多",
  "何时",
  "韩国",
  "范围",
  "郑州",
  "杜绝",
  "付款",
  "付费",
  "石家庄",
  "顺丰",
  "韵达",
  "圆通",
  "中通",
  "邮件",
  "快件",
  "岳阳",
  "江门",
  "龙岩",
  "关于",
  "宁夏",
  "华北",
  "左右",
  "上下",
  "应急",
  "一行",
  "有关",
  "相关",
  "主要",
  "领导",
  "同志",
  "王府井",
  "邮政",
]);

export interface FoundPerson {
  name: string;
  title: string;
  index: number;
}

export function startsWithSurname(s: string): boolean {
  return SURNAMES.has(s[0] ?? "") || COMPOUND_SURNAMES.some((c) => s.startsWith(c));
}

export function looksLikeName(s: string): boolean {
  if (s.length < 2 || s.length > 4 || NOT_NAMES.has(s)) return false;
  if (!/^[\u4e00-\u9fff]+$/.test(s)) return false;
  const compound = COMPOUND_SURNAMES.some((c) => s.startsWith(c));
  if (!compound && s.length > 3) return false;
  return startsWithSurname(s);
}

/**
 * Parse a role value from the notes: "国家邮政局局长马军胜", "马军胜局长", "马军胜（国家邮政局局长）",
 * "马军胜，国家邮政局局长", "马军胜". Returns null when no name can be told apart.
 */
export function parsePerson(value: string): { name: string; title: string } | null {
  const v = value.trim().replace(/[。；;，,\s]+$/, "");
  let m =
    v.match(/^([\u4e00-\u9fff]{2,4})\s*[（(]([^）)]+)[）)]$/) ?? v.match(/^([\u4e00-\u9fff]{2,4})\s*[，,、\s]\s*(.+)$/);
  if (m && looksLikeName(m[1]!)) return { name: m[1]!, title: m[2]!.trim() };
  // "王局长", "张副局长": the notes give only surname and title; keep them as written
  const st = v.match(new RegExp(`^([\\u4e00-\\u9fff])(${TITLE_RE})$`));
  if (st && startsWithSurname(st[1]!) && !st[2]!.includes("同志")) return { name: v, title: "" };
  // title first: 国家邮政局局长马军胜 / 副局长刘君
  m = v.match(new RegExp(`^(.*${TITLE_RE})\\s*([\\u4e00-\\u9fff]{2,3})$`));
  if (m && looksLikeName(m[2]!)) return { name: m[2]!, title: m[1]!.trim() };
  // name first: 刘君副局长, 马军胜局长 (longest name first; a name does not end in 副/正/总)
  for (const len of [3, 2]) {
    m = v.match(new RegExp(`^([\\u4e00-\\u9fff]{${len}})\\s*(.*${TITLE_RE})$`));
    if (m && looksLikeName(m[1]!) && !/[副正总常]$/.test(m[1]!)) return { name: m[1]!, title: m[2]!.trim() };
  }
  if (looksLikeName(v)) return { name: v, title: "" };
  return null;
}

/** Split a list of people ("王梅、赵晓光、邢小江") into names, keeping only those that look like names. */
export function namesInList(value: string): string[] {
  return value
    .split(/[、，,和及与\s]+/)
    .map((s) => s.replace(/^(?:局领导|领导|同志)/, "").trim())
    .filter(looksLikeName);
}

/**
 * Names in running text: next to a title (国家邮政局局长马军胜, 刘君副局长) or before a speech verb
 * (马军胜指出, 会议由刘君主持). For each position the 3- and 2-character readings are returned as
 * alternatives so a caller can accept either; `candidates` lists them longest first.
 */
export function findNameMentions(text: string): { index: number; candidates: string[] }[] {
  const out: { index: number; candidates: string[] }[] = [];
  const seen = new Set<number>();
  const add = (end: number, before: boolean) => {
    // `end` is the index right after the name (before=true: the name precedes a title/verb).
    const cands: string[] = [];
    for (const len of [3, 2, 4]) {
      const s = before ? text.slice(end - len, end) : text.slice(end, end + len);
      if (s.length === len && looksLikeName(s)) cands.push(s);
    }
    if (!cands.length) return;
    const index = before ? end - cands[0]!.length : end;
    if (seen.has(index)) return;
    seen.add(index);
    out.push({ index, candidates: cands });
  };
  const verbRe = new RegExp(`(?:${NAME_VERBS.join("|")}|${TITLE_RE})`, "g");
  for (const m of text.matchAll(verbRe)) add(m.index ?? 0, true);
  const afterTitle = new RegExp(`(?:${TITLE_RE}|局领导|领导|同志)(?=[\\u4e00-\\u9fff]{2})`, "g");
  for (const m of text.matchAll(afterTitle)) add((m.index ?? 0) + m[0].length, false);
  // lists after 局领导 (局领导王梅、赵晓光、邢小江)
  for (const m of text.matchAll(/局领导([\u4e00-\u9fff、]+)/g)) {
    let pos = (m.index ?? 0) + 3;
    for (const part of m[1]!.split("、")) {
      const name = part.replace(/(?:出席|参加).*$/, "").replace(/等$/, "");
      if (looksLikeName(name) && !seen.has(pos)) {
        seen.add(pos);
        out.push({ index: pos, candidates: [name] });
      }
      pos += part.length + 1;
    }
  }
  return out.sort((a, b) => a.index - b.index);
}
